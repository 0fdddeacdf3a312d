// Sequence pre-tokenizer: runs several pre-tokenizers in order (Rust `pre_tokenizers::sequence`).
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/**
 * Runs `preTokenizers` one after the other.
 * @example
 * ```ts
 * new PreTokenizerSequence([new WhitespaceSplit(), new Metaspace()]).toJSON();
 * ```
 */
export class PreTokenizerSequence implements PreTokenizer {
  constructor(readonly preTokenizers: PreTokenizer[]) {}
  preTokenize(pts: PreTokenizedString): void {
    for (const p of this.preTokenizers) p.preTokenize(pts);
  }
  toJSON(): Record<string, unknown> {
    return { type: "Sequence", pretokenizers: this.preTokenizers.map((p) => p.toJSON()) };
  }
}
