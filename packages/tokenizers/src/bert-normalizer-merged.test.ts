// BertNormalizer's one-pass path (clean text, CJK spacing, NFD, accent strip and lowercase together) must equal the steps run one by one.
import { describe, expect, it } from "vitest";
import { NormalizedString } from "./internal/normalized-string.js";
import { BertNormalizer } from "./normalizers/bert-normalizer.js";

// Controls, replacement char, whitespace kinds, accented and decomposed letters, marks of several combining classes
// (so NFD reorders some pairs; the musical symbols are spacing marks with a class, which the accent strip keeps), Turkish dotted I, ß, Greek, CJK (compat too), Hangul, emoji and lone surrogates.
const POOL = [
  ..."aZ \t\n\r\u0000\u0007\ufffd\u00a0\u2003\u3000\u200b\u00e9\u00c9\u0130\u00df\u03a3\u1e9e\u0301\u0316\u0345\u0334\u05b0\u0e38\u0e48\u093c\u094d\u0915\u4e2d\u6587\uf900\u3400\uac00\u1100\u0644\u064b\u00bd\u212b\u1ec7\u01c5\ufb01\u0307",
  "😀", "👍🏽", "\u{20000}", "\u{2f800}", "\u{1d400}", "\u{e0001}", "\u{1d165}", "\u{1d16d}", "\u{1d15f}", "\ud800", "\udc00",
];

describe("BertNormalizer one-pass path", () => {
  it("gives the step-by-step text and alignments on random texts, for every option mix", () => {
    let x = 88172645;
    const r = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 4294967296;
    };
    let checked = 0;
    for (const cleanText of [true, false])
      for (const handleChineseChars of [true, false])
        for (const stripAccents of [null, true, false])
          for (const lowercase of [true, false]) {
            const n = new BertNormalizer({ cleanText, handleChineseChars, stripAccents, lowercase });
            for (let t = 0; t < 1500; t++) {
              let s = "";
              const len = Math.floor(r() * (t % 10 === 0 ? 60 : 10));
              for (let k = 0; k < len; k++) s += POOL[Math.floor(r() * POOL.length)];
              for (const prefixed of [false, true]) {
                const fast = NormalizedString.fromOriginal(s, 5);
                const slow = NormalizedString.fromOriginal(s, 5);
                if (prefixed) {
                  fast.prepend("\u2581");
                  slow.prepend("\u2581");
                }
                n.normalize(fast);
                n.stepByStep(slow);
                const what = `${JSON.stringify(s)} ${JSON.stringify(n.toJSON())}`;
                expect(fast.normalized, what).toBe(slow.normalized);
                expect(Array.from(fast.align), what).toEqual(Array.from(slow.align));
                expect([fast.origStart, fast.origEnd], what).toEqual([slow.origStart, slow.origEnd]);
                checked++;
              }
            }
          }
    console.log(`BertNormalizer one-pass path: ${checked} random texts equal to the step-by-step path`);
  });
});
