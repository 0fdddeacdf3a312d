// Precompiled normalizer: SentencePiece's charsmap, a double-array trie over UTF-8 bytes plus replacement strings (Rust `spm_precompiled`).
import { base64ToBytes, bytesToBase64 } from "../internal/base64.js";
import type { NormalizedString } from "../internal/normalized-string.js";
import { graphemes, mayJoinCluster } from "../internal/graphemes.js";
import { decodeUtf8Lossy, writeUtf8 } from "../internal/utf8.js";
import type { Normalizer } from "./normalizer.js";

/**
 * The SentencePiece normalization rules compiled into a charsmap (T5, ALBERT, XLNet, ...).
 * @example
 * ```ts
 * const n = new Precompiled(json.normalizer.precompiled_charsmap);
 * ```
 */
export class Precompiled implements Normalizer {
  private readonly charsmap: Uint8Array;
  private readonly trie: Uint32Array;
  private readonly normalizedBlob: Uint8Array;
  private readonly decoded = new Map<number, string>();
  private readonly charCache = new Map<number, string | null>();
  private readonly scratch = new Uint8Array(64);

  /** `charsmap`: the base64 string of tokenizer.json or the raw bytes. */
  constructor(charsmap: string | Uint8Array) {
    const bytes = typeof charsmap === "string" ? base64ToBytes(charsmap) : charsmap;
    if (bytes.length < 4) throw new Error("Precompiled normalizer: precompiled_charsmap is shorter than its 4-byte header; the file is damaged.");
    this.charsmap = bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const trieSize = view.getUint32(0, true);
    if (4 + trieSize > bytes.length) throw new Error("Precompiled normalizer: precompiled_charsmap trie size exceeds the data; the file is damaged.");
    const n = trieSize >>> 2;
    this.trie = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.trie[i] = view.getUint32(4 + i * 4, true);
    this.normalizedBlob = bytes.subarray(4 + trieSize);
  }

  /** First (shortest) prefix of `key[0..len)` found in the trie, as an index into the replacement blob, or -1. */
  private firstPrefix(key: Uint8Array, len: number): number {
    const a = this.trie;
    if (a.length === 0) return -1;
    let pos = 0;
    let unit = a[0];
    pos ^= (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    for (let i = 0; i < len; i++) {
      const c = key[i];
      if (c === 0) break;
      pos ^= c;
      if (pos >= a.length) return -1;
      unit = a[pos];
      // label: unit & ((1 << 31) | 0xff)
      if ((unit & 0x800000ff) >>> 0 !== c) return -1;
      pos ^= (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
      if ((unit >>> 8) & 1) return a[pos] & 0x7fffffff;
    }
    return -1;
  }

  private replacementAt(index: number): string {
    let s = this.decoded.get(index);
    if (s === undefined) {
      const blob = this.normalizedBlob;
      let end = index;
      while (end < blob.length && blob[end] !== 0) end++;
      s = decodeUtf8Lossy(blob.subarray(index, end));
      this.decoded.set(index, s);
    }
    return s;
  }

  /** Replacement of a chunk (a grapheme or one char), or null when the charsmap leaves it alone. */
  private transformChunk(s: string, start: number, end: number): string | null {
    let len = 0;
    for (let i = start; i < end; ) {
      const cp = s.codePointAt(i)!;
      i += cp >= 0x10000 ? 2 : 1;
      if (len + 4 > this.scratch.length) return null;
      len += writeUtf8(cp, this.scratch, len);
    }
    const idx = this.firstPrefix(this.scratch, len);
    return idx < 0 ? null : this.replacementAt(idx);
  }

  private transformChar(cp: number): string | null {
    let r = this.charCache.get(cp);
    if (r === undefined) {
      const len = writeUtf8(cp, this.scratch, 0);
      const idx = this.firstPrefix(this.scratch, len);
      r = idx < 0 ? null : this.replacementAt(idx);
      this.charCache.set(cp, r);
    }
    return r;
  }

  /** Per BMP code point: 0 = not computed, 1 = kept alone (own cluster, no replacement), 2 = may change. */
  private readonly keptBmp = new Uint8Array(0x10000);

  private keptAlone(cp: number): boolean {
    if (cp < 0x10000) {
      const v = this.keptBmp[cp];
      if (v !== 0) return v === 1;
      const k = !mayJoinCluster(cp) && this.transformChar(cp) === null;
      this.keptBmp[cp] = k ? 1 : 2;
      return k;
    }
    return !mayJoinCluster(cp) && this.transformChar(cp) === null;
  }

  /**
   * True when no char of `s` can join a grapheme cluster and the charsmap replaces none of them: then every cluster is
   * one char that stays as it is, and the full pass (segmenter, char arrays) would change nothing.
   */
  private untouched(s: string): boolean {
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      if (!this.keptAlone(cp)) return false;
      i += cp >= 0x10000 ? 2 : 1;
    }
    return true;
  }

  normalize(ns: NormalizedString): void {
    const s = ns.normalized;
    if (this.untouched(s)) return;
    const cps: number[] = [];
    const changes: number[] = [];
    let modified = false;
    // Rust's `replace`: new chars with change 0, then fix the last entries up for the size difference.
    const replace = (oldCount: number, repl: string): void => {
      let newCount = 0;
      for (const ch of repl) {
        cps.push(ch.codePointAt(0)!);
        changes.push(0);
        newCount++;
      }
      const diff = newCount - oldCount;
      if (diff > 0) for (let k = 0; k < diff; k++) changes[changes.length - 1 - k] = 1;
      else if (diff < 0 && changes.length > 0) changes[changes.length - 1] += diff;
    };
    // Clusters of 6+ bytes are read char by char below, so they need not be found exactly.
    const g = graphemes(s, true);
    for (let gi = 0; gi < g.length; gi += 2) {
      const st = g[gi];
      const en = g[gi + 1];
      const first = s.codePointAt(st)!;
      const firstLen = first >= 0x10000 ? 2 : 1;
      if (st + firstLen === en) {
        const norm = this.transformChar(first);
        if (norm !== null) {
          modified = true;
          replace(1, norm);
        } else {
          cps.push(first);
          changes.push(0);
        }
        continue;
      }
      let bytes = 0;
      let count = 0;
      for (let i = st; i < en; ) {
        const cp = s.codePointAt(i)!;
        i += cp >= 0x10000 ? 2 : 1;
        bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        count++;
      }
      if (bytes < 6) {
        const norm = this.transformChunk(s, st, en);
        if (norm !== null) {
          modified = true;
          replace(count, norm);
          continue;
        }
      }
      for (let i = st; i < en; ) {
        const cp = s.codePointAt(i)!;
        i += cp >= 0x10000 ? 2 : 1;
        const norm = this.transformChar(cp);
        if (norm !== null) {
          modified = true;
          replace(1, norm);
        } else {
          cps.push(cp);
          changes.push(0);
        }
      }
    }
    if (modified) ns.transform(cps, changes, cps.length, 0);
  }

  toJSON(): Record<string, unknown> {
    return { type: "Precompiled", precompiled_charsmap: bytesToBase64(this.charsmap) };
  }
}
