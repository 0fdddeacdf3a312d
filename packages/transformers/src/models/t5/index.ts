// T5's public classes.
export { T5Config, T5Model, T5PreTrainedModel, T5ForConditionalGeneration, T5EncoderModel, T5Stack, T5Block, T5Attention, T5LayerNorm, T5DenseReluDense, relativePositionBucket } from "./modeling-t5.js";
export type { T5ConfigInit } from "./modeling-t5.js";
