// The Decoder interface: turns tokens back into text pieces, serialising to its tokenizer.json form.

/** A decoding step (Rust `Decoder`). */
export interface Decoder {
  /** Transforms the token strings; the final text is the concatenation of the result. */
  decodeChain(tokens: string[]): string[];
  /** The tokenizer.json object of this decoder. */
  toJSON(): Record<string, unknown>;
}
