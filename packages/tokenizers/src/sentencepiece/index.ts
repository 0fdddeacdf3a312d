// SentencePiece entry: the `.model` file reader.
export { readSentencePieceModel, SentencePieceType, type SentencePiece, type SentencePieceModel, type SentencePieceTrainerSpec, type SentencePieceNormalizerSpec } from "./model-proto.js";
