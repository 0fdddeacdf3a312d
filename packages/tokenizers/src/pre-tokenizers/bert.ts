// BertPreTokenizer: split on whitespace (removed) then on punctuation (isolated) (Rust `pre_tokenizers::bert`).
import { isPunctuation, isWhitespace } from "../internal/char-classes.js";
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import { findCharMatches, splitByMatches } from "../internal/split-behavior.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/**
 * BERT's pre-tokenizer.
 * @example
 * ```ts
 * new BertPreTokenizer().toJSON(); // { type: "BertPreTokenizer" }
 * ```
 */
export class BertPreTokenizer implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => splitByMatches(ns, findCharMatches(ns.normalized, isWhitespace), "Removed"));
    pts.split((_, ns) => splitByMatches(ns, findCharMatches(ns.normalized, isPunctuation), "Isolated"));
  }
  toJSON(): Record<string, unknown> {
    return { type: "BertPreTokenizer" };
  }
}
