// Pieces that keep no alignment array (untouched or only prefixed) must behave exactly like ones with the array built: random edits, compared on every range.
import { describe, expect, it } from "vitest";
import { BYTE_TO_CHAR } from "./internal/byte-level-alphabet.js";
import { byteLevelTransform } from "./internal/byte-level-transform.js";
import { NormalizedString } from "./internal/normalized-string.js";
import { lowercaseInPlace } from "./normalizers/lowercase.js";
import { Replace } from "./normalizers/replace.js";
import { writeUtf8 } from "./internal/utf8.js";

const POOL = ["a", "B", " ", "▁", "é", "日", "😀", "𝐀", "\u0301", "\n", "x", "Σ", "İ"];

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

type Op = (ns: NormalizedString, r: () => number) => NormalizedString;

/** Cut points on code point boundaries, drawn the same way for both copies. */
function cut(ns: NormalizedString, r: () => number): [number, number] {
  const s = ns.normalized;
  const bounds: number[] = [];
  for (let i = 0; i <= s.length; ) {
    bounds.push(i);
    if (i === s.length) break;
    i += s.codePointAt(i)! >= 0x10000 ? 2 : 1;
  }
  const a = bounds[Math.floor(r() * bounds.length)];
  const b = bounds[Math.floor(r() * bounds.length)];
  return a <= b ? [a, b] : [b, a];
}

const replaceSpace = new Replace({ String: " " }, "▁");
const OPS: Op[] = [
  (ns) => (ns.prepend("▁"), ns),
  (ns) => (ns.prepend(" "), ns),
  (ns, r) => ns.slice(...cut(ns, r)),
  (ns) => (byteLevelTransform(ns), ns),
  (ns) => (lowercaseInPlace(ns), ns),
  (ns) => (replaceSpace.normalize(ns), ns),
  (ns) => (ns.append("!"), ns),
  (ns) => (ns.filter((c) => c !== 0x301), ns),
];

describe("NormalizedString without an alignment array", () => {
  it("matches the materialized alignments after random edits", () => {
    const r = rng(7);
    let checked = 0;
    for (let t = 0; t < 3000; t++) {
      let text = "";
      const len = Math.floor(r() * 8);
      for (let k = 0; k < len; k++) text += POOL[Math.floor(r() * POOL.length)];
      const base = Math.floor(r() * 5);
      let lazy = NormalizedString.fromOriginal(text, base);
      let eager = NormalizedString.fromOriginal(text, base);
      void eager.align;
      const nOps = 1 + Math.floor(r() * 4);
      const seed = Math.floor(r() * 1e9) + 1;
      const r1 = rng(seed);
      const r2 = rng(seed);
      const ops: number[] = [];
      for (let k = 0; k < nOps; k++) ops.push(Math.floor(r() * OPS.length));
      for (const o of ops) {
        lazy = OPS[o](lazy, r1);
        eager = OPS[o](eager, r2);
        void eager.align;
      }
      const what = `${JSON.stringify(text)} @${base} ops ${ops.join(",")}`;
      expect(lazy.normalized, what).toBe(eager.normalized);
      expect([lazy.origStart, lazy.origEnd], what).toEqual([eager.origStart, eager.origEnd]);
      const n = lazy.normalized.length;
      for (let i = 0; i <= n; i++) for (let j = i; j <= n; j++) expect(lazy.originalRange(i, j), `${what} [${i}, ${j})`).toEqual(eager.originalRange(i, j));
      expect(Array.from(lazy.align), what).toEqual(Array.from(eager.align));
      checked++;
    }
    console.log(`lazy alignments: ${checked} random edit sequences equal to materialized ones`);
  });
});

describe("byteLevelTransform", () => {
  it("equals the Rust definition (each UTF-8 byte's char; the first replaces the char, the rest are inserted), cached or not", () => {
    const r = rng(11);
    let checked = 0;
    for (let t = 0; t < 2000; t++) {
      let text = "";
      const len = Math.floor(r() * 6);
      for (let k = 0; k < len; k++) text += POOL[Math.floor(r() * POOL.length)];
      const base = Math.floor(r() * 3);
      const cps: number[] = [];
      const changes: number[] = [];
      const buf = [0, 0, 0, 0];
      for (let i = 0; i < text.length; ) {
        const cp = text.codePointAt(i)!;
        i += cp >= 0x10000 ? 2 : 1;
        const n = writeUtf8(cp, buf, 0);
        for (let k = 0; k < n; k++) {
          cps.push(BYTE_TO_CHAR[buf[k]].charCodeAt(0));
          changes.push(k > 0 ? 1 : 0);
        }
      }
      const want = NormalizedString.fromOriginal(text, base);
      void want.align; // the classic path: alignments built first, then transformed
      want.transform(cps, changes, cps.length, 0);
      // Twice: the second time the word's text comes from the cache.
      for (let rep = 0; rep < 2; rep++) {
        const got = NormalizedString.fromOriginal(text, base);
        if (r() < 0.5) void got.align;
        byteLevelTransform(got);
        expect(got.normalized).toBe(want.normalized);
        expect(Array.from(got.align), JSON.stringify(text)).toEqual(Array.from(want.align));
      }
      checked++;
    }
    console.log(`byte-level: ${checked} random words equal to the transform definition`);
  });
});
