// Known-answer tests of BpeTrainer and WordPieceTrainer (expected values from the Rust crate's own unit tests and hand checks).
import { describe, expect, it } from "vitest";
import { BpeTrainer } from "./bpe-trainer.js";
import { WordPieceTrainer } from "./wordpiece-trainer.js";

const wordCounts = new Map<string, number>([
  ["roses", 1],
  ["are", 2],
  ["red", 1],
  ["voilets", 1],
  ["blue", 1],
  ["BERT", 1],
  ["is", 2],
  ["big", 1],
  ["and", 1],
  ["so", 1],
  ["GPT-2", 1],
]);

describe("BpeTrainer", () => {
  it("reproduces the Rust test_train vocabulary and merges (minFrequency 2)", () => {
    const r = new BpeTrainer({ minFrequency: 2 }).train(wordCounts);
    const alphabet = "- 2 B E G P R T a b d e g i l n o r s t u v".split(" ");
    expect([...r.vocab]).toEqual([...alphabet.map((c, i) => [c, i]), ["re", 22], ["are", 23], ["is", 24]]);
    expect(r.merges).toEqual([
      ["r", "e"],
      ["a", "re"],
      ["i", "s"],
    ]);
  });

  it("gives the same result whatever the order of the words (no affixes)", () => {
    const reversed = new Map([...wordCounts].reverse());
    expect(new BpeTrainer().train(reversed)).toEqual(new BpeTrainer().train(wordCounts));
  });

  it("respects maxTokenLength like Rust (only first-level merges with maxTokenLength 2)", () => {
    const words = ["sin", "Sin", "Lon", "Ano", "짧은한", "긴한글", "短字符", "长字符", "短い文", "長い文", "so", "GP"];
    const r = new BpeTrainer({ maxTokenLength: 2, minFrequency: 0 }).train(new Map(words.map((w) => [w, 2])));
    const expected: Record<string, number> = {
      短: 12, n: 6, i: 5, s: 8, 字符: 23, 長: 14, 긴: 17, い文: 22, L: 2, in: 21, o: 7, 은한: 29, S: 4, P: 3,
      so: 27, 符: 13, 文: 11, 字: 10, 짧: 19, GP: 25, 글: 16, G: 1, An: 24, 长: 15, A: 0, Lo: 26, 긴한: 28,
      い: 9, 한: 20, 은: 18,
    };
    expect(Object.fromEntries(r.vocab)).toEqual(expected);
  });

  it("puts special tokens first, adds the initial alphabet and applies limitAlphabet", () => {
    const r = new BpeTrainer({
      specialTokens: ["[UNK]", { content: "[PAD]" }, "[UNK]"],
      initialAlphabet: ["zq", "é"],
      limitAlphabet: 4,
      vocabSize: 6,
    }).train(new Map([["aab", 3], ["c", 1]]));
    // a=6, b=3, c=1; z and é are forced in, so c (least frequent) is dropped.
    expect([...r.vocab.keys()]).toEqual(["[UNK]", "[PAD]", "a", "b", "z", "é"]);
    expect(r.merges).toEqual([]);
  });

  it("marks word ends with endOfWordSuffix and continuing subwords with the prefix", () => {
    const r = new BpeTrainer({ endOfWordSuffix: "</w>", continuingSubwordPrefix: "##" }).train(new Map([["ab", 2]]));
    expect([...r.vocab.keys()]).toEqual(["a", "b", "##b</w>", "ab</w>"]);
    expect(r.merges).toEqual([["a", "##b</w>"]]);
  });

  it("stops at vocabSize and ignores pairs below minFrequency", () => {
    const words = new Map([["abab", 5], ["cd", 1]]);
    expect(new BpeTrainer({ vocabSize: 5 }).train(words).vocab.size).toBe(5);
    const r = new BpeTrainer({ minFrequency: 2 }).train(words);
    expect(r.merges).toEqual([
      ["a", "b"],
      ["ab", "ab"],
    ]);
  });

  it("rejects invalid options with the option's name", () => {
    expect(() => new BpeTrainer({ vocabSize: -1 })).toThrow(/vocabSize/);
  });
});

describe("WordPieceTrainer", () => {
  it("trains BPE with the ## prefix and keeps the vocabulary", () => {
    const r = new WordPieceTrainer({ specialTokens: ["[UNK]"] }).train(new Map([["hug", 3]]));
    expect([...r.vocab.keys()]).toEqual(["[UNK]", "g", "h", "u", "##u", "##g", "hu", "hug"]);
    expect(r.continuingSubwordPrefix).toBe("##");
  });

  it("joins a ##-prefixed right part without its prefix", () => {
    const r = new WordPieceTrainer().train(new Map([["abc", 4], ["bc", 1]]));
    // (a, ##b) and (##b, ##c) tie at 4; the pair of smaller ids wins, then ab + ##c -> abc.
    expect([...r.vocab.keys()]).toEqual(["a", "b", "c", "##b", "##c", "ab", "abc", "bc"]);
  });
});
