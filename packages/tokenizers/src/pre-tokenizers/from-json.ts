// Builds a PreTokenizer from its tokenizer.json object, with errors naming the JSON path and the supported types.
import { JsonObj, TokenizerJSONError, unknownType } from "../internal/json-reader.js";
import { SPLIT_BEHAVIORS } from "../internal/split-behavior.js";
import { StringOrRegex } from "../internal/string-pattern.js";
import { BertPreTokenizer } from "./bert.js";
import { ByteLevel } from "./byte-level.js";
import { CharDelimiterSplit } from "./char-delimiter-split.js";
import { Digits } from "./digits.js";
import { FixedLength } from "./fixed-length.js";
import { Metaspace, type PrependScheme } from "./metaspace.js";
import type { PreTokenizer } from "./pre-tokenizer.js";
import { Punctuation } from "./punctuation.js";
import { PreTokenizerSequence } from "./sequence.js";
import { Split } from "./split.js";
import { UnicodeScripts } from "./unicode-scripts.js";
import { Whitespace, WhitespaceSplit } from "./whitespace.js";

/** Pre-tokenizer `type` values this package reads. */
export const PRE_TOKENIZER_TYPES = [
  "BertPreTokenizer",
  "ByteLevel",
  "Delimiter",
  "CharDelimiterSplit",
  "Metaspace",
  "Whitespace",
  "Sequence",
  "Split",
  "Punctuation",
  "WhitespaceSplit",
  "Digits",
  "UnicodeScripts",
  "FixedLength",
] as const;

/** Reads Metaspace in its old (`add_prefix_space`, `str_rep`) and new (`prepend_scheme`, `split`) forms. */
export function metaspaceFromJSON(o: JsonObj): Metaspace {
  const replacement = o.char("replacement");
  let scheme = o.oneOf<PrependScheme>("prepend_scheme", ["always", "first", "never"], "always");
  if (o.optBool("add_prefix_space") === false) {
    if (o.has("prepend_scheme") && scheme !== "never") {
      throw new TokenizerJSONError(o.sub("add_prefix_space"), "add_prefix_space does not match declared prepend_scheme.");
    }
    scheme = "never";
  }
  return new Metaspace(replacement, scheme, o.optBool("split") ?? true);
}

/**
 * Reads a pre_tokenizer object of tokenizer.json (`null` gives `null`).
 * @example
 * ```ts
 * const p = preTokenizerFromJSON({ type: "Whitespace" });
 * ```
 */
export function preTokenizerFromJSON(value: unknown, path = "pre_tokenizer"): PreTokenizer | null {
  if (value === null || value === undefined) return null;
  const o = new JsonObj(value, path);
  const type = o.raw("type");
  switch (type) {
    case "BertPreTokenizer":
      return new BertPreTokenizer();
    case "ByteLevel":
      return new ByteLevel({ addPrefixSpace: o.bool("add_prefix_space", true), trimOffsets: o.bool("trim_offsets", true), useRegex: o.bool("use_regex", true) });
    case "Delimiter":
    case "CharDelimiterSplit":
      return new CharDelimiterSplit(o.char("delimiter"));
    case "Metaspace":
      return metaspaceFromJSON(o);
    case "Whitespace":
      return new Whitespace();
    case "WhitespaceSplit":
      return new WhitespaceSplit();
    case "Punctuation":
      return new Punctuation(o.oneOf("behavior", SPLIT_BEHAVIORS, "Isolated"));
    case "Digits":
      return new Digits(o.bool("individual_digits", false));
    case "UnicodeScripts":
      return new UnicodeScripts();
    case "FixedLength":
      return new FixedLength(o.uint("length", 5));
    case "Split": {
      const p = StringOrRegex.fromJSON(o, "pattern", `Split pre-tokenizer at ${path}`);
      return new Split(p.spec, o.oneOf("behavior", SPLIT_BEHAVIORS), o.bool("invert", false));
    }
    case "Sequence": {
      const arr = o.array("pretokenizers");
      return new PreTokenizerSequence(arr.map((p, i) => preTokenizerFromJSON(p, `${path}.pretokenizers[${i}]`)).filter((p): p is PreTokenizer => p !== null));
    }
    default:
      return unknownType(path, "pre-tokenizer", type, PRE_TOKENIZER_TYPES);
  }
}
