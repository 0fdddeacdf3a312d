// Sequence decoder: chains decoders, each working on the previous one's token list (Rust `decoders::sequence`).
import type { Decoder } from "./decoder.js";

/**
 * Chains decoders.
 * @example
 * ```ts
 * new DecoderSequence([new ByteFallback(), new Fuse()]).decodeChain(["a", "b"]); // ["ab"]
 * ```
 */
export class DecoderSequence implements Decoder {
  constructor(readonly decoders: Decoder[]) {}
  decodeChain(tokens: string[]): string[] {
    let t = tokens;
    for (const d of this.decoders) t = d.decodeChain(t);
    return t;
  }
  toJSON(): Record<string, unknown> {
    return { type: "Sequence", decoders: this.decoders.map((d) => d.toJSON()) };
  }
}
