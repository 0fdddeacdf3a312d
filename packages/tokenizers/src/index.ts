// @tsorch/tokenizers core entry: Hugging Face tokenizers for any JS runtime (no Node-only imports here).
export { Tokenizer, type EncodeOptions, type DecodeOptions, type InputSequence } from "./tokenizer.js";
export { Encoding, type Direction } from "./encoding.js";
export { type PaddingOptions, type PaddingParams } from "./padding.js";
export { type TruncationOptions, type TruncationParams, type TruncationStrategy } from "./truncation.js";
export { TokenizerJSONError } from "./internal/json-reader.js";
export type { Token } from "./internal/token.js";
export { NormalizedString } from "./internal/normalized-string.js";
export { PreTokenizedString } from "./internal/pre-tokenized-string.js";
export type { SplitDelimiterBehavior } from "./internal/split-behavior.js";
export * from "./normalizers/index.js";
export * from "./pre-tokenizers/index.js";
export * from "./models/index.js";
export * from "./post-processors/index.js";
export * from "./decoders/index.js";
export * from "./added-vocabulary/index.js";
export * from "./trainers/index.js";
export * from "./sentencepiece/index.js";
