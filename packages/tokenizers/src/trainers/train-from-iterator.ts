// Training a Tokenizer from a corpus: words through its added tokens, normalizer and pre-tokenizer, then the trained model installed (Python's `Tokenizer.train_from_iterator`).

import { AddedToken } from "../added-vocabulary/added-token.js";
import type { Tokenizer } from "../tokenizer.js";
import { trainModel } from "./trained-model.js";
import type { AnyTrainer } from "./any-trainer.js";
import type { SpecialTokenSpec } from "./trainer.js";
import { countWords, countWordsSync, type TrainingCorpus, type WordSplitter } from "./word-counts.js";

/**
 * How `tokenizer` cuts a training sequence into words, exactly as Rust's `Tokenizer::train`:
 * added tokens are split out first (and count as words), the rest is normalized and pre-tokenized.
 * @example tokenizerSplitter(Tokenizer.fromString(json))("Hello world")
 */
export function tokenizerSplitter(tokenizer: Tokenizer): WordSplitter {
  return (sequence) => {
    const pts = tokenizer.addedVocabulary.extractAndNormalize(tokenizer.normalizer, wellFormed(sequence));
    if (tokenizer.preTokenizer) tokenizer.preTokenizer.preTokenize(pts);
    return pts.splits.map((s) => s.normalized.normalized);
  };
}

/**
 * Trains `tokenizer`'s model on a corpus of strings (or batches of strings), synchronous or
 * asynchronous, with `trainer`, then installs the trained model and registers the trainer's
 * special tokens as special added tokens. Mirrors Python's `tokenizer.train_from_iterator(iterator, trainer)`;
 * the trainer must match the model type (a BpeTrainer for a BPE model, ...).
 * @example
 * const tok = new Tokenizer(new BPE({ vocab: {}, merges: [] }));
 * tok.preTokenizer = new Whitespace();
 * await trainFromIterator(tok, ["hello world", "hello there"], new BpeTrainer({ vocabSize: 50, specialTokens: ["[UNK]"] }));
 * tok.encode("hello").tokens // ["hello"]
 */
export async function trainFromIterator(tokenizer: Tokenizer, corpus: TrainingCorpus, trainer: AnyTrainer): Promise<Tokenizer> {
  const counts = await countWords(corpus, tokenizerSplitter(tokenizer));
  return installTrained(tokenizer, counts, trainer);
}

/**
 * {@link trainFromIterator} for synchronous corpora (arrays, generators), returning at once.
 * @example trainFromIteratorSync(tok, ["a b", "b c"], new WordLevelTrainer({ specialTokens: ["<unk>"] }))
 */
export function trainFromIteratorSync(tokenizer: Tokenizer, corpus: Iterable<string | readonly string[]>, trainer: AnyTrainer): Tokenizer {
  return installTrained(tokenizer, countWordsSync(corpus, tokenizerSplitter(tokenizer)), trainer);
}

/**
 * Trains on already counted words (word -> occurrences; map order decides ties where Rust uses
 * hash order) and installs the model, skipping the tokenizer's pipeline.
 * @example trainFromWordCounts(tok, new Map([["hello", 3]]), new BpeTrainer())
 */
export function trainFromWordCounts(tokenizer: Tokenizer, wordCounts: ReadonlyMap<string, number>, trainer: AnyTrainer): Tokenizer {
  return installTrained(tokenizer, wordCounts, trainer);
}

function installTrained(tokenizer: Tokenizer, wordCounts: ReadonlyMap<string, number>, trainer: AnyTrainer): Tokenizer {
  tokenizer.model = trainModel(trainer, wordCounts, tokenizer.model);
  const specials = trainer.specialTokens.map(toAddedToken);
  if (specials.length > 0) tokenizer.addSpecialTokens(specials);
  return tokenizer;
}

// Python turns a string into AddedToken(content, special=True); given options are kept.
function toAddedToken(t: SpecialTokenSpec): AddedToken {
  if (typeof t === "string") return new AddedToken(t, { special: true });
  return new AddedToken(t.content, {
    special: true,
    singleWord: t.singleWord,
    lstrip: t.lstrip,
    rstrip: t.rstrip,
    normalized: t.normalized,
  });
}

/** Lone surrogates become U+FFFD, as they do on their way into the Rust library. */
function wellFormed(s: string): string {
  const f = (s as { toWellFormed?: () => string }).toWellFormed;
  if (typeof f === "function") return f.call(s);
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}
