// Builds a Normalizer from its tokenizer.json object, with errors naming the JSON path and the supported types.
import { JsonObj, TokenizerJSONError, unknownType } from "../internal/json-reader.js";
import { StringOrRegex } from "../internal/string-pattern.js";
import { BertNormalizer } from "./bert-normalizer.js";
import { ByteLevelNormalizer } from "./byte-level.js";
import { Lowercase } from "./lowercase.js";
import { Nmt } from "./nmt.js";
import type { Normalizer } from "./normalizer.js";
import { Precompiled } from "./precompiled.js";
import { Prepend } from "./prepend.js";
import { Replace } from "./replace.js";
import { NormalizerSequence } from "./sequence.js";
import { Strip, StripAccents } from "./strip.js";
import { NFC, NFD, NFKC, NFKD } from "./unicode-forms.js";

/** Normalizer `type` values this package reads. */
export const NORMALIZER_TYPES = [
  "BertNormalizer",
  "Strip",
  "StripAccents",
  "NFC",
  "NFD",
  "NFKC",
  "NFKD",
  "Sequence",
  "Lowercase",
  "Nmt",
  "Precompiled",
  "Replace",
  "Prepend",
  "ByteLevel",
] as const;

/**
 * Reads a normalizer object of tokenizer.json (`null` gives `null`).
 * @example
 * ```ts
 * const n = normalizerFromJSON({ type: "Lowercase" });
 * ```
 */
export function normalizerFromJSON(value: unknown, path = "normalizer"): Normalizer | null {
  if (value === null || value === undefined) return null;
  const o = new JsonObj(value, path);
  const type = o.raw("type");
  switch (type) {
    case "BertNormalizer":
      return new BertNormalizer({
        cleanText: o.bool("clean_text", true),
        handleChineseChars: o.bool("handle_chinese_chars", true),
        stripAccents: o.optBool("strip_accents"),
        lowercase: o.bool("lowercase", true),
      });
    case "Strip":
      return new Strip(o.bool("strip_left"), o.bool("strip_right"));
    case "StripAccents":
      return new StripAccents();
    case "NFC":
      return new NFC();
    case "NFD":
      return new NFD();
    case "NFKC":
      return new NFKC();
    case "NFKD":
      return new NFKD();
    case "Lowercase":
      return new Lowercase();
    case "Nmt":
      return new Nmt();
    case "ByteLevel":
      return new ByteLevelNormalizer();
    case "Prepend":
      return new Prepend(o.string("prepend"));
    case "Replace": {
      const p = StringOrRegex.fromJSON(o, "pattern", `Replace normalizer at ${path}`);
      return new Replace(p.spec, o.string("content"));
    }
    case "Precompiled": {
      const cm = o.raw("precompiled_charsmap");
      if (typeof cm !== "string") throw new TokenizerJSONError(o.sub("precompiled_charsmap"), "expected a base64 string.");
      try {
        return new Precompiled(cm);
      } catch (e) {
        throw new TokenizerJSONError(o.sub("precompiled_charsmap"), (e as Error).message);
      }
    }
    case "Sequence": {
      const arr = o.array("normalizers");
      return new NormalizerSequence(arr.map((n, i) => normalizerFromJSON(n, `${path}.normalizers[${i}]`)!).filter((n) => n !== null));
    }
    default:
      return unknownType(path, "normalizer", type, NORMALIZER_TYPES);
  }
}
