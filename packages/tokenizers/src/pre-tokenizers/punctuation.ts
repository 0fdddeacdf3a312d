// Punctuation pre-tokenizer: splits on punctuation chars with a chosen behavior (Rust `pre_tokenizers::punctuation`).
import { isPunctuation } from "../internal/char-classes.js";
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import { findCharMatches, splitByMatches, type SplitDelimiterBehavior } from "../internal/split-behavior.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/**
 * Splits on punctuation.
 * @example
 * ```ts
 * new Punctuation("Contiguous").toJSON(); // { type: "Punctuation", behavior: "Contiguous" }
 * ```
 */
export class Punctuation implements PreTokenizer {
  constructor(readonly behavior: SplitDelimiterBehavior = "Isolated") {}
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => splitByMatches(ns, findCharMatches(ns.normalized, isPunctuation), this.behavior));
  }
  toJSON(): Record<string, unknown> {
    return { type: "Punctuation", behavior: this.behavior };
  }
}
