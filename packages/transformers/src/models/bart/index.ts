// BART's public classes.
export { BartConfig, BartModel, BartPreTrainedModel, BartForConditionalGeneration, BartForSequenceClassification, BartLikeForConditionalGeneration, BartEncoderDecoder, BartStack, BartLayer, BartAttention, BartLearnedPositionalEmbedding, BartClassificationHead } from "./modeling-bart.js";
export type { BartConfigInit, PositionSource } from "./modeling-bart.js";
