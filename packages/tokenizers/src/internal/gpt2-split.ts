// Hand-written scanner equal to GPT-2's ByteLevel split regex ('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+), without a RegExp exec and match string per word.
import { isNumeric, isWhitespace } from "./char-classes.js";

const OTHER = 0;
const LETTER = 1;
const NUMBER = 2;
const SPACE = 3;

/** Classes of BMP code points: 0 = not computed yet, else class + 1. ASCII is filled eagerly. */
const bmp = new Uint8Array(0x10000);
const letterRe = /^\p{L}$/u;

function classify(cp: number): number {
  if (isWhitespace(cp)) return SPACE;
  if (letterRe.test(String.fromCodePoint(cp))) return LETTER;
  if (isNumeric(cp)) return NUMBER;
  return OTHER;
}
for (let c = 0; c < 0x80; c++) bmp[c] = classify(c) + 1;

/** Class of code point `cp` (the regex's `\s` is the White_Space set, as `isWhitespace`). */
function classOf(cp: number): number {
  if (cp < 0x10000) {
    const v = bmp[cp];
    if (v !== 0) return v - 1;
    const k = classify(cp);
    bmp[cp] = k + 1;
    return k;
  }
  return classify(cp);
}

/** Code point at `i` of `s` (a lone surrogate is itself, as with the `u` flag). */
function cpAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if ((c & 0xfc00) === 0xd800 && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if ((d & 0xfc00) === 0xdc00) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** End of the run of class `k` starting at `i`. */
function runEnd(s: string, i: number, k: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (bmp[c] - 1 !== k) break;
      i++;
      continue;
    }
    const cp = cpAt(s, i);
    if (classOf(cp) !== k) break;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return i;
}

/** Length of the contraction ('s 't 're 've 'm 'll 'd) at `i`, or 0. */
function contraction(s: string, i: number): number {
  if (i + 1 >= s.length) return 0;
  const a = s.charCodeAt(i + 1);
  if (a === 0x73 || a === 0x74 || a === 0x6d || a === 0x64) return 2;
  if (i + 2 >= s.length) return 0;
  const b = s.charCodeAt(i + 2);
  if ((a === 0x72 && b === 0x65) || (a === 0x76 && b === 0x65) || (a === 0x6c && b === 0x6c)) return 3;
  return 0;
}

/**
 * Matches of GPT-2's split regex as `[start, end, 1]` triples (the format of `findRegexMatches`; every char belongs to
 * some match, so there are no unmatched gaps). Leftmost-first alternation is followed branch by branch.
 */
export function gpt2SplitMatches(s: string): number[] {
  const n = s.length;
  const out: number[] = [];
  if (n === 0) {
    out.push(0, 0, 0);
    return out;
  }
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x27) {
      const l = contraction(s, i);
      if (l > 0) {
        out.push(i, i + l, 1);
        i += l;
        continue;
      }
    }
    if (c === 0x20 && i + 1 < n) {
      const k = classOf(cpAt(s, i + 1));
      if (k !== SPACE) {
        const e = runEnd(s, i + 1, k);
        out.push(i, e, 1);
        i = e;
        continue;
      }
    }
    const k = c < 0x80 ? bmp[c] - 1 : classOf(cpAt(s, i));
    if (k !== SPACE) {
      const e = runEnd(s, i, k);
      out.push(i, e, 1);
      i = e;
      continue;
    }
    // \s+(?!\S) backs off one char when non-space follows, unless that leaves nothing; then \s+ takes the run.
    const r = runEnd(s, i, SPACE);
    const e = r === n || r - i === 1 ? r : r - 1;
    out.push(i, e, 1);
    i = e;
  }
  return out;
}
