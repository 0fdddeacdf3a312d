// Rewrites a NormalizedString into GPT-2's byte-level alphabet, one char per UTF-8 byte (shared by the ByteLevel normalizer and pre-tokenizer).
import { BYTE_TO_CHAR } from "./byte-level-alphabet.js";
import { unitsToString } from "./code-units.js";
import type { NormalizedString } from "./normalized-string.js";

const BYTE_CP = new Uint16Array(256);
for (let b = 0; b < 256; b++) BYTE_CP[b] = BYTE_TO_CHAR[b].charCodeAt(0);
let units = new Uint16Array(256);
const SPACE = BYTE_TO_CHAR[0x20];
/** Non-ASCII word -> its byte-level text (a pure function of the word), kept for up to MAPPED_CAPACITY words. */
const mapped = new Map<string, string>();
const MAPPED_CAPACITY = 10000;

/**
 * Each char becomes its UTF-8 bytes' alphabet chars, every one aligned to the char's span (Rust's `transform` with the
 * first byte replacing the char and the others inserted after it gives exactly that). Every alphabet char is one UTF-16
 * unit, so an ASCII piece keeps its shape and only its text changes.
 */
export function byteLevelTransform(ns: NormalizedString): void {
  const s = ns.normalized;
  const n = s.length;
  // Printable ASCII maps to itself, so a plain word (optionally after one space, which becomes "Ġ") needs no rebuild.
  let p = s.charCodeAt(0) === 0x20 ? 1 : 0;
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c <= 0x20 || c >= 0x7f) break;
    p++;
  }
  if (p === n) {
    if (n > 0 && s.charCodeAt(0) === 0x20) ns.replaceSameShape(SPACE + s.slice(1));
    return;
  }
  let outLen = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // A surrogate pair (4 bytes) is 2 units of 2; a lone surrogate is written as its own 3 bytes (WTF-8).
    outLen += c < 0x80 ? 1 : c < 0x800 ? 2 : (c & 0xf800) === 0xd800 ? (isPairAt(s, i) ? 2 : isPairEnd(s, i) ? 2 : 3) : 3;
  }
  if (units.length < outLen) units = new Uint16Array(Math.max(outLen, units.length * 2));
  const u = units;
  if (outLen === n) {
    for (let i = 0; i < n; i++) u[i] = BYTE_CP[s.charCodeAt(i)];
    ns.replaceSameShape(unitsToString(u, n));
    return;
  }
  // An untouched piece's alignments are the identity: compute them instead of building the array first.
  const identity = ns.isIdentity;
  const align = identity ? null : ns.align;
  const base = ns.origStart;
  const out = new Int32Array(outLen * 2);
  const known = mapped.get(s);
  let w = 0;
  if (known !== undefined) {
    // Same word seen before: only the alignments are new.
    for (let i = 0; i < n; ) {
      const c = s.charCodeAt(i);
      let l = 1;
      let bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      if ((c & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        l = 2;
        bytes = 4;
      }
      const a0 = align === null ? base + i : align[i * 2];
      const a1 = align === null ? base + i + l : align[i * 2 + 1];
      for (let k = 0; k < bytes; k++, w++) {
        out[w * 2] = a0;
        out[w * 2 + 1] = a1;
      }
      i += l;
    }
    ns.normalized = known;
    ns.align = out;
    return;
  }
  for (let i = 0; i < n; ) {
    let cp = s.charCodeAt(i);
    let l = 1;
    if ((cp & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      cp = ((cp - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00) + 0x10000;
      l = 2;
    }
    const a0 = align === null ? base + i : align[i * 2];
    const a1 = align === null ? base + i + l : align[i * 2 + 1];
    const start = w;
    if (cp < 0x80) u[w++] = BYTE_CP[cp];
    else if (cp < 0x800) {
      u[w++] = BYTE_CP[0xc0 | (cp >> 6)];
      u[w++] = BYTE_CP[0x80 | (cp & 63)];
    } else if (cp < 0x10000) {
      u[w++] = BYTE_CP[0xe0 | (cp >> 12)];
      u[w++] = BYTE_CP[0x80 | ((cp >> 6) & 63)];
      u[w++] = BYTE_CP[0x80 | (cp & 63)];
    } else {
      u[w++] = BYTE_CP[0xf0 | (cp >> 18)];
      u[w++] = BYTE_CP[0x80 | ((cp >> 12) & 63)];
      u[w++] = BYTE_CP[0x80 | ((cp >> 6) & 63)];
      u[w++] = BYTE_CP[0x80 | (cp & 63)];
    }
    for (let k = start; k < w; k++) {
      out[k * 2] = a0;
      out[k * 2 + 1] = a1;
    }
    i += l;
  }
  ns.normalized = unitsToString(u, w);
  ns.align = out;
  if (mapped.size < MAPPED_CAPACITY) mapped.set(s, ns.normalized);
}

function isPairAt(s: string, i: number): boolean {
  return (s.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
}

function isPairEnd(s: string, i: number): boolean {
  return (s.charCodeAt(i) & 0xfc00) === 0xdc00 && i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800;
}
