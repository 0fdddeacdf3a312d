// Parity with the Rust library (npm tokenizers@0.23.2): on the fixture corpus, our trainers give the vocabulary/merges its default trainers give.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { BpeTrainer } from "./bpe-trainer.js";
import { WordPieceTrainer } from "./wordpiece-trainer.js";
import { WordLevelTrainer } from "./wordlevel-trainer.js";
import { UnigramTrainer } from "./unigram-trainer.js";
import { linesWithEnding } from "./internal/lines.js";
import {
  corpusPath,
  fixtureSkipReason,
  mergePair,
  oracleSkipReason,
  orderWordsLikeRust,
  pieceDifference,
  readCorpusTexts,
  rust,
  rustJson,
  writeCorpusFile,
  type Oracle,
} from "./rust-oracle.test-util.js";

const skipReason = fixtureSkipReason ?? oracleSkipReason;
if (skipReason) console.warn(`trainer parity with Rust: SKIPPED, ${skipReason}`);

type PreTokenizerFactory = (tk: Oracle) => ReturnType<Oracle["whitespacePreTokenizer"]> | null;
const settings: Array<[string, PreTokenizerFactory]> = [
  ["no pre-tokenizer", () => null],
  ["Whitespace", (tk) => tk.whitespacePreTokenizer()],
  ["ByteLevel", (tk) => tk.byteLevelPreTokenizer(false, true)],
  ["BertPreTokenizer", (tk) => tk.bertPreTokenizer()],
  ["Metaspace", (tk) => tk.metaspacePreTokenizer()],
];

describe.skipIf(skipReason !== null)("trainers match the Rust library's default trainers", () => {
  const tk = rust as Oracle;
  let file = "";
  let lines: string[] = [];
  beforeAll(() => {
    file = writeCorpusFile(readCorpusTexts(corpusPath));
    lines = linesWithEnding(readFileSync(file, "utf8"));
    console.log(`trainer parity: corpus of ${lines.length} lines from ${corpusPath}`);
  });

  // Words exactly as Rust's train() sees them: each line (with its "\n") through the pre-tokenizer.
  const countWords = (pre: PreTokenizerFactory): Map<string, number> => {
    const p = pre(tk);
    const counts = new Map<string, number>();
    for (const line of lines) {
      const words = p === null ? [line] : p.preTokenizeString(line).map(([w]) => w);
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    return counts;
  };
  const trainRust = (model: ReturnType<Oracle["BPE"]["empty"]>, pre: PreTokenizerFactory) => {
    const t = new tk.Tokenizer(model);
    const p = pre(tk);
    if (p !== null) t.setPreTokenizer(p);
    t.train([file]);
    return rustJson(t).model;
  };

  for (const [name, pre] of settings) {
    it(`BPE, ${name}: same vocab ids and merges`, () => {
      const expected = trainRust(tk.BPE.empty(), pre);
      const ours = new BpeTrainer().train(countWords(pre));
      expect(Object.fromEntries(ours.vocab)).toEqual(expected.vocab);
      expect(ours.merges).toEqual((expected.merges ?? []).map(mergePair));
      console.log(`BPE ${name}: ${ours.vocab.size} tokens, ${ours.merges.length} merges identical`);
    });

    it(`WordLevel, ${name}: same vocab ids`, () => {
      const expected = trainRust(tk.WordLevel.empty(), pre);
      const ours = new WordLevelTrainer().train(countWords(pre));
      expect(Object.fromEntries(ours.vocab)).toEqual(expected.vocab);
      console.log(`WordLevel ${name}: ${ours.vocab.size} tokens identical`);
    });

    it(`WordPiece, ${name}: same vocab ids once "##c" ids follow Rust's (hash-ordered) ones`, () => {
      const expected = trainRust(tk.WordPiece.empty(), pre);
      const words = countWords(pre);
      const alphabet = new Set([...words.keys()].flatMap((w) => Array.from(w))).size;
      const ordered = orderWordsLikeRust(words, expected.vocab as Record<string, number>, "##", alphabet);
      const ours = new WordPieceTrainer().train(ordered);
      expect(Object.fromEntries(ours.vocab)).toEqual(expected.vocab);
      console.log(`WordPiece ${name}: ${ours.vocab.size} tokens identical`);
    });

    it(`Unigram, ${name}: same pieces, same scores (up to float noise and Rust's hash-ordered char penalties)`, () => {
      const expected = trainRust(tk.Unigram.empty(), pre);
      const ours = new UnigramTrainer().train(countWords(pre));
      const rustPieces = new Map(expected.vocab as Array<[string, number]>);
      const ourPieces = new Map(ours.vocab);
      const diff = pieceDifference(ours.vocab, expected.vocab as Array<[string, number]>);
      expect(diff.onlyOurs.length + diff.onlyTheirs.length, `only ours: ${diff.onlyOurs.slice(0, 10)}; only Rust: ${diff.onlyTheirs.slice(0, 10)}`).toBeLessThanOrEqual(diff.allowed);
      expect(ours.unkId).toBe(expected.unk_id ?? null);
      // Characters missing from the model get min score + k * 1e-4, k in Rust's hash order.
      const singleChars = [...ourPieces.keys()].filter((p) => Array.from(p).length === 1).length;
      let close = 0;
      // Scores are only comparable when both runs kept the same pieces.
      const sameSet = diff.onlyOurs.length + diff.onlyTheirs.length === 0;
      for (const [piece, score] of sameSet ? ourPieces : []) {
        const r = rustPieces.get(piece) ?? NaN;
        const tol = Array.from(piece).length === 1 ? 1e-4 * singleChars : 1e-9 * Math.max(1, Math.abs(r));
        expect(Math.abs(score - r), `score of ${JSON.stringify(piece)}: ours ${score}, Rust ${r}`).toBeLessThanOrEqual(tol);
        if (Math.abs(score - r) <= 1e-9) close++;
      }
      console.log(`Unigram ${name}: ${ourPieces.size} pieces, ${diff.onlyOurs.length + diff.onlyTheirs.length} differ from Rust's; ${close} scores within 1e-9`);
    });
  }
});

describe.skipIf(oracleSkipReason !== null)("Unigram pruning matches the Rust library", () => {
  it("gives the same 8000 pieces on a synthetic corpus that needs a pruning round", () => {
    const tk = rust as Oracle;
    // 10000 random stems, each followed by x, y and z: every stem is a seed and survives EM,
    // so the default trainer (vocabSize 8000) has to prune.
    let state = 2024;
    const rnd = (): number => (state = (state * 48271) % 2147483647) / 2147483647;
    const texts: string[] = [];
    for (let i = 0; i < 10000; i++) {
      let stem = "";
      const n = 5 + Math.floor(rnd() * 4);
      for (let k = 0; k < n; k++) stem += "abcdefghijklmnopqrst"[Math.floor(rnd() * 20)];
      texts.push(`${stem}x ${stem}y ${stem}z`);
    }
    const file = writeCorpusFile(texts);
    const t = new tk.Tokenizer(tk.Unigram.empty());
    t.setPreTokenizer(tk.whitespacePreTokenizer());
    t.train([file]);
    const expected = new Map(rustJson(t).model.vocab as Array<[string, number]>);
    const counts = new Map<string, number>();
    for (const text of texts) for (const w of text.split(" ")) counts.set(w, (counts.get(w) ?? 0) + 1);
    const ours = new UnigramTrainer().train(counts);
    expect(ours.vocab.length).toBe(8000);
    expect(ours.vocab.map(([p]) => p).sort()).toEqual([...expected.keys()].sort());
    const maxDiff = Math.max(...ours.vocab.filter(([p]) => p.length > 1).map(([p, s]) => Math.abs(s - (expected.get(p) ?? NaN))));
    expect(maxDiff).toBeLessThan(1e-9);
    console.log(`Unigram with pruning: 8000 pieces identical, multi-char scores within ${maxDiff.toExponential(1)}`);
  });
});
