// The `pattern` field of Replace/Split: {"String": "..."} or {"Regex": "..."}, compiled once to a JS regex.
import { compileOnig, escapeRegex, findRegexMatches } from "./onig-regex.js";
import { JsonObj, TokenizerJSONError } from "./json-reader.js";

/** Serialized pattern: Rust `SplitPattern` / `ReplacePattern`. */
export type PatternSpec = { String: string } | { Regex: string };

/** A compiled String-or-Regex pattern. */
export class StringOrRegex {
  readonly spec: PatternSpec;
  readonly re: RegExp;

  constructor(spec: PatternSpec | string, where: string) {
    this.spec = typeof spec === "string" ? { String: spec } : spec;
    this.re = "String" in this.spec ? new RegExp(escapeRegex(this.spec.String), "gu") : compileOnig(this.spec.Regex, where);
  }

  /** Flat `[start, end, isMatch]` triples covering `s`. */
  findMatches(s: string): number[] {
    return findRegexMatches(this.re, s);
  }

  static fromJSON(o: JsonObj, key: string, where: string): StringOrRegex {
    const p = o.child(key);
    if (typeof p.raw("String") === "string") return new StringOrRegex({ String: p.raw("String") as string }, where);
    if (typeof p.raw("Regex") === "string") return new StringOrRegex({ Regex: p.raw("Regex") as string }, where);
    throw new TokenizerJSONError(p.path, 'expected {"String": "..."} or {"Regex": "..."}.');
  }
}
