// Digits pre-tokenizer: isolates numeric chars, one by one or in runs (Rust `pre_tokenizers::digits`).
import { isNumeric } from "../internal/char-classes.js";
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import { findCharMatches, splitByMatches } from "../internal/split-behavior.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/**
 * Splits digits from the rest.
 * @example
 * ```ts
 * new Digits(true).toJSON(); // { type: "Digits", individual_digits: true }
 * ```
 */
export class Digits implements PreTokenizer {
  constructor(readonly individualDigits = false) {}
  preTokenize(pts: PreTokenizedString): void {
    const behavior = this.individualDigits ? "Isolated" : "Contiguous";
    pts.split((_, ns) => splitByMatches(ns, findCharMatches(ns.normalized, isNumeric), behavior));
  }
  toJSON(): Record<string, unknown> {
    return { type: "Digits", individual_digits: this.individualDigits };
  }
}
