// The Normalizer interface: edits a NormalizedString in place and serialises to its tokenizer.json form.
import type { NormalizedString } from "../internal/normalized-string.js";

/** A normalization step (Rust `Normalizer`). */
export interface Normalizer {
  normalize(ns: NormalizedString): void;
  /** The tokenizer.json object of this normalizer. */
  toJSON(): Record<string, unknown>;
}
