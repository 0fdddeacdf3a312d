// Llama's public classes.
export { LlamaConfig, LlamaModel, LlamaPreTrainedModel, LlamaForCausalLM, LlamaForSequenceClassification, LlamaDecoderLayer, LlamaAttention, LlamaMLP, LlamaRMSNorm, LlamaRotaryEmbedding, applyRotary, repeatKv } from "./modeling-llama.js";
export type { LlamaConfigInit } from "./modeling-llama.js";
