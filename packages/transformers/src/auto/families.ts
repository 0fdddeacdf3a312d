// Every model family of the package, registered by model_type: adding a family is its folder plus one line here.
import { registerFamily } from "./registry.js";
import * as bert from "../models/bert/modeling-bert.js";

registerFamily("bert", {
  config: bert.BertConfig,
  models: {
    base: bert.BertModel,
    sequenceClassification: bert.BertForSequenceClassification,
    tokenClassification: bert.BertForTokenClassification,
    questionAnswering: bert.BertForQuestionAnswering,
    maskedLM: bert.BertForMaskedLM,
    multipleChoice: bert.BertForMultipleChoice,
  },
});
