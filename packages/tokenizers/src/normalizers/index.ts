// Normalizers: public exports.
export type { Normalizer } from "./normalizer.js";
export { BertNormalizer, type BertNormalizerOptions } from "./bert-normalizer.js";
export { ByteLevelNormalizer } from "./byte-level.js";
export { Lowercase } from "./lowercase.js";
export { Nmt } from "./nmt.js";
export { Precompiled } from "./precompiled.js";
export { Prepend } from "./prepend.js";
export { Replace } from "./replace.js";
export { NormalizerSequence } from "./sequence.js";
export { Strip, StripAccents } from "./strip.js";
export { NFC, NFD, NFKC, NFKD } from "./unicode-forms.js";
export { normalizerFromJSON, NORMALIZER_TYPES } from "./from-json.js";
