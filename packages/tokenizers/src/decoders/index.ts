// Decoders: public exports.
export type { Decoder } from "./decoder.js";
export { BPEDecoder } from "./bpe.js";
export { ByteFallback } from "./byte-fallback.js";
export { ByteLevelDecoder } from "./byte-level.js";
export { CTC } from "./ctc.js";
export { Fuse } from "./fuse.js";
export { MetaspaceDecoder } from "./metaspace.js";
export { ReplaceDecoder } from "./replace.js";
export { DecoderSequence } from "./sequence.js";
export { StripDecoder } from "./strip.js";
export { WordPieceDecoder, cleanupTokenizationSpaces } from "./wordpiece.js";
export { decoderFromJSON, DECODER_TYPES } from "./from-json.js";
