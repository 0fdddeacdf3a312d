// Whitespace (regex \w+|[^\w\s]+ with Unicode classes) and WhitespaceSplit pre-tokenizers (Rust `pre_tokenizers::whitespace`).
import { isWhitespace } from "../internal/char-classes.js";
import { findRegexMatches } from "../internal/onig-regex.js";
import type { NormalizedString } from "../internal/normalized-string.js";
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

/** The maximal runs of non-whitespace chars (what splitting on each whitespace char with Removed leaves). */
function whitespaceRuns(ns: NormalizedString): NormalizedString[] {
  const s = ns.normalized;
  const n = s.length;
  const out: NormalizedString[] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    // Every White_Space char is in the BMP and no surrogate is one, so code units are enough here; printable
    // ASCII (most chars) is never one.
    const c = s.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) continue;
    if (isWhitespace(c)) {
      if (start < i) out.push(ns.slice(start, i));
      start = i + 1;
    }
  }
  if (start < n) out.push(ns.slice(start, n));
  return out;
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
    pts.split((_, ns) => whitespaceRuns(ns));
  }
  toJSON(): Record<string, unknown> {
    return { type: "WhitespaceSplit" };
  }
}
