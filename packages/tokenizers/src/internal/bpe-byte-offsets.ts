// Token offsets of a BPE word the way Rust's `Word::get_offsets_iter` makes them when symbols do not tile the word (dropped chars).
import type { BpeWord } from "./bpe-word.js";
import type { Token } from "./token.js";

/**
 * Rust gives each symbol a byte length and a token's offsets are the running sum of those lengths, in bytes of the
 * word's UTF-8. A char that is dropped (unknown, no unk token) adds no symbol, so every later token starts that many
 * bytes earlier, and its byte range may begin or end inside another char. The byte range then becomes the span from
 * the char holding its first byte to the char holding its last byte (NormalizedString's `convert_offsets` reads the
 * alignments of exactly those bytes), given here in UTF-16 units of `w`.
 *
 * `lens[k]` is the byte length of symbol `k` as added; merged symbols are runs of consecutive ones.
 */
export function rustByteOffsetTokens(word: BpeWord, w: string, lens: readonly number[], vocabR: readonly string[]): Token[] {
  // Char of every byte of w: start and end unit.
  const charStart: number[] = [];
  const charEnd: number[] = [];
  for (let i = 0; i < w.length; ) {
    const cp = w.codePointAt(i)!;
    const l = cp >= 0x10000 ? 2 : 1;
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let b = 0; b < bytes; b++) {
      charStart.push(i);
      charEnd.push(i + l);
    }
    i += l;
  }
  const total = charStart.length;
  const out: Token[] = [];
  let pos = 0;
  for (let i = 0; i < word.n; i++) {
    if (!word.alive[i]) continue;
    const nextAlive = word.next[i] === -1 ? word.n : word.next[i];
    let len = 0;
    for (let k = i; k < nextAlive; k++) len += lens[k];
    const a = pos;
    const b = pos + len;
    pos = b;
    const start = a < total ? charStart[a] : w.length;
    const end = b - 1 < total ? charEnd[b - 1] : w.length;
    out.push({ id: word.ids[i], value: vocabR[word.ids[i]], start, end: Math.max(start, end) });
  }
  return out;
}
