// Pre-tokenizers: public exports.
export type { PreTokenizer } from "./pre-tokenizer.js";
export { BertPreTokenizer } from "./bert.js";
export { ByteLevel, type ByteLevelOptions } from "./byte-level.js";
export { CharDelimiterSplit } from "./char-delimiter-split.js";
export { Digits } from "./digits.js";
export { FixedLength } from "./fixed-length.js";
export { Metaspace, type PrependScheme } from "./metaspace.js";
export { Punctuation } from "./punctuation.js";
export { PreTokenizerSequence } from "./sequence.js";
export { Split } from "./split.js";
export { UnicodeScripts } from "./unicode-scripts.js";
export { Whitespace, WhitespaceSplit } from "./whitespace.js";
export { preTokenizerFromJSON, metaspaceFromJSON, PRE_TOKENIZER_TYPES } from "./from-json.js";
