// Every model family of the package, registered by model_type: adding a family is its folder plus one line here.
import { registerFamily } from "./registry.js";
import * as bert from "../models/bert/modeling-bert.js";
import * as roberta from "../models/roberta/modeling-roberta.js";
import * as distilbert from "../models/distilbert/modeling-distilbert.js";
import * as gpt2 from "../models/gpt2/modeling-gpt2.js";
import * as llama from "../models/llama/modeling-llama.js";
import * as t5 from "../models/t5/modeling-t5.js";
import * as bart from "../models/bart/modeling-bart.js";
import * as marian from "../models/marian/modeling-marian.js";

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

registerFamily("roberta", {
  config: roberta.RobertaConfig,
  models: {
    base: roberta.RobertaModel,
    sequenceClassification: roberta.RobertaForSequenceClassification,
    tokenClassification: roberta.RobertaForTokenClassification,
    questionAnswering: roberta.RobertaForQuestionAnswering,
    maskedLM: roberta.RobertaForMaskedLM,
    multipleChoice: roberta.RobertaForMultipleChoice,
  },
});
registerFamily("xlm-roberta", {
  config: roberta.XLMRobertaConfig,
  models: {
    base: roberta.XLMRobertaModel,
    sequenceClassification: roberta.XLMRobertaForSequenceClassification,
    tokenClassification: roberta.XLMRobertaForTokenClassification,
    questionAnswering: roberta.XLMRobertaForQuestionAnswering,
    maskedLM: roberta.XLMRobertaForMaskedLM,
    multipleChoice: roberta.XLMRobertaForMultipleChoice,
  },
});
registerFamily("distilbert", {
  config: distilbert.DistilBertConfig,
  models: {
    base: distilbert.DistilBertModel,
    sequenceClassification: distilbert.DistilBertForSequenceClassification,
    tokenClassification: distilbert.DistilBertForTokenClassification,
    questionAnswering: distilbert.DistilBertForQuestionAnswering,
    maskedLM: distilbert.DistilBertForMaskedLM,
    multipleChoice: distilbert.DistilBertForMultipleChoice,
  },
});
registerFamily("gpt2", {
  config: gpt2.GPT2Config,
  models: { base: gpt2.GPT2Model, causalLM: gpt2.GPT2LMHeadModel, sequenceClassification: gpt2.GPT2ForSequenceClassification, tokenClassification: gpt2.GPT2ForTokenClassification },
});
registerFamily("llama", {
  config: llama.LlamaConfig,
  models: { base: llama.LlamaModel, causalLM: llama.LlamaForCausalLM, sequenceClassification: llama.LlamaForSequenceClassification },
});
registerFamily("t5", {
  config: t5.T5Config,
  models: { base: t5.T5Model, seq2seqLM: t5.T5ForConditionalGeneration },
});
registerFamily("bart", {
  config: bart.BartConfig,
  models: { base: bart.BartModel, seq2seqLM: bart.BartForConditionalGeneration, sequenceClassification: bart.BartForSequenceClassification },
});
registerFamily("marian", { config: marian.MarianConfig, models: { seq2seqLM: marian.MarianMTModel } });
