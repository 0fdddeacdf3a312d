// Seed pieces of Unigram training: characters and frequent substrings, as `make_seed_sentence_pieces` of the Rust tokenizers crate.

import { compareCodePoints } from "./code-points.js";
import { forEachRepeatedSubstring } from "./suffix-substrings.js";
import { toLogProb } from "./unigram-math.js";

/**
 * Characters by count (then code point, both descending), then the repeated substrings of the
 * '\0'-joined distinct words scored by occurrences x length (then by the string, descending),
 * up to `seedSize` pieces; scores become log-probabilities. Substrings are counted once per
 * distinct word, not weighted by word counts (as in Rust).
 * @example seedPieces([["This is a", 1]], 16, 1e6).map(([s]) => s) // ["s", "i", " ", "h", "a", "T", "is ", "s "]
 */
export function seedPieces(
  sentences: ReadonlyArray<readonly [string, number]>,
  maxPieceLength: number,
  seedSize: number,
): Array<[string, number]> {
  const flat: number[] = [];
  const allChars = new Map<number, number>();
  for (const [s, n] of sentences) {
    if (s.length === 0) continue;
    for (const c of s) {
      const cp = c.codePointAt(0) ?? 0;
      flat.push(cp);
      if (cp !== 0) allChars.set(cp, (allChars.get(cp) ?? 0) + n);
    }
    flat.push(0);
  }
  const text = Int32Array.from(flat);
  // nextZero[i]: position of the first '\0' at or after i (pieces never span words).
  const nextZero = new Int32Array(text.length + 1);
  nextZero[text.length] = text.length;
  for (let i = text.length - 1; i >= 0; i--) nextZero[i] = text[i] === 0 ? i : nextZero[i + 1];

  const substrings: Array<[number, string]> = [];
  forEachRepeatedSubstring(text, (start, length, freq) => {
    if (length <= 1 || length > maxPieceLength || start + length > nextZero[start]) return;
    substrings.push([freq * length, String.fromCodePoint(...text.subarray(start, start + length))]);
  });
  const seeds: Array<[string, number]> = [...allChars]
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .map(([cp, n]) => [String.fromCodePoint(cp), n]);
  substrings.sort((a, b) => b[0] - a[0] || compareCodePoints(b[1], a[1]));
  for (const [score, s] of substrings) {
    seeds.push([s, score]);
    if (seeds.length >= seedSize) break;
  }
  toLogProb(seeds);
  return seeds;
}
