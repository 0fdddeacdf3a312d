// DistilBERT's public classes.
export {
  DistilBertConfig,
  DistilBertModel,
  DistilBertPreTrainedModel,
  DistilBertForSequenceClassification,
  DistilBertForTokenClassification,
  DistilBertForQuestionAnswering,
  DistilBertForMaskedLM,
  DistilBertForMultipleChoice,
  DistilBertEmbeddings,
  DistilBertBlock,
} from "./modeling-distilbert.js";
export type { DistilBertConfigInit } from "./modeling-distilbert.js";
