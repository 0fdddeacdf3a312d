// CharDelimiterSplit pre-tokenizer: splits on one char, removing it (Rust `pre_tokenizers::delimiter`).
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import { findCharMatches, splitByMatches } from "../internal/split-behavior.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/**
 * Splits on `delimiter`.
 * @example
 * ```ts
 * new CharDelimiterSplit("-").toJSON(); // { type: "CharDelimiterSplit", delimiter: "-" }
 * ```
 */
export class CharDelimiterSplit implements PreTokenizer {
  private readonly cp: number;
  constructor(readonly delimiter: string) {
    this.cp = delimiter.codePointAt(0)!;
  }
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => splitByMatches(ns, findCharMatches(ns.normalized, (c) => c === this.cp), "Removed"));
  }
  toJSON(): Record<string, unknown> {
    return { type: "CharDelimiterSplit", delimiter: this.delimiter };
  }
}
