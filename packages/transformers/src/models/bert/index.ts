// BERT's public classes.
export {
  BertConfig,
  BertModel,
  BertPreTrainedModel,
  BertForSequenceClassification,
  BertForTokenClassification,
  BertForQuestionAnswering,
  BertForMaskedLM,
  BertForMultipleChoice,
  BertEmbeddings,
  BertEncoder,
  BertLayer,
  BertPooler,
  BertLMPredictionHead,
} from "./modeling-bert.js";
export type { BertConfigInit, QuestionAnsweringInputs } from "./modeling-bert.js";
