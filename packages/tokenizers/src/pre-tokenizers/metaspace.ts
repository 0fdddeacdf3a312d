// Metaspace pre-tokenizer: spaces become "▁", a prefix "▁" is added per scheme, then split before each "▁" (Rust `pre_tokenizers::metaspace`).
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import { replaceMatches } from "../internal/replace-matches.js";
import { findCharMatches, splitByMatches } from "../internal/split-behavior.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/** When Metaspace adds the replacement in front: always, only on the first piece of the input, or never. */
export type PrependScheme = "always" | "first" | "never";

/**
 * SentencePiece-style metaspace pre-tokenizer.
 * @example
 * ```ts
 * new Metaspace("▁", "always", true).toJSON(); // { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true }
 * ```
 */
export class Metaspace implements PreTokenizer {
  private readonly cp: number;
  private readonly cpString: string;
  constructor(
    readonly replacement = "\u2581",
    readonly prependScheme: PrependScheme = "always",
    readonly split = true,
  ) {
    this.cp = replacement.codePointAt(0)!;
    this.cpString = String.fromCodePoint(this.cp);
  }

  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => {
      if (ns.normalized.indexOf(" ") >= 0) replaceMatches(ns, findCharMatches(ns.normalized, (c) => c === 0x20), this.replacement);
      const before = ns.normalized;
      let prepended = false;
      if (this.prependScheme === "always") {
        if (!before.startsWith(this.replacement)) {
          ns.prepend(this.replacement);
          prepended = true;
        }
      } else if (this.prependScheme === "first") {
        if (!before.startsWith(this.replacement) && ns.origStart === 0) {
          ns.prepend(this.replacement);
          prepended = true;
        }
      }
      if (this.split) {
        // No replacement char after the leading one: MergedWithNext keeps the piece whole. After a prepend of the
        // one-char replacement that is the text before it (searching it spares flattening the new string).
        const s = ns.normalized;
        const r = this.cpString;
        const after = prepended && this.replacement === r ? before.indexOf(r) >= 0 : s.indexOf(r, s.startsWith(r) ? r.length : 0) >= 0;
        if (!after) return [ns];
        return splitByMatches(ns, findCharMatches(s, (c) => c === this.cp), "MergedWithNext");
      }
      return [ns];
    });
  }

  toJSON(): Record<string, unknown> {
    return { type: "Metaspace", replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}
