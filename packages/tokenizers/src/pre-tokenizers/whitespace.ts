// Whitespace (regex \w+|[^\w\s]+ with Unicode classes) and WhitespaceSplit pre-tokenizers (Rust `pre_tokenizers::whitespace`).
import { isWhitespace } from "../internal/char-classes.js";
import { findRegexMatches } from "../internal/onig-regex.js";
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import { findCharMatches, invertMatches, splitByMatches } from "../internal/split-behavior.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

// Rust regex crate classes: \w = Alphabetic|M|Nd|Pc|Join_Control, \s = White_Space.
const W = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}";
const WHITESPACE_RE = new RegExp(`[${W}]+|[^${W}\\p{White_Space}]+`, "gu");

/**
 * Splits into runs of word characters and runs of other non-space characters.
 * @example
 * ```ts
 * new Whitespace().toJSON(); // { type: "Whitespace" }
 * ```
 */
export class Whitespace implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => splitByMatches(ns, invertMatches(findRegexMatches(WHITESPACE_RE, ns.normalized)), "Removed"));
  }
  toJSON(): Record<string, unknown> {
    return { type: "Whitespace" };
  }
}

/**
 * Splits on whitespace only.
 * @example
 * ```ts
 * new WhitespaceSplit().toJSON(); // { type: "WhitespaceSplit" }
 * ```
 */
export class WhitespaceSplit implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => splitByMatches(ns, findCharMatches(ns.normalized, isWhitespace), "Removed"));
  }
  toJSON(): Record<string, unknown> {
    return { type: "WhitespaceSplit" };
  }
}
