// Fuse decoder: joins all tokens into one string (Rust `decoders::fuse`).
import type { Decoder } from "./decoder.js";

/**
 * Fuse decoder.
 * @example
 * ```ts
 * new Fuse().decodeChain(["a", "b"]); // ["ab"]
 * ```
 */
export class Fuse implements Decoder {
  decodeChain(tokens: string[]): string[] {
    return [tokens.join("")];
  }
  toJSON(): Record<string, unknown> {
    return { type: "Fuse" };
  }
}
