// Turning pattern matches into pieces for each SplitDelimiterBehavior (follows the Rust crate's NormalizedString::split).
import type { NormalizedString } from "./normalized-string.js";

/** How the matched delimiters are kept: Rust's `SplitDelimiterBehavior`. */
export type SplitDelimiterBehavior = "Removed" | "Isolated" | "MergedWithPrevious" | "MergedWithNext" | "Contiguous";

export const SPLIT_BEHAVIORS: readonly SplitDelimiterBehavior[] = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"];

/**
 * Matches as flat triples `[start, end, isMatch(0|1), ...]` covering the whole string in order (Rust `find_matches`),
 * turned into the pieces of `ns` for `behavior`. Empty pieces are dropped later by the pre-tokenized string.
 */
export function splitByMatches(ns: NormalizedString, m: number[], behavior: SplitDelimiterBehavior): NormalizedString[] {
  const out: NormalizedString[] = [];
  const n = m.length / 3;
  switch (behavior) {
    case "Isolated":
      for (let i = 0; i < n; i++) out.push(ns.slice(m[i * 3], m[i * 3 + 1]));
      return out;
    case "Removed":
      for (let i = 0; i < n; i++) if (m[i * 3 + 2] === 0) out.push(ns.slice(m[i * 3], m[i * 3 + 1]));
      return out;
    case "Contiguous": {
      const ranges: number[] = [];
      let prev = false;
      for (let i = 0; i < n; i++) {
        const isMatch = m[i * 3 + 2] === 1;
        if (isMatch === prev && ranges.length > 0) ranges[ranges.length - 1] = m[i * 3 + 1];
        else ranges.push(m[i * 3], m[i * 3 + 1]);
        prev = isMatch;
      }
      for (let i = 0; i < ranges.length; i += 2) out.push(ns.slice(ranges[i], ranges[i + 1]));
      return out;
    }
    case "MergedWithPrevious": {
      const ranges: number[] = [];
      let prev = false;
      for (let i = 0; i < n; i++) {
        const isMatch = m[i * 3 + 2] === 1;
        if (isMatch && !prev && ranges.length > 0) ranges[ranges.length - 1] = m[i * 3 + 1];
        else ranges.push(m[i * 3], m[i * 3 + 1]);
        prev = isMatch;
      }
      for (let i = 0; i < ranges.length; i += 2) out.push(ns.slice(ranges[i], ranges[i + 1]));
      return out;
    }
    case "MergedWithNext": {
      const ranges: number[] = [];
      let prev = false;
      for (let i = n - 1; i >= 0; i--) {
        const isMatch = m[i * 3 + 2] === 1;
        if (isMatch && !prev && ranges.length > 0) ranges[ranges.length - 2] = m[i * 3];
        else ranges.push(m[i * 3], m[i * 3 + 1]);
        prev = isMatch;
      }
      for (let i = ranges.length - 2; i >= 0; i -= 2) out.push(ns.slice(ranges[i], ranges[i + 1]));
      return out;
    }
  }
}

/** Rust `Pattern for Fn(char) -> bool`: every matching char is its own match; runs of others are merged. */
export function findCharMatches(s: string, pred: (cp: number) => boolean): number[] {
  const out: number[] = [];
  if (s.length === 0) {
    out.push(0, 0, 0);
    return out;
  }
  let lastOffset = 0;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const l = cp >= 0x10000 ? 2 : 1;
    if (pred(cp)) {
      if (lastOffset < i) out.push(lastOffset, i, 0);
      out.push(i, i + l, 1);
      lastOffset = i + l;
    }
    i += l;
  }
  if (s.length > lastOffset) out.push(lastOffset, s.length, 0);
  return out;
}

/** Rust `Invert`: flips every match flag. */
export function invertMatches(m: number[]): number[] {
  for (let i = 2; i < m.length; i += 3) m[i] = m[i] === 1 ? 0 : 1;
  return m;
}
