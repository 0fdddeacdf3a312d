// Split pre-tokenizer: splits on a string or regex with any delimiter behavior, optionally inverted (Rust `pre_tokenizers::split`).
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import { invertMatches, splitByMatches, type SplitDelimiterBehavior } from "../internal/split-behavior.js";
import { StringOrRegex, type PatternSpec } from "../internal/string-pattern.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/**
 * Splits on `pattern`.
 * @example
 * ```ts
 * new Split({ Regex: "\\d+" }, "Isolated").toJSON();
 * ```
 */
export class Split implements PreTokenizer {
  readonly pattern: StringOrRegex;
  constructor(
    pattern: PatternSpec | string,
    readonly behavior: SplitDelimiterBehavior,
    readonly invert = false,
  ) {
    this.pattern = new StringOrRegex(pattern, "Split pre-tokenizer");
  }
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => {
      const m = this.pattern.findMatches(ns.normalized);
      return splitByMatches(ns, this.invert ? invertMatches(m) : m, this.behavior);
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: "Split", pattern: this.pattern.spec, behavior: this.behavior, invert: this.invert };
  }
}
