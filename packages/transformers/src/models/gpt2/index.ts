// GPT-2's public classes.
export { GPT2Config, GPT2Model, GPT2PreTrainedModel, GPT2LMHeadModel, GPT2ForSequenceClassification, GPT2ForTokenClassification, GPT2Block, GPT2Attention, GPT2MLP, Conv1D } from "./modeling-gpt2.js";
export type { GPT2ConfigInit } from "./modeling-gpt2.js";
