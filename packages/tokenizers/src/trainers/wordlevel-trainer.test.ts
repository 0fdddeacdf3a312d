// Known-answer tests of WordLevelTrainer (Rust's ordering: count descending, then code point).
import { describe, expect, it } from "vitest";
import { WordLevelTrainer } from "./wordlevel-trainer.js";

describe("WordLevelTrainer", () => {
  const words = new Map([
    ["the", 25],
    ["roses", 22],
    ["are", 24],
    ["red", 12],
    ["voilets", 10],
    ["blue", 12],
  ]);

  it("orders by count then by word (the Rust test_train case)", () => {
    const r = new WordLevelTrainer().train(words);
    expect(Object.fromEntries(r.vocab)).toEqual({ the: 0, are: 1, roses: 2, blue: 3, red: 4, voilets: 5 });
  });

  it("applies minFrequency and vocabSize after the special tokens", () => {
    const r = new WordLevelTrainer({ minFrequency: 15, vocabSize: 3, specialTokens: ["[UNK]"] }).train(words);
    expect([...r.vocab]).toEqual([
      ["[UNK]", 0],
      ["the", 1],
      ["are", 2],
    ]);
  });

  it("compares words by code point, not UTF-16 unit", () => {
    const r = new WordLevelTrainer().train(new Map([["😀", 1], ["\uFF61", 1]]));
    expect([...r.vocab.keys()]).toEqual(["\uFF61", "😀"]);
  });

  it("gives a word equal to a special token the later id, as Rust's map does", () => {
    const r = new WordLevelTrainer({ specialTokens: ["x"] }).train(new Map([["x", 2], ["y", 1]]));
    expect(Object.fromEntries(r.vocab)).toEqual({ x: 1, y: 2 });
  });
});
