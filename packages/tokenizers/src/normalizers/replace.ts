// Replace normalizer: replaces a literal string or a regex by fixed content (Rust `normalizers::replace`).
import type { NormalizedString } from "../internal/normalized-string.js";
import { replaceMatches } from "../internal/replace-matches.js";
import { StringOrRegex, type PatternSpec } from "../internal/string-pattern.js";
import type { Normalizer } from "./normalizer.js";

function isSingleUnit(s: string): boolean {
  return s.length === 1 && (s.charCodeAt(0) & 0xf800) !== 0xd800;
}

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
    const spec = this.pattern.spec;
    // One unit replaced by one unit (Llama's " " -> "▁"): each new unit takes the replaced unit's own span, so only the
    // text changes.
    if ("String" in spec && isSingleUnit(spec.String) && isSingleUnit(this.content)) {
      const s = ns.normalized;
      if (s.indexOf(spec.String) >= 0) ns.replaceSameShape(s.split(spec.String).join(this.content));
      return;
    }
    replaceMatches(ns, this.pattern.findMatches(ns.normalized), this.content);
  }
  toJSON(): Record<string, unknown> {
    return { type: "Replace", pattern: this.pattern.spec, content: this.content };
  }
}
