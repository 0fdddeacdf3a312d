// Replace decoder: replaces a string or regex inside every token (Rust `normalizers::replace` Decoder).
import { StringOrRegex, type PatternSpec } from "../internal/string-pattern.js";
import type { Decoder } from "./decoder.js";

/**
 * Replace decoder (Llama uses it to turn "▁" back into spaces).
 * @example
 * ```ts
 * new ReplaceDecoder({ String: "▁" }, " ").decodeChain(["▁Hi"]); // [" Hi"]
 * ```
 */
export class ReplaceDecoder implements Decoder {
  readonly pattern: StringOrRegex;
  constructor(
    pattern: PatternSpec | string,
    readonly content: string,
  ) {
    this.pattern = new StringOrRegex(pattern, "Replace decoder");
  }
  decodeChain(tokens: string[]): string[] {
    return tokens.map((t) => {
      const m = this.pattern.findMatches(t);
      let out = "";
      for (let i = 0; i < m.length; i += 3) out += m[i + 2] === 1 ? this.content : t.slice(m[i], m[i + 1]);
      return out;
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: "Replace", pattern: this.pattern.spec, content: this.content };
  }
}
