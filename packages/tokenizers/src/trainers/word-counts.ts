// Word counting for training: each sequence through a normalizer and pre-tokenizer, words tallied in first-seen order (the Rust trainers' `feed`).

import { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import type { Normalizer } from "../normalizers/normalizer.js";
import type { PreTokenizer } from "../pre-tokenizers/pre-tokenizer.js";

/** Turns one training sequence into its words. */
export type WordSplitter = (sequence: string) => string[];

/** A corpus: strings or batches of strings, synchronous or asynchronous (files read line by line, streams). */
export type TrainingCorpus = Iterable<string | readonly string[]> | AsyncIterable<string | readonly string[]>;

/**
 * A splitter running `normalizer` then `preTokenizer`, as `Tokenizer::train` does when the
 * tokenizer has no added tokens: empty pieces are dropped.
 * @example pipelineSplitter(null, new Whitespace())("Hello, world") // ["Hello", ",", "world"]
 */
export function pipelineSplitter(normalizer: Normalizer | null | undefined, preTokenizer: PreTokenizer | null | undefined): WordSplitter {
  return (sequence) => {
    const pts = new PreTokenizedString(sequence);
    pts.split((_, ns) => [ns]);
    if (normalizer) {
      pts.split((_, ns) => {
        normalizer.normalize(ns);
        return [ns];
      });
    }
    if (preTokenizer) preTokenizer.preTokenize(pts);
    return pts.splits.map((s) => s.normalized.normalized);
  };
}

/**
 * Counts the words of every sequence of `corpus` (word -> occurrences, in first-seen order).
 * @example await countWords(["a b", "b"], (s) => s.split(" ")) // Map { "a" => 1, "b" => 2 }
 */
export async function countWords(corpus: TrainingCorpus, split: WordSplitter): Promise<Map<string, number>> {
  checkCorpus(corpus);
  const counts = new Map<string, number>();
  const add = (sequence: string): void => {
    if (typeof sequence !== "string") {
      throw new TypeError(`countWords: a training sequence must be a string, got ${typeof sequence}; pass strings or arrays of strings`);
    }
    for (const w of split(sequence)) counts.set(w, (counts.get(w) ?? 0) + 1);
  };
  const take = (item: string | readonly string[]): void => {
    if (typeof item === "string") add(item);
    else for (const s of item) add(s);
  };
  if (Symbol.asyncIterator in corpus) {
    for await (const item of corpus as AsyncIterable<string | readonly string[]>) take(item);
  } else {
    for (const item of corpus as Iterable<string | readonly string[]>) take(item);
  }
  return counts;
}

/**
 * Counts words synchronously (for arrays and other synchronous iterables).
 * @example countWordsSync(["a a"], (s) => s.split(" ")).get("a") // 2
 */
export function countWordsSync(corpus: Iterable<string | readonly string[]>, split: WordSplitter): Map<string, number> {
  checkCorpus(corpus);
  const counts = new Map<string, number>();
  for (const item of corpus) {
    for (const sequence of typeof item === "string" ? [item] : item) {
      for (const w of split(sequence)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return counts;
}

// A bare string is iterable too, but training on its characters one by one is never what was meant.
function checkCorpus(corpus: unknown): void {
  if (typeof corpus === "string") {
    throw new TypeError("train: the corpus must be an iterable of strings (e.g. an array of lines), not a single string; wrap it as [text]");
  }
  if (corpus === null || typeof corpus !== "object" || !(Symbol.iterator in corpus || Symbol.asyncIterator in corpus)) {
    throw new TypeError(`train: the corpus must be an iterable or async iterable of strings, got ${corpus === null ? "null" : typeof corpus}`);
  }
}
