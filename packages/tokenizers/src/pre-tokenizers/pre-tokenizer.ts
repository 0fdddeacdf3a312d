// The PreTokenizer interface: cuts a PreTokenizedString into pieces and serialises to its tokenizer.json form.
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";

/** A pre-tokenization step (Rust `PreTokenizer`). */
export interface PreTokenizer {
  preTokenize(pts: PreTokenizedString): void;
  /** The tokenizer.json object of this pre-tokenizer. */
  toJSON(): Record<string, unknown>;
}
