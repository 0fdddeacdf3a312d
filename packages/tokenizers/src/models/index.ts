// Models: public exports.
export type { Model } from "./model.js";
export { BPE, type BPEOptions } from "./bpe.js";
export { WordPiece, type WordPieceOptions } from "./wordpiece.js";
export { WordLevel, type WordLevelOptions } from "./wordlevel.js";
export { Unigram, type UnigramOptions } from "./unigram.js";
export { modelFromJSON, MODEL_TYPES } from "./from-json.js";
