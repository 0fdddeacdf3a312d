// BPEDecoder: the end-of-word suffix becomes a space (none after the last token) (Rust `decoders::bpe`).
import type { Decoder } from "./decoder.js";

/**
 * Decoder for BPE models with an end-of-word suffix.
 * @example
 * ```ts
 * new BPEDecoder("</w>").decodeChain(["hello</w>", "world</w>"]).join(""); // "hello world"
 * ```
 */
export class BPEDecoder implements Decoder {
  constructor(readonly suffix = "</w>") {}
  decodeChain(tokens: string[]): string[] {
    const n = tokens.length - 1;
    return tokens.map((t, i) => t.replaceAll(this.suffix, i === n ? "" : " "));
  }
  toJSON(): Record<string, unknown> {
    return { type: "BPEDecoder", suffix: this.suffix };
  }
}
