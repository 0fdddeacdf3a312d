// Tokenizer-level training: trainFromFiles/trainFromIterator on fixture pipelines equal the Rust library's `train`, and trained tokenizers round-trip through the Rust library.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { Tokenizer } from "../tokenizer.js";
import { BPE } from "../models/bpe.js";
import { Unigram } from "../models/unigram.js";
import { WordLevel } from "../models/wordlevel.js";
import { WordPiece } from "../models/wordpiece.js";
import { Whitespace } from "../pre-tokenizers/whitespace.js";
import { byteLevelAlphabet } from "../internal/byte-level-alphabet.js";
import { BpeTrainer } from "./bpe-trainer.js";
import { WordLevelTrainer } from "./wordlevel-trainer.js";
import { WordPieceTrainer } from "./wordpiece-trainer.js";
import { UnigramTrainer } from "./unigram-trainer.js";
import { trainFromFiles } from "./train-from-files.js";
import { tokenizerSplitter, trainFromIterator, trainFromIteratorSync, trainFromWordCounts } from "./train-from-iterator.js";
import { countWordsSync } from "./word-counts.js";
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
  type RustTokenizerJson,
} from "./rust-oracle.test-util.js";

const skipReason = fixtureSkipReason ?? oracleSkipReason;
if (skipReason) console.warn(`tokenizer training vs Rust: SKIPPED, ${skipReason}`);

const tokenizersDir = join(dirname(dirname(corpusPath)), "tokenizers");
const names = existsSync(tokenizersDir) ? readdirSync(tokenizersDir).sort() : [];

function fixtureJson(name: string): Record<string, unknown> {
  const plain = join(tokenizersDir, name, "tokenizer.json");
  const text = existsSync(plain) ? readFileSync(plain, "utf8") : gunzipSync(readFileSync(plain + ".gz")).toString("utf8");
  return JSON.parse(text) as Record<string, unknown>;
}

const emptyModels = {
  BPE: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: {}, merges: [] },
  WordPiece: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: {} },
  WordLevel: { type: "WordLevel", vocab: {}, unk_token: "<unk>" },
  Unigram: { type: "Unigram", unk_id: null, vocab: [], byte_fallback: false },
} as const;
type ModelType = keyof typeof emptyModels;

// The fixture's normalizer, pre-tokenizer and added tokens around an empty model (added-token ids renumbered after it).
function pipelineJson(name: string, type: ModelType): string {
  const json = fixtureJson(name);
  const added = (json.added_tokens as Array<Record<string, unknown>> | undefined) ?? [];
  return JSON.stringify({
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added.map((t, i) => ({ ...t, id: i })),
    normalizer: json.normalizer ?? null,
    pre_tokenizer: json.pre_tokenizer ?? null,
    post_processor: null,
    decoder: null,
    model: emptyModels[type],
  });
}

describe.skipIf(skipReason !== null)("Tokenizer training equals the Rust library's", () => {
  const tk = rust as Oracle;
  let file = "";
  let texts: string[] = [];
  beforeAll(() => {
    texts = readCorpusTexts(corpusPath);
    file = writeCorpusFile(texts);
  });
  const rustTrained = (json: string): RustTokenizerJson => {
    const t = tk.Tokenizer.fromString(json);
    t.train([file]);
    return rustJson(t);
  };

  for (const name of names) {
    it(`${name}: trainFromFiles gives Rust's BPE and WordLevel, and its WordPiece/Unigram vocabularies`, async () => {
      let unigramDiffs = 0;
      for (const type of ["BPE", "WordLevel", "WordPiece", "Unigram"] as const) {
        const json = pipelineJson(name, type);
        const ours = Tokenizer.fromString(json);
        let expected: RustTokenizerJson["model"];
        try {
          expected = rustTrained(json).model;
        } catch (e) {
          // Where Rust refuses (e.g. more distinct characters than a Unigram vocabulary holds), so must we.
          const trainer = { BPE: new BpeTrainer(), WordLevel: new WordLevelTrainer(), WordPiece: new WordPieceTrainer(), Unigram: new UnigramTrainer() }[type];
          await expect(trainFromFiles(ours, [file], trainer), `${name} ${type}: Rust failed with ${(e as Error).message}`).rejects.toThrow();
          continue;
        }
        if (type === "BPE" || type === "WordLevel") {
          await trainFromFiles(ours, [file], type === "BPE" ? new BpeTrainer() : new WordLevelTrainer());
          const model = ours.toJSON().model as RustTokenizerJson["model"];
          expect(model.vocab, `${name} ${type} vocab`).toEqual(expected.vocab);
          if (type === "BPE") expect((model.merges ?? []).map(mergePair), `${name} merges`).toEqual((expected.merges ?? []).map(mergePair));
        } else if (type === "WordPiece") {
          // Rust numbers "##c" tokens in hash order; feed our words in an order that reproduces it.
          const words = countWordsSync(linesWithEnding(readFileSync(file, "utf8")), tokenizerSplitter(ours));
          const alphabet = new Set([...words.keys()].flatMap((w) => Array.from(w))).size;
          trainFromWordCounts(ours, orderWordsLikeRust(words, expected.vocab as Record<string, number>, "##", alphabet), new WordPieceTrainer());
          expect((ours.toJSON().model as RustTokenizerJson["model"]).vocab, `${name} WordPiece vocab`).toEqual(expected.vocab);
        } else {
          await trainFromFiles(ours, [file], new UnigramTrainer());
          const model = ours.toJSON().model as RustTokenizerJson["model"];
          const diff = pieceDifference(model.vocab as Array<[string, number]>, expected.vocab as Array<[string, number]>);
          const n = diff.onlyOurs.length + diff.onlyTheirs.length;
          expect(n, `${name} Unigram: only ours ${diff.onlyOurs.slice(0, 10)}; only Rust ${diff.onlyTheirs.slice(0, 10)}`).toBeLessThanOrEqual(diff.allowed);
          unigramDiffs += n;
        }
      }
      console.log(`${name}: BPE, WordLevel, WordPiece identical to Rust's on ${texts.length} texts; Unigram pieces differing: ${unigramDiffs}`);
    });
  }
});

describe.skipIf(skipReason !== null)("trained tokenizers load in the Rust library and encode the same", () => {
  const tk = rust as Oracle;
  const cases: Array<[string, () => Tokenizer, Parameters<typeof trainFromIterator>[2]]> = [
    ["BPE + ByteLevel", () => Tokenizer.fromString(pipelineJson("gpt2", "BPE")), new BpeTrainer({ vocabSize: 2000, minFrequency: 2, specialTokens: ["<|endoftext|>"], initialAlphabet: byteLevelAlphabet() })],
    ["BPE + Whitespace, unk, suffix", () => withModel("bpe-wiki-quicktour", new BPE({ vocab: {}, merges: [], unkToken: "[UNK]" })), new BpeTrainer({ vocabSize: 1500, specialTokens: ["[UNK]", "[CLS]", "[SEP]"], endOfWordSuffix: "</w>", limitAlphabet: 300 })],
    ["WordPiece + BERT", () => withModel("bert-base-uncased", new WordPiece({ vocab: {} })), new WordPieceTrainer({ vocabSize: 3000, specialTokens: ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"] })],
    ["WordLevel + Whitespace", () => withModel("bert-wiki-quicktour", new WordLevel({ vocab: {}, unkToken: "[UNK]" })), new WordLevelTrainer({ vocabSize: 1000, specialTokens: ["[UNK]"] })],
    ["Unigram + T5 pipeline", () => withModel("t5-small", new Unigram({ vocab: [] })), new UnigramTrainer({ vocabSize: 3000, unkToken: "<unk>", specialTokens: ["<pad>", "</s>"] })],
  ];

  for (const [label, make, trainer] of cases) {
    it(`${label}: Rust loads our tokenizer.json and gives our ids on every corpus text`, async () => {
      const texts = readCorpusTexts(corpusPath);
      const ours = make();
      await trainFromIterator(ours, texts, trainer);
      const json = ours.toString();
      const theirs = tk.Tokenizer.fromString(json);
      const reloaded = Tokenizer.fromString(json);
      expect(theirs.getVocabSize(true)).toBe(ours.getVocabSize(true));
      let checked = 0;
      for (const text of texts) {
        const expected = (await theirs.encode(text, null, { addSpecialTokens: false })).getIds();
        expect(ours.encode(text, null, { addSpecialTokens: false }).ids, `${label}: ${JSON.stringify(text).slice(0, 80)}`).toEqual(expected);
        expect(reloaded.encode(text, null, { addSpecialTokens: false }).ids, `${label} reloaded: ${JSON.stringify(text).slice(0, 80)}`).toEqual(expected);
        checked++;
      }
      console.log(`${label}: vocab ${ours.getVocabSize(true)}, ${checked} texts encoded identically by Rust, by us and by us after reloading our tokenizer.json`);
    });
  }
});

function withModel(name: string, model: BPE | WordPiece | WordLevel | Unigram): Tokenizer {
  const tok = Tokenizer.fromString(pipelineJson(name, "BPE"));
  return reset(tok, model);
}

function reset(tok: Tokenizer, model: BPE | WordPiece | WordLevel | Unigram): Tokenizer {
  const fresh = new Tokenizer(model);
  fresh.normalizer = tok.normalizer;
  fresh.preTokenizer = tok.preTokenizer;
  return fresh;
}

describe("trainFromIterator without the oracle", () => {
  it("accepts batches and async iterables, and installs special tokens as special added tokens", async () => {
    async function* lines(): AsyncGenerator<string | string[]> {
      yield "low lower lowest";
      yield ["new newer", "newest wider"];
    }
    const tok = new Tokenizer(new WordLevel({ vocab: {}, unkToken: "[UNK]" }));
    tok.preTokenizer = new Whitespace();
    await trainFromIterator(tok, lines(), new WordLevelTrainer({ specialTokens: ["[UNK]"] }));
    expect(tok.getVocabSize(true)).toBe(8);
    expect(tok.tokenToId("[UNK]")).toBe(0);
    expect(tok.encode("[UNK]", null, { addSpecialTokens: false }).ids).toEqual([0]);
  });

  it("refuses a single string as corpus", async () => {
    const tok = new Tokenizer(new WordLevel({ vocab: {} }));
    await expect(trainFromIterator(tok, "abc" as unknown as string[], new WordLevelTrainer())).rejects.toThrow(/not a single string/);
  });

  it("refuses a trainer of another model type", () => {
    const tok = new Tokenizer(new WordLevel({ vocab: {} }));
    expect(() => trainFromIteratorSync(tok, ["a"], new BpeTrainer())).toThrow(/BPE trainer cannot train this tokenizer's WordLevel model/);
  });
});
