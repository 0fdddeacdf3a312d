// Strip decoder: removes up to `start` leading and `stop` trailing copies of a char from every token (Rust `decoders::strip`).
import type { Decoder } from "./decoder.js";

/**
 * Strip decoder.
 * @example
 * ```ts
 * new StripDecoder(" ", 1, 0).decodeChain([" Hello"]); // ["Hello"]
 * ```
 */
export class StripDecoder implements Decoder {
  constructor(
    readonly content: string,
    readonly start: number,
    readonly stop: number,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((t) => {
      const chars = [...t];
      let startCut = 0;
      for (let i = 0; i < Math.min(this.start, chars.length); i++) {
        if (chars[i] === this.content) startCut = i + 1;
        else break;
      }
      let stopCut = chars.length;
      for (let i = 0; i < this.stop; i++) {
        const index = chars.length - i - 1;
        if (index < 0) break;
        if (chars[index] === this.content) stopCut = index;
        else break;
      }
      return stopCut > startCut ? chars.slice(startCut, stopCut).join("") : "";
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: "Strip", content: this.content, start: this.start, stop: this.stop };
  }
}
