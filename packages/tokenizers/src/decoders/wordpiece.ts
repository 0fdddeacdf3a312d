// WordPiece decoder: joins "##" continuations and optionally cleans up tokenization spaces (Rust `decoders::wordpiece`).
import type { Decoder } from "./decoder.js";

/** Rust `cleanup`: removes the spaces tokenization put before punctuation and contractions. */
export function cleanupTokenizationSpaces(s: string): string {
  return s
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" do not", " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/**
 * WordPiece decoder.
 * @example
 * ```ts
 * new WordPieceDecoder("##", true).decodeChain(["play", "##ing", "."]).join(""); // "playing."
 * ```
 */
export class WordPieceDecoder implements Decoder {
  constructor(
    readonly prefix = "##",
    readonly cleanup = true,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((t, i) => {
      let tok = t;
      if (i !== 0) tok = tok.startsWith(this.prefix) ? tok.slice(this.prefix.length) : " " + tok;
      return this.cleanup ? cleanupTokenizationSpaces(tok) : tok;
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: "WordPiece", prefix: this.prefix, cleanup: this.cleanup };
  }
}
