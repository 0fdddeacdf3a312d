// Robustness: odd JS strings (lone surrogates, NUL, BOM), huge inputs without spaces, 100 000 emoji, and near-linear BPE time on long words.
import { describe, expect, it } from "vitest";
import { fixturesRoot, loadTokenizer, tokenizerNames } from "./internal/golden-fixtures.js";
import { BPE } from "./models/bpe.js";
import { Tokenizer } from "./tokenizer.js";

const fx = fixturesRoot();
if (fx.root === null) console.warn(`[tokenizers robustness] fixture part SKIPPED: ${fx.reason}`);
const names = fx.root ? tokenizerNames(fx.root) : [];

const ODD = ["a\ud800b", "\udc00x", "x\ud83d", "\u0000nul\u0000", "\ufeffbom", "", " ", "\r\n\t", "\u200b\u200d\u2028"];

describe.skipIf(fx.root === null)("odd and huge inputs on every fixture tokenizer", () => {
  for (const name of names) {
    it(`${name}: no crash, no stack overflow`, () => {
      const tok = loadTokenizer(fx.root!, name);
      for (const s of ODD) {
        const e = tok.encode(s, s);
        expect(e.ids.length).toBe(e.offsets.length);
        expect(typeof tok.decode(e.ids)).toBe("string");
      }
      const big = "abcdefghij".repeat(100_000);
      const t0 = performance.now();
      const e1 = tok.encode(big);
      const e2 = tok.encode("😀".repeat(100_000));
      const ms = performance.now() - t0;
      expect(e1.ids.length).toBeGreaterThan(0);
      expect(e2.ids.length).toBeGreaterThan(0);
      console.log(`[tokenizers robustness] ${name}: 1 MB word -> ${e1.ids.length} tokens, 100k emoji -> ${e2.ids.length} tokens, ${ms.toFixed(0)} ms`);
      expect(ms).toBeLessThan(20_000);
    });
  }
});

describe("lone surrogates", () => {
  it("are read as U+FFFD, like the Rust library sees them", () => {
    const tok = new Tokenizer(new BPE({ vocab: { "\ufffd": 0, a: 1 }, merges: [] }));
    expect(tok.encode("a\ud800a").ids).toEqual([1, 0, 1]);
  });
});

describe("BPE time on one long word", () => {
  it("grows roughly linearly (n vs 4n)", () => {
    // A vocabulary with merges at every level makes a naive rescan quadratic.
    const vocab: Record<string, number> = {};
    const merges: string[] = [];
    const alphabet = "abcdefghijklmnopqrstuvwxyz";
    for (const c of alphabet) vocab[c] = Object.keys(vocab).length;
    for (let i = 0; i < 25; i++) {
      const a = alphabet[i];
      const b = alphabet[i + 1];
      vocab[a + b] = Object.keys(vocab).length;
      merges.push(`${a} ${b}`);
    }
    const bpe = new BPE({ vocab, merges, cacheCapacity: 0 });
    const word = (n: number): string => {
      let s = "";
      while (s.length < n) s += alphabet;
      return s.slice(0, n);
    };
    // CPU time of this process, best of three: other jobs on a shared machine stretch wall time, not this.
    const time = (n: number): number => {
      const w = word(n);
      bpe.tokenize(w);
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const c0 = process.cpuUsage();
        bpe.tokenize(w);
        const c = process.cpuUsage(c0);
        best = Math.min(best, (c.user + c.system) / 1000);
      }
      return best;
    };
    time(20_000);
    const t1 = time(50_000);
    const t4 = time(200_000);
    console.log(`[tokenizers robustness] BPE long word: n=50k ${t1.toFixed(1)} ms, 4n ${t4.toFixed(1)} ms, ratio ${(t4 / t1).toFixed(2)}`);
    // Linear would be 4x, quadratic 16x; leave room for timer noise on a shared machine.
    expect(t4 / t1).toBeLessThan(9);
  });
});
