// A string under normalization that remembers, for every UTF-16 unit, which span of the original text it came from (follows the Rust crate's NormalizedString).
import { cpLen, isWhitespace } from "./char-classes.js";
import { unitsToString, writeCodePoint } from "./code-units.js";

/** True when unit `i` of `s` is the low half of a surrogate pair (so a cut at `i` would split a character). */
function midPair(s: string, i: number): boolean {
  return i > 0 && i < s.length && (s.charCodeAt(i) & 0xfc00) === 0xdc00 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800;
}

const EMPTY = new Int32Array(0);

/** True when `s` holds any surrogate code unit. */
function hasSurrogates(s: string): boolean {
  for (let i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xf800) === 0xd800) return true;
  return false;
}

/**
 * Identity alignments of `s` placed at `base`: every unit maps to the span of the character holding it. The first
 * `lead` units are a prefix prepended to that text, which all take the span of the char after them.
 */
function identityAlign(s: string, base: number, lead: number): Int32Array {
  const n = s.length;
  const align = new Int32Array(n * 2);
  if (lead > 0) {
    const e = base + cpLen(s, lead);
    for (let k = 0; k < lead; k++) {
      align[k * 2] = base;
      align[k * 2 + 1] = e;
    }
  }
  for (let i = lead; i < n; ) {
    const l = cpLen(s, i);
    for (let k = 0; k < l; k++) {
      align[(i + k) * 2] = base + i - lead;
      align[(i + k) * 2 + 1] = base + i - lead + l;
    }
    i += l;
  }
  return align;
}

/**
 * Normalized text plus alignments. `align[2*i]`/`align[2*i+1]` is the `[start, end)` span of the ORIGINAL input
 * (absolute UTF-16 offsets) that normalized unit `i` comes from. The Rust crate keeps the same data per UTF-8 byte;
 * all of its edits are per character, so per-UTF-16-unit alignments give identical results.
 *
 * Most pieces are never edited (no normalizer, ASCII byte-level, plain splits), so an untouched piece keeps no
 * alignment array at all: it is the identity placed at `origStart`, and the array is only built when an edit needs it.
 */
export class NormalizedString {
  normalized: string;
  /** null while the alignments are the identity at `origStart` (the text is still a verbatim slice of the input). */
  private alignOrNull: Int32Array | null;
  /** With no alignment array: how many leading units were prepended (they share the span of the char after them). */
  private lead = 0;
  /** Absolute span of the original text this piece covers (`offsets_original`). */
  origStart: number;
  origEnd: number;

  constructor(normalized: string, align: Int32Array | null, origStart: number, origEnd: number) {
    this.normalized = normalized;
    this.alignOrNull = align;
    this.origStart = origStart;
    this.origEnd = origEnd;
  }

  /** A fresh string whose alignments are the identity, shifted by `base` (its position in the whole input). */
  static fromOriginal(s: string, base = 0): NormalizedString {
    return new NormalizedString(s, null, base, base + s.length);
  }

  /** The alignments (built on first use for an untouched piece). */
  get align(): Int32Array {
    if (this.alignOrNull === null) {
      this.alignOrNull = identityAlign(this.normalized, this.origStart, this.lead);
      this.lead = 0;
    }
    return this.alignOrNull;
  }

  set align(a: Int32Array) {
    this.alignOrNull = a;
    this.lead = 0;
  }

  /** Whether the piece is still a verbatim slice of the input (alignments are the identity). */
  get isIdentity(): boolean {
    return this.alignOrNull === null && this.lead === 0;
  }

  get length(): number {
    return this.normalized.length;
  }

  isEmpty(): boolean {
    return this.normalized.length === 0;
  }

  /** Slice by normalized UTF-16 range; the original span becomes that of the covered alignments. */
  slice(start: number, end: number): NormalizedString {
    if (start >= end) return new NormalizedString("", new Int32Array(0), this.origStart + start, this.origStart + start);
    const s = this.normalized;
    if (this.alignOrNull === null) {
      const lead = this.lead;
      if (start >= lead && !midPair(s, start) && !midPair(s, end)) {
        return new NormalizedString(s.slice(start, end), null, this.origStart + start - lead, this.origStart + end - lead);
      }
      if (start === 0 && end === s.length) {
        const whole = new NormalizedString(s, null, this.origStart, this.originalEnd(end));
        whole.lead = lead;
        return whole;
      }
    }
    const align = this.align;
    // A view, not a copy: alignment arrays are never written after they are built (every edit makes a new one).
    return new NormalizedString(s.slice(start, end), align.subarray(start * 2, end * 2), align[start * 2], align[(end - 1) * 2 + 1]);
  }

  /** Original span of a normalized range (Rust `convert_offsets(Range::Normalized)`), or null when out of bounds. */
  originalRange(start: number, end: number): [number, number] | null {
    if (start === end) return [this.origStart + start, this.origStart + end];
    if (start > end || end > this.normalized.length) return null;
    return [this.originalStart(start), this.originalEnd(end)];
  }

  /** `originalRange(start, end)[0]` for a valid non-empty range, without allocating. */
  originalStart(start: number): number {
    const a = this.alignOrNull;
    if (a !== null) return a[start * 2];
    if (start < this.lead) return this.origStart;
    return this.origStart + start - this.lead - (midPair(this.normalized, start) ? 1 : 0);
  }

  /** `originalRange(start, end)[1]` for a valid non-empty range, without allocating. */
  originalEnd(end: number): number {
    const a = this.alignOrNull;
    if (a !== null) return a[(end - 1) * 2 + 1];
    const lead = this.lead;
    if (end - 1 < lead) return this.origStart + cpLen(this.normalized, lead);
    return this.origStart + end - lead + (midPair(this.normalized, end) ? 1 : 0);
  }

  /** Replace the text while keeping alignments: only valid when every unit maps to a unit of the same position. */
  replaceSameShape(s: string): void {
    // The lazy identity is read off the text's surrogates, so pin it down first if the old text had any.
    if (this.alignOrNull === null && hasSurrogates(this.normalized)) this.align = identityAlign(this.normalized, this.origStart, this.lead);
    this.normalized = s;
  }

  /**
   * Rust `transform_range` over the normalized range `[nStart, nEnd)`: `cps[k]` is an output code point and `changes[k]`
   * says whether it replaces the next input char (0), is inserted (1), or replaces it and removes `-change` more (<0).
   */
  transformRange(nStart: number, nEnd: number, cps: ArrayLike<number>, changes: ArrayLike<number>, count: number, initialOffset: number): void {
    const src = this.normalized;
    // A whole untouched string needs no alignment array first: its spans are read off the text (see `midPair`).
    const ident = this.alignOrNull === null && this.lead === 0 && nStart === 0 && nEnd === src.length;
    const oldAlign = ident ? EMPTY : this.align;
    const base = this.origStart;
    let offset = nStart;
    for (let k = 0; k < initialOffset && offset < nEnd; k++) offset += cpLen(src, offset);
    let outLen = 0;
    for (let k = 0; k < count; k++) outLen += cps[k] >= 0x10000 ? 2 : 1;
    const mid = new Int32Array(outLen * 2);
    const units = new Uint16Array(outLen);
    let w = 0;
    let u = 0;
    for (let k = 0; k < count; k++) {
      const cp = cps[k];
      const change = changes[k];
      let a0: number;
      let a1: number;
      if (change > 0) {
        if (offset < 1) {
          a0 = this.origStart;
          a1 = this.origStart;
        } else if (ident) {
          a0 = base + offset - (midPair(src, offset - 1) ? 2 : 1);
          a1 = base + offset;
        } else {
          a0 = oldAlign[(offset - 1) * 2];
          a1 = oldAlign[(offset - 1) * 2 + 1];
        }
      } else {
        if (offset < src.length) {
          a0 = ident ? base + offset : oldAlign[offset * 2];
          a1 = ident ? base + offset + cpLen(src, offset) : oldAlign[offset * 2 + 1];
        } else {
          a0 = offset > 0 ? (ident ? base + offset : oldAlign[(offset - 1) * 2 + 1]) : this.origStart;
          a1 = a0;
        }
        if (offset < nEnd) offset += cpLen(src, offset);
        for (let r = 0; r < -change && offset < nEnd; r++) offset += cpLen(src, offset);
      }
      const units1 = cp >= 0x10000 ? 2 : 1;
      for (let x = 0; x < units1; x++) {
        mid[w++] = a0;
        mid[w++] = a1;
      }
      u = writeCodePoint(units, u, cp);
    }
    const middle = unitsToString(units, u);
    if (ident) {
      // Nothing is kept on either side: the new alignments are exactly `mid`.
      this.align = mid;
      this.normalized = middle;
      return;
    }
    const newAlign = new Int32Array(oldAlign.length - (nEnd - nStart) * 2 + mid.length);
    newAlign.set(oldAlign.subarray(0, nStart * 2), 0);
    newAlign.set(mid, nStart * 2);
    newAlign.set(oldAlign.subarray(nEnd * 2), nStart * 2 + mid.length);
    this.align = newAlign;
    this.normalized = src.slice(0, nStart) + middle + src.slice(nEnd);
  }

  /** Rust `transform`: the whole string. */
  transform(cps: ArrayLike<number>, changes: ArrayLike<number>, count: number, initialOffset: number): void {
    this.transformRange(0, this.normalized.length, cps, changes, count, initialOffset);
  }

  /** Rust `filter`: keep the chars for which `keep` is true, giving removed chars' spans to nothing. */
  filter(keep: (cp: number) => boolean): void {
    const s = this.normalized;
    // Most texts lose nothing: find that out without building the char arrays.
    let first = -1;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      if (!keep(cp)) {
        first = i;
        break;
      }
      i += cp >= 0x10000 ? 2 : 1;
    }
    if (first < 0) return;
    const cps: number[] = [];
    const changes: number[] = [];
    let removed = 0;
    let removedStart = 0;
    let lastC = -1;
    let any = false;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      i += cp >= 0x10000 ? 2 : 1;
      if (keep(cp)) {
        if (lastC >= 0) {
          cps.push(lastC);
          changes.push(-removed);
        } else {
          removedStart = removed;
        }
        lastC = cp;
        removed = 0;
      } else {
        removed++;
        any = true;
      }
    }
    if (!any) return;
    if (lastC >= 0) {
      cps.push(lastC);
      changes.push(-removed);
    }
    this.transform(cps, changes, cps.length, removedStart);
  }

  /** Rust `map`: one char for one char. */
  map(f: (cp: number) => number): void {
    const s = this.normalized;
    let changed = false;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      if (f(cp) !== cp) {
        changed = true;
        break;
      }
      i += cp >= 0x10000 ? 2 : 1;
    }
    if (!changed) return;
    const cps: number[] = [];
    let same = true;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      i += cp >= 0x10000 ? 2 : 1;
      const m = f(cp);
      if (m !== cp) same = false;
      cps.push(m);
    }
    if (same) return;
    this.transform(cps, new Int8Array(cps.length), cps.length, 0);
  }

  /**
   * Rust `prepend`: the inserted text takes the first char's span. Rust's transform replaces the first char by the
   * first inserted char and inserts the rest plus that char again, so every one of them ends up with the first char's
   * span; written out directly here.
   */
  prepend(s: string): void {
    const n = this.normalized;
    if (n.length === 0 || s.length === 0) return;
    if (this.alignOrNull === null && this.lead === 0 && !hasSurrogates(s)) {
      // Still the identity: remember the prefix length instead of building the array.
      this.normalized = s + n;
      this.lead = s.length;
      return;
    }
    const firstLen = cpLen(n, 0);
    const old = this.align;
    const a0 = old[0];
    const a1 = old[1];
    const p = s.length;
    const align = new Int32Array((p + n.length) * 2);
    for (let k = 0; k < p + firstLen; k++) {
      align[k * 2] = a0;
      align[k * 2 + 1] = a1;
    }
    align.set(old.subarray(firstLen * 2), (p + firstLen) * 2);
    this.normalized = s + n;
    this.align = align;
  }

  /** Rust `append`: the appended text takes the last char's span. */
  append(s: string): void {
    const n = this.normalized;
    const cps: number[] = [];
    const changes: number[] = [];
    let start = 0;
    if (n.length > 0) {
      start = n.length - 1;
      if (start > 0 && cpLen(n, start - 1) === 2) start--;
      cps.push(n.codePointAt(start)!);
      changes.push(0);
    }
    for (const ch of s) {
      cps.push(ch.codePointAt(0)!);
      changes.push(1);
    }
    this.transformRange(start, n.length, cps, changes, cps.length, 0);
  }

  /** Rust `lrstrip`: remove leading/trailing whitespace. */
  strip(left: boolean, right: boolean): void {
    const s = this.normalized;
    const chars: number[] = [];
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      chars.push(cp);
      i += cp >= 0x10000 ? 2 : 1;
    }
    let leading = 0;
    if (left) while (leading < chars.length && isWhitespace(chars[leading])) leading++;
    let trailing = 0;
    if (right) while (trailing < chars.length && isWhitespace(chars[chars.length - 1 - trailing])) trailing++;
    if (leading === 0 && trailing === 0) return;
    const count = chars.length;
    const cps: number[] = [];
    const changes: number[] = [];
    // Rust compares a char index with a byte length here (`i == self.len() - trailing_spaces - 1`); kept as is.
    const byteLen = utf8Length(s);
    for (let i = 0; i < count; i++) {
      if (i < leading || i >= count - trailing) continue;
      cps.push(chars[i]);
      changes.push(i === byteLen - trailing - 1 ? -trailing : 0);
    }
    this.transform(cps, changes, cps.length, leading);
  }
}

/** UTF-8 byte length of a JS string (lone surrogates count 3 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
