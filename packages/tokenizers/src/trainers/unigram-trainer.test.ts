// Known-answer tests of UnigramTrainer and its parts (seed pieces, suffix structures, lattice), values from the Rust crate's unit tests.
import { describe, expect, it } from "vitest";
import { UnigramTrainer } from "./unigram-trainer.js";
import { seedPieces } from "./internal/unigram-seeds.js";
import { repeatedSubstrings, suffixArray } from "./internal/suffix-substrings.js";
import { digamma, toLogProb } from "./internal/unigram-math.js";
import { UnigramTrainingModel, codePoints } from "./internal/unigram-training-model.js";
import { DaryHeap } from "./internal/dary-heap.js";
import { jsonStableScore } from "./internal/json-stable-score.js";

describe("Unigram seed pieces", () => {
  it("matches Rust's test_unigram_chars order and scores", () => {
    const seeds = seedPieces([["This is a", 1], ["こんにちは友達", 1]], 16, 1_000_000);
    expect(seeds.map(([s]) => s)).toEqual(["s", "i", " ", "達", "友", "ん", "は", "に", "ち", "こ", "h", "a", "T", "is ", "s "]);
    const expected = [-2.5649493574615367, -2.5649493574615367, -2.5649493574615367, ...new Array(10).fill(-3.258096538021482), -1.4663370687934272, -1.8718021769015916];
    seeds.forEach(([, score], i) => expect(score).toBeCloseTo(expected[i], 10));
  });

  it("stops at seedSize", () => {
    expect(seedPieces([["abcabc", 1]], 16, 4).length).toBe(4);
  });
});

describe("suffix structures", () => {
  it("sorts suffixes", () => {
    expect([...suffixArray(Int32Array.from(codePoints("banana")))]).toEqual([5, 3, 1, 0, 4, 2]);
  });

  it("enumerates right-maximal repeats with their counts", () => {
    const text = Int32Array.from(codePoints("banana"));
    const found = repeatedSubstrings(text).map(({ start, length, freq }) => [String.fromCodePoint(...text.subarray(start, start + length)), freq]);
    expect(found.sort()).toEqual([["a", 3], ["ana", 2], ["na", 2]].sort());
  });

  it("agrees with brute force on a random text", () => {
    let seed = 1;
    const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const s = Array.from({ length: 300 }, () => "ab\0c"[Math.floor(rnd() * 4)]).join("");
    const text = Int32Array.from(codePoints(s));
    const got = new Map(repeatedSubstrings(text).map(({ start, length, freq }) => [s.slice(start, start + length), freq]));
    const brute = new Map<string, number>();
    for (let len = 1; len <= s.length; len++) {
      const occ = new Map<string, number[]>();
      for (let i = 0; i + len <= s.length; i++) {
        const sub = s.slice(i, i + len);
        const list = occ.get(sub) ?? [];
        list.push(i);
        occ.set(sub, list);
      }
      for (const [sub, at] of occ) {
        if (at.length < 2) continue;
        const follow = new Set(at.map((i) => (i + len < s.length ? s[i + len] : `end${i}`)));
        if (follow.size > 1) brute.set(sub, at.length);
      }
    }
    expect(got).toEqual(brute);
  });
});

describe("Unigram math and lattice", () => {
  it("digamma and toLogProb", () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 9);
    const p: Array<[string, number]> = [["", 1], ["", 2]];
    toLogProb(p);
    expect(p[0][1]).toBeCloseTo(-1.0986, 3);
    expect(p[1][1]).toBeCloseTo(-0.4055, 3);
  });

  it("finds the Viterbi path and the 2 best paths", () => {
    const model = new UnigramTrainingModel([["<UNK>", NaN], ["a", -1], ["b", -1], ["ab", -1.5], ["abc", -5], ["c", -2]], 0);
    const lattice = model.lattice(codePoints("abc"));
    expect(lattice.viterbi().map((n) => lattice.id[n])).toEqual([3, 5]);
    const best = lattice.nbest(2).map((p) => p.map((n) => lattice.id[n]));
    expect(best).toEqual([[3, 5], [1, 2, 5]]);
  });

  it("gives marginals that sum to the number of pieces per position", () => {
    const model = new UnigramTrainingModel([["<UNK>", NaN], ["a", -1], ["b", -1], ["ab", -1]], 0);
    const expected = new Float64Array(4);
    const z = model.lattice(codePoints("ab")).populateMarginal(1, expected);
    expect(z).toBeCloseTo(Math.log(Math.exp(-2) + Math.exp(-1)), 12);
    expect(expected[1]).toBeCloseTo(expected[2], 12);
    expect(expected[1] + expected[3]).toBeCloseTo(1, 12);
  });

  it("d-ary heap pops in priority order", () => {
    const h = new DaryHeap<number>(4, (a, b) => a <= b);
    for (const x of [5, 1, 9, 3, 7, 2, 8]) h.push(x);
    const out: number[] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
    expect(out).toEqual([9, 8, 7, 5, 3, 2, 1]);
  });
});

describe("UnigramTrainer", () => {
  const words = new Map([
    ["The", 12],
    ["are", 11],
  ]);

  it("adds unk first when it is not a special token (Rust test_unk_token 1)", () => {
    const r = new UnigramTrainer({ specialTokens: ["[SEP]", "[CLS]"], unkToken: "[UNK]" }).train(words);
    expect(r.vocab.slice(0, 3)).toEqual([["[UNK]", 0], ["[SEP]", 0], ["[CLS]", 0]]);
    expect(r.unkId).toBe(0);
  });

  it("leaves unk among the special tokens (Rust test_unk_token 2)", () => {
    const r = new UnigramTrainer({ specialTokens: ["[SEP]", "[CLS]", "[UNK]"], unkToken: "[UNK]" }).train(words);
    expect(r.vocab.slice(0, 3)).toEqual([["[SEP]", 0], ["[CLS]", 0], ["[UNK]", 0]]);
    expect(r.unkId).toBe(2);
  });

  it("has no unk unless asked (Rust test_unk_token 3)", () => {
    const r = new UnigramTrainer().train(words);
    expect(r.vocab[0][0]).toBe("e");
    expect(r.unkId).toBeNull();
  });

  it("keeps every character, including the initial alphabet, and respects vocabSize", () => {
    const r = new UnigramTrainer({ vocabSize: 12, initialAlphabet: ["x", "yz"] }).train(new Map([["hello", 5], ["yellow", 3], ["fellow", 2]]));
    const tokens = r.vocab.map(([t]) => t);
    for (const c of "helowyfx") expect(tokens).toContain(c);
    expect(tokens.length).toBeLessThanOrEqual(12);
  });

  it("refuses a vocabulary smaller than the alphabet", () => {
    expect(() => new UnigramTrainer({ vocabSize: 2 }).train(words)).toThrow(/vocabSize/);
  });
});

describe("jsonStableScore", () => {
  // serde_json without float_roundtrip: the decimal digits as one integer, converted to f64, then divided by 10^k.
  const serdeParse = (s: string): number => {
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(s);
    if (!m) throw new Error(s);
    const digits = m[2] + (m[3] ?? "");
    const exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
    const sig = Number(BigInt(digits));
    const v = exp >= 0 ? sig * 10 ** exp : sig / 10 ** -exp;
    return m[1] ? -v : v;
  };

  it("gives scores that serde_json parses back exactly", () => {
    expect(serdeParse(String(-9.306463073422071))).not.toBe(-9.306463073422071);
    let seed = 7;
    const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 10000; i++) {
      const x = jsonStableScore(-rnd() * 30);
      expect(serdeParse(String(x))).toBe(x);
    }
  });
});
