// Replace normalizer: replaces a literal string or a regex by fixed content (Rust `normalizers::replace`).
import type { NormalizedString } from "../internal/normalized-string.js";
import { replaceMatches } from "../internal/replace-matches.js";
import { StringOrRegex, type PatternSpec } from "../internal/string-pattern.js";
import type { Normalizer } from "./normalizer.js";

/**
 * Replaces every match of `pattern` by `content`.
 * @example
 * ```ts
 * new Replace({ String: " " }, "▁").toJSON(); // { type: "Replace", pattern: { String: " " }, content: "▁" }
 * ```
 */
export class Replace implements Normalizer {
  readonly pattern: StringOrRegex;
  constructor(
    pattern: PatternSpec | string,
    readonly content: string,
  ) {
    this.pattern = new StringOrRegex(pattern, "Replace normalizer");
  }
  normalize(ns: NormalizedString): void {
    replaceMatches(ns, this.pattern.findMatches(ns.normalized), this.content);
  }
  toJSON(): Record<string, unknown> {
    return { type: "Replace", pattern: this.pattern.spec, content: this.content };
  }
}
