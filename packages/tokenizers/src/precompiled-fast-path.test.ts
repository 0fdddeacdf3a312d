// The Precompiled normalizer's shortcuts (Intl.Segmenter only on runs where a replaced char or a charsmap key can meet a joiner; text-only edits) must equal its general grapheme pass.
import { describe, expect, it } from "vitest";
import { fixturesRoot, loadTokenizer, tokenizerNames } from "./internal/golden-fixtures.js";
import { NormalizedString } from "./internal/normalized-string.js";
import type { Normalizer } from "./normalizers/normalizer.js";
import { Precompiled } from "./normalizers/precompiled.js";
import { NormalizerSequence } from "./normalizers/sequence.js";

const fx = fixturesRoot();
if (fx.root === null) console.warn(`precompiled fast path: skipped, ${fx.reason}`);

function findPrecompiled(n: Normalizer | null): Precompiled[] {
  if (n instanceof Precompiled) return [n];
  if (n instanceof NormalizerSequence) return n.normalizers.flatMap(findPrecompiled);
  return [];
}

// Replaced chars (tab, newline, ZWJ, NBSP, full-width, ligatures, Thai sara am, math letters), letters that start longer
// keys, combining marks, CR, jamo, CJK, emoji with modifiers and ZWJ, regional indicators and lone surrogates.
const POOL = [
  ..."abcde AZ09.,\t\n\r\u200d\u200c\u00a0\u3000\uff0c\uff21\ufb01\u2026\u0e33\u0e01\u0301\u0300\u0308\u0327\u1100\u1161\u11a8가각中文字\u0915\u094d\u0937\u093f\u0930\u0928\u0940\u0947\u0627\u064b\u0e40\u0600\ufeff\u2080\u00bd\u212b\u2126\u00c5",
  "😀", "👍", "🏽", "🇫", "🇷", "👨", "\u{1d400}", "\u{1d7ce}", "\u{E0067}", "\u{110BD}", "\ud800", "\udc00",
];

describe.skipIf(fx.root === null)("Precompiled fast paths", () => {
  it("give the general pass's text and alignments on random texts", () => {
    const root = fx.root!;
    let x = 2463534242;
    const r = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 4294967296;
    };
    let checked = 0;
    for (const name of tokenizerNames(root)) {
      for (const pc of findPrecompiled(loadTokenizer(root, name).normalizer)) {
        for (let t = 0; t < 4000; t++) {
          let s = "";
          const len = Math.floor(r() * (t % 10 === 0 ? 80 : 12));
          // Some texts only hold plain letters and one kind of special char, so every shortcut gets its turn.
          const narrow = t % 3 === 0 ? POOL.slice(0, 12).concat(POOL[12 + Math.floor(r() * (POOL.length - 12))]) : POOL;
          for (let k = 0; k < len; k++) s += narrow[Math.floor(r() * narrow.length)];
          for (const prefixed of [false, true]) {
            const fast = NormalizedString.fromOriginal(s, 3);
            const slow = NormalizedString.fromOriginal(s, 3);
            if (prefixed) {
              fast.prepend("\u2581");
              slow.prepend("\u2581");
            }
            pc.normalize(fast);
            pc.normalizeClusters(slow);
            expect(fast.normalized, JSON.stringify(s)).toBe(slow.normalized);
            expect(Array.from(fast.align), JSON.stringify(s)).toEqual(Array.from(slow.align));
            expect([fast.origStart, fast.origEnd]).toEqual([slow.origStart, slow.origEnd]);
            checked++;
          }
        }
      }
    }
    console.log(`precompiled fast path: ${checked} random texts equal to the general pass`);
    if (fx.required) expect(checked).toBeGreaterThan(0);
  });
});
