// The Model interface: turns one pre-tokenized piece into tokens, and gives vocabulary access.
import type { Token } from "../internal/token.js";

/** A tokenization model (Rust `Model`). */
export interface Model {
  /** Tokens of one piece; offsets are UTF-16 units of `sequence`. */
  tokenize(sequence: string): Token[];
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** Token -> id for the whole vocabulary. */
  getVocab(): Map<string, number>;
  getVocabSize(): number;
  /** The tokenizer.json object of this model. */
  toJSON(): Record<string, unknown>;
}
