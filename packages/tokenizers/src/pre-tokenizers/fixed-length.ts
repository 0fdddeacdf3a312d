// FixedLength pre-tokenizer: chunks of `length` chars (Rust `pre_tokenizers::fixed_length`).
import type { NormalizedString } from "../internal/normalized-string.js";
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/**
 * Cuts text into pieces of `length` characters.
 * @example
 * ```ts
 * new FixedLength(5).toJSON(); // { type: "FixedLength", length: 5 }
 * ```
 */
export class FixedLength implements PreTokenizer {
  constructor(readonly length = 5) {}
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => {
      const s = ns.normalized;
      const out: NormalizedString[] = [];
      if (this.length === 0) return out;
      let start = 0;
      let count = 0;
      for (let i = 0; i < s.length; ) {
        i += s.codePointAt(i)! >= 0x10000 ? 2 : 1;
        if (++count === this.length) {
          out.push(ns.slice(start, i));
          start = i;
          count = 0;
        }
      }
      if (start < s.length) out.push(ns.slice(start, s.length));
      return out;
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: "FixedLength", length: this.length };
  }
}
