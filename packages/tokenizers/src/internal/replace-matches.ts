// NormalizedString::replace: every match becomes `content`, each new char aligned to the last char of the match.
import type { NormalizedString } from "./normalized-string.js";

/** Replaces the matched ranges (flat `[start, end, isMatch]` triples) of `ns` by `content`. */
export function replaceMatches(ns: NormalizedString, m: number[], content: string): void {
  let anyMatch = false;
  for (let i = 2; i < m.length; i += 3) if (m[i] === 1) anyMatch = true;
  if (!anyMatch) return;
  const s = ns.normalized;
  const old = ns.align;
  const pieces: string[] = [];
  let outLen = 0;
  const clen = content.length;
  for (let i = 0; i < m.length; i += 3) outLen += m[i + 2] === 1 ? clen : m[i + 1] - m[i];
  const align = new Int32Array(outLen * 2);
  let w = 0;
  for (let i = 0; i < m.length; i += 3) {
    const st = m[i];
    const en = m[i + 1];
    if (m[i + 2] === 1) {
      pieces.push(content);
      let a0: number;
      let a1: number;
      if (en < 1) {
        a0 = ns.origStart;
        a1 = ns.origStart;
      } else {
        a0 = old[(en - 1) * 2];
        a1 = old[(en - 1) * 2 + 1];
      }
      for (let k = 0; k < clen; k++) {
        align[w++] = a0;
        align[w++] = a1;
      }
    } else {
      pieces.push(s.slice(st, en));
      align.set(old.subarray(st * 2, en * 2), w);
      w += (en - st) * 2;
    }
  }
  ns.normalized = pieces.join("");
  ns.align = align;
}
