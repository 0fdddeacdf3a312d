// Metaspace decoder: "▁" back to spaces, dropping the one added in front of the first token (Rust `pre_tokenizers::metaspace` Decoder).
import type { PrependScheme } from "../pre-tokenizers/metaspace.js";
import type { Decoder } from "./decoder.js";

/**
 * Metaspace decoder.
 * @example
 * ```ts
 * new MetaspaceDecoder().decodeChain(["▁Hello", "▁world"]).join(""); // "Hello world"
 * ```
 */
export class MetaspaceDecoder implements Decoder {
  constructor(
    readonly replacement = "\u2581",
    readonly prependScheme: PrependScheme = "always",
    readonly split = true,
  ) {}
  decodeChain(tokens: string[]): string[] {
    return tokens.map((t, i) => {
      let out = "";
      for (const ch of t) {
        if (ch === this.replacement) {
          if (!(i === 0 && this.prependScheme !== "never")) out += " ";
        } else out += ch;
      }
      return out;
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: "Metaspace", replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}
