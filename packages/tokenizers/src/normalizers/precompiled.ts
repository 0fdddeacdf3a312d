// Precompiled normalizer: SentencePiece's charsmap, a double-array trie over UTF-8 bytes plus replacement strings (Rust `spm_precompiled`).
import { base64ToBytes, bytesToBase64 } from "../internal/base64.js";
import type { NormalizedString } from "../internal/normalized-string.js";
import { graphemes, mayJoinCluster } from "../internal/graphemes.js";
import { decodeUtf8Lossy, writeUtf8 } from "../internal/utf8.js";
import type { Normalizer } from "./normalizer.js";

/** Clusters of `s`: `graphemes` inside each [start, end) run of `ranges` (runs start and end on certain boundaries), single chars elsewhere. */
function clustersIn(s: string, ranges: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  for (let r = 0; r <= ranges.length; r += 2) {
    const a = r < ranges.length ? ranges[r] : s.length;
    while (i < a) {
      const l = (s.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      out.push(i, i + l);
      i += l;
    }
    if (r === ranges.length) break;
    const g = graphemes(s.slice(a, ranges[r + 1]), true);
    for (let k = 0; k < g.length; k++) out.push(g[k] + a);
    i = ranges[r + 1];
  }
  return out;
}

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

  /** Per BMP code point: 0 = not computed, else 1 | REPLACED | LONGER | JOINS, see `flags`. */
  private readonly flagsBmp = new Uint8Array(0x10000);

  /**
   * 2 (REPLACED): the charsmap replaces the char alone; 8 (LONGER): it has a longer key starting with the char (only
   * with one of these two can a cluster starting with it differ from its chars taken one by one); 4: it may join a
   * grapheme cluster.
   */
  private flags(cp: number): number {
    if (cp < 0x10000) {
      let f = this.flagsBmp[cp];
      if (f === 0) {
        f = this.computeFlags(cp);
        this.flagsBmp[cp] = f;
      }
      return f;
    }
    return this.computeFlags(cp);
  }

  private computeFlags(cp: number): number {
    return 1 | (this.transformChar(cp) !== null ? 2 : 0) | (this.hasLongerKey(cp) ? 8 : 0) | (mayJoinCluster(cp) ? 4 : 0);
  }

  /** Whether some trie key continues past the UTF-8 bytes of `cp` (a charsmap entry for a sequence starting with it). */
  private hasLongerKey(cp: number): boolean {
    const a = this.trie;
    if (a.length === 0 || cp === 0) return false;
    const key = this.scratch;
    const len = writeUtf8(cp, key, 0);
    let pos = 0;
    let unit = a[0];
    pos ^= (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    for (let i = 0; i < len; i++) {
      const c = key[i];
      pos ^= c;
      if (pos >= a.length) return false;
      unit = a[pos];
      if ((unit & 0x800000ff) >>> 0 !== c) return false;
      pos ^= (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
      if ((unit >>> 8) & 1) return true;
    }
    for (let b = 1; b < 256; b++) {
      const p = pos ^ b;
      if (p < a.length && (a[p] & 0x800000ff) >>> 0 === b) return true;
    }
    return false;
  }

  /** [start, end) UTF-16 ranges of the runs that need Intl.Segmenter, filled by `plan`. */
  private readonly ranges: number[] = [];

  /**
   * Cuts `s` into runs of chars linked by joiners, as `graphemes` does (between two such runs there is always a
   * cluster boundary), and lists in `ranges` the runs of two or more chars where clusters can matter: those holding a
   * REPLACED char, or a LONGER char from which some charsmap key is reached within the run's next 5 bytes (the
   * cluster lookup only reads clusters under 6 bytes). In any other run, every cluster lookup misses and each char is
   * replaced on its own. Returns -1 when nothing can change (no REPLACED char, no range), else the number of ranges.
   */
  private plan(s: string): number {
    const ranges = this.ranges;
    ranges.length = 0;
    const fb = this.flagsBmp;
    const n = s.length;
    let anyReplaced = false;
    let pieceStart = 0;
    let pieceChars = 0;
    let pieceReplaced = false;
    let pieceLonger = false;
    let prevJoins = true;
    for (let i = 0; i < n; ) {
      const c = s.charCodeAt(i);
      let f: number;
      let l = 1;
      if ((c & 0xf800) !== 0xd800) {
        f = fb[c];
        if (f === 0) f = this.flags(c);
      } else {
        let cp = c;
        if ((c & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
          cp = s.codePointAt(i)!;
          l = 2;
        }
        f = this.flags(cp);
      }
      const joins = (f & 4) !== 0;
      if (!joins && !prevJoins) {
        if (pieceChars > 1 && (pieceReplaced || (pieceLonger && this.keyInRun(s, pieceStart, i)))) ranges.push(pieceStart, i);
        pieceStart = i;
        pieceChars = 0;
        pieceReplaced = false;
        pieceLonger = false;
      }
      pieceChars++;
      if ((f & 2) !== 0) {
        anyReplaced = true;
        pieceReplaced = true;
      } else if ((f & 8) !== 0) pieceLonger = true;
      prevJoins = joins;
      i += l;
    }
    if (pieceChars > 1 && (pieceReplaced || (pieceLonger && this.keyInRun(s, pieceStart, n)))) ranges.push(pieceStart, n);
    return !anyReplaced && ranges.length === 0 ? -1 : ranges.length;
  }

  /** Whether a charsmap key starts at a LONGER char of `s[a, b)` and ends within 5 bytes and before `b`. */
  private keyInRun(s: string, a: number, b: number): boolean {
    const key = this.scratch;
    for (let j = a; j < b; ) {
      const cp = s.codePointAt(j)!;
      const l = cp >= 0x10000 ? 2 : 1;
      if ((this.flags(cp) & 8) !== 0) {
        let len = 0;
        for (let k = j; k < b && len < 5; ) {
          const c = s.codePointAt(k)!;
          k += c >= 0x10000 ? 2 : 1;
          len += writeUtf8(c, key, len);
        }
        if (this.firstPrefix(key, Math.min(len, 5)) >= 0) return true;
      }
      j += l;
    }
    return false;
  }

  /** Each char replaced on its own (valid when `plan` found no range). */
  private normalizeChars(ns: NormalizedString): void {
    const s = ns.normalized;
    if (this.sameShape(ns)) return;
    const cps: number[] = [];
    const changes: number[] = [];
    let modified = false;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      i += cp >= 0x10000 ? 2 : 1;
      const norm = (this.flags(cp) & 2) !== 0 ? this.transformChar(cp) : null;
      if (norm === null) {
        cps.push(cp);
        changes.push(0);
        continue;
      }
      modified = true;
      let newCount = 0;
      for (let k = 0; k < norm.length; ) {
        const o = norm.codePointAt(k)!;
        k += o >= 0x10000 ? 2 : 1;
        cps.push(o);
        changes.push(0);
        newCount++;
      }
      if (newCount > 1) for (let k = 0; k < newCount - 1; k++) changes[changes.length - 1 - k] = 1;
      else if (newCount === 0 && changes.length > 0) changes[changes.length - 1] -= 1;
    }
    if (modified) ns.transform(cps, changes, cps.length, 0);
  }

  /**
   * When every replaced char is one UTF-16 unit replaced by one unit (tab -> space, ZWJ -> space), Rust's alignments
   * stay those of the old chars: only the text changes. Returns false (and changes nothing) otherwise.
   */
  private sameShape(ns: NormalizedString): boolean {
    const s = ns.normalized;
    let out = "";
    let last = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if ((c & 0xf800) === 0xd800) {
        if ((this.flags(s.codePointAt(i)!) & 2) !== 0) return false;
        continue;
      }
      if ((this.flags(c) & 2) === 0) continue;
      const r = this.transformChar(c)!;
      if (r.length !== 1 || (r.charCodeAt(0) & 0xf800) === 0xd800) return false;
      out += s.slice(last, i) + r;
      last = i + 1;
    }
    ns.replaceSameShape(out + s.slice(last));
    return true;
  }

  normalize(ns: NormalizedString): void {
    const need = this.plan(ns.normalized);
    if (need < 0) return;
    if (need === 0) this.normalizeChars(ns);
    else this.normalizeClusters(ns, this.ranges);
  }

  /** The general pass over grapheme clusters (Rust's loop over `grapheme_indices`); public for the exactness tests. */
  normalizeClusters(ns: NormalizedString, ranges: number[] | null = null): void {
    const s = ns.normalized;
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
    const g = ranges === null ? graphemes(s, true) : clustersIn(s, ranges);
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
