// Word counting through real pipelines: for every fixture tokenizer's normalizer + pre-tokenizer, training on the corpus gives what the Rust library gives.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { normalizerFromJSON } from "../normalizers/from-json.js";
import { preTokenizerFromJSON } from "../pre-tokenizers/from-json.js";
import { BpeTrainer } from "./bpe-trainer.js";
import { WordLevelTrainer } from "./wordlevel-trainer.js";
import { linesWithEnding } from "./internal/lines.js";
import { countWordsSync, pipelineSplitter } from "./word-counts.js";
import { corpusPath, fixtureSkipReason, mergePair, oracleSkipReason, readCorpusTexts, rust, rustJson, writeCorpusFile, type Oracle } from "./rust-oracle.test-util.js";

const skipReason = fixtureSkipReason ?? oracleSkipReason;
if (skipReason) console.warn(`trainer pipeline parity: SKIPPED, ${skipReason}`);

const tokenizersDir = join(dirname(dirname(corpusPath)), "tokenizers");
const names = existsSync(tokenizersDir) ? readdirSync(tokenizersDir).sort() : [];

function readTokenizerJson(name: string): Record<string, unknown> {
  const plain = join(tokenizersDir, name, "tokenizer.json");
  if (existsSync(plain)) return JSON.parse(readFileSync(plain, "utf8")) as Record<string, unknown>;
  return JSON.parse(gunzipSync(readFileSync(plain + ".gz")).toString("utf8")) as Record<string, unknown>;
}

const emptyModels: Record<string, Record<string, unknown>> = {
  BPE: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: {}, merges: [] },
  WordLevel: { type: "WordLevel", vocab: {}, unk_token: "<unk>" },
};

describe.skipIf(skipReason !== null)("training through each fixture tokenizer's normalizer and pre-tokenizer", () => {
  const tk = rust as Oracle;
  let file = "";
  let lines: string[] = [];
  beforeAll(() => {
    file = writeCorpusFile(readCorpusTexts(corpusPath));
    lines = linesWithEnding(readFileSync(file, "utf8"));
  });

  it("finds fixture tokenizers", () => {
    expect(names.length).toBeGreaterThan(0);
    console.log(`trainer pipeline parity: ${names.length} tokenizer pipelines, ${lines.length} corpus lines`);
  });

  for (const name of names) {
    it(`${name}: WordLevel and BPE trained as by Rust`, () => {
      const json = readTokenizerJson(name);
      const split = pipelineSplitter(normalizerFromJSON(json.normalizer ?? null), preTokenizerFromJSON(json.pre_tokenizer ?? null));
      const words = countWordsSync(lines, split);
      for (const type of ["WordLevel", "BPE"] as const) {
        const rustTokenizer = tk.Tokenizer.fromString(
          JSON.stringify({ version: "1.0", truncation: null, padding: null, added_tokens: [], normalizer: json.normalizer ?? null, pre_tokenizer: json.pre_tokenizer ?? null, post_processor: null, decoder: null, model: emptyModels[type] }),
        );
        rustTokenizer.train([file]);
        const expected = rustJson(rustTokenizer).model;
        if (type === "WordLevel") {
          expect(Object.fromEntries(new WordLevelTrainer().train(words).vocab), `${name} WordLevel vocab`).toEqual(expected.vocab);
        } else {
          const ours = new BpeTrainer().train(words);
          expect(Object.fromEntries(ours.vocab), `${name} BPE vocab`).toEqual(expected.vocab);
          expect(ours.merges, `${name} BPE merges`).toEqual((expected.merges ?? []).map(mergePair));
        }
      }
      console.log(`${name}: ${words.size} distinct words; WordLevel and BPE identical`);
    });
  }
});
