// @tsorch/transformers: Hugging Face Transformers for TypeScript — configs, models and heads, loading and saving checkpoints.

export { PretrainedConfig, toCamel, toSnake } from "./configuration-utils.js";
export type { JsonValue, PretrainedConfigInit } from "./configuration-utils.js";
export { PreTrainedModel, loadConfig } from "./modeling-utils.js";
export type { FromPretrainedOptions, LoadingInfo, SavePretrainedOptions } from "./modeling-utils.js";
export type { BaseModelOutput, LayerCache, LogitsOutput, ModelInputs, PastKeyValues, QuestionAnsweringOutput } from "./modeling-outputs.js";
export { getActivation } from "./activations.js";
export { HubFileNotFoundError, hubCacheDir } from "./internal/hub.js";
export type { HubOptions } from "./internal/hub.js";
export * from "./models/bert/index.js";
export * from "./models/roberta/index.js";
export * from "./models/distilbert/index.js";
export * from "./models/gpt2/index.js";
export * from "./models/llama/index.js";
export { AutoConfig, AutoModel, AutoModelForSequenceClassification, AutoModelForTokenClassification, AutoModelForQuestionAnswering, AutoModelForMaskedLM, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoModelForMultipleChoice } from "./auto/auto-classes.js";
export { registerFamily, knownModelTypes, classByName } from "./auto/registry.js";
export type { AutoTask, FamilyEntry, ModelConstructor } from "./auto/registry.js";
export { GenerationConfig } from "./generation/generation-config.js";
export type { GenerationOptions } from "./generation/generation-config.js";
export { generate } from "./generation/generate.js";
export type { GenerateCallOptions, GenerateInputs, GenerateOutput } from "./generation/generate.js";
export { PreTrainedTokenizer, AutoTokenizer, cleanUp } from "./tokenization/tokenizer.js";
export type { TokenizeOptions, ChatMessage, SpecialRole } from "./tokenization/tokenizer.js";
export { BatchEncoding } from "./tokenization/batch-encoding.js";
export { convertWordPiece, convertByteLevelBpe } from "./tokenization/convert-slow.js";
