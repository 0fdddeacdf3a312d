// BPE training over word counts; follows `BpeTrainer::do_train` of the Rust tokenizers crate step for step.

import { DaryHeap } from "./internal/dary-heap.js";
import { BpeWord, pairKey, pairOf } from "./internal/bpe-word.js";
import { chars } from "./internal/code-points.js";
import { specialTokenContent, type SpecialTokenSpec, type Trainer } from "./trainer.js";
import { progress } from "./internal/progress.js";

/** Options of {@link BpeTrainer}, named and defaulted as in HF tokenizers' `BpeTrainer`. */
export interface BpeTrainerOptions {
  /** Target vocabulary size, special tokens and alphabet included (default 30000). */
  vocabSize?: number;
  /** A pair must occur at least this often to be merged (default 0). */
  minFrequency?: number;
  /** Draw a progress bar on stderr when it is a terminal (default true, as in Rust; never in logs / CI). */
  showProgress?: boolean;
  /** Tokens placed first in the vocabulary, in this order. */
  specialTokens?: SpecialTokenSpec[];
  /** Keep at most this many characters in the alphabet (the most frequent ones). */
  limitAlphabet?: number | null;
  /** Characters always in the alphabet; of a longer string only its first character counts. */
  initialAlphabet?: string[];
  /** Prefix of every subword that does not start a word (e.g. "##"). */
  continuingSubwordPrefix?: string | null;
  /** Suffix of every subword that ends a word (e.g. "</w>"). */
  endOfWordSuffix?: string | null;
  /** Pairs whose merge would reach this many characters are not counted after a merge (Rust's rule). */
  maxTokenLength?: number | null;
}

/** What BPE training produces: the model's vocab, its merges by rank, and its affixes. */
export interface BpeTrainingResult {
  vocab: Map<string, number>;
  merges: Array<[string, string]>;
  continuingSubwordPrefix: string | null;
  endOfWordSuffix: string | null;
}

interface QueuedMerge {
  key: number;
  count: number;
  pos: Set<number>;
}

// Rust's `Ord for Merge`: higher count first, then the smaller (id, id) pair.
const mergeLe = (x: QueuedMerge, y: QueuedMerge): boolean =>
  x.count !== y.count ? x.count < y.count : y.key <= x.key;

/**
 * Trains a BPE vocabulary and merges, as HF tokenizers' `BpeTrainer`: special tokens first, then
 * the alphabet sorted by code point, then one token per merge (highest pair count first; ties go to
 * the pair of smaller ids). Words are visited in the map's order, which decides the ids of prefixed/
 * suffixed characters (Rust visits a hash map, so its ids there vary from run to run).
 * @example
 * const r = new BpeTrainer({ vocabSize: 10 }).train(new Map([["hello", 2], ["hell", 1]]));
 * r.merges[0] // ["l", "l"]
 */
export class BpeTrainer implements Trainer {
  readonly modelType = "BPE" as const;
  readonly vocabSize: number;
  readonly minFrequency: number;
  readonly showProgress: boolean;
  readonly specialTokens: SpecialTokenSpec[];
  readonly limitAlphabet: number | null;
  readonly initialAlphabet: string[];
  readonly continuingSubwordPrefix: string | null;
  readonly endOfWordSuffix: string | null;
  readonly maxTokenLength: number | null;

  constructor(options: BpeTrainerOptions = {}) {
    this.vocabSize = options.vocabSize ?? 30000;
    this.minFrequency = options.minFrequency ?? 0;
    this.showProgress = options.showProgress ?? true;
    this.specialTokens = [...(options.specialTokens ?? [])];
    this.limitAlphabet = options.limitAlphabet ?? null;
    this.initialAlphabet = initialAlphabetChars(options.initialAlphabet ?? []);
    this.continuingSubwordPrefix = options.continuingSubwordPrefix ?? null;
    this.endOfWordSuffix = options.endOfWordSuffix ?? null;
    this.maxTokenLength = options.maxTokenLength ?? null;
    checkCount("BpeTrainer", "vocabSize", this.vocabSize);
    checkCount("BpeTrainer", "minFrequency", this.minFrequency);
    if (this.limitAlphabet !== null) checkCount("BpeTrainer", "limitAlphabet", this.limitAlphabet);
    if (this.maxTokenLength !== null) checkCount("BpeTrainer", "maxTokenLength", this.maxTokenLength);
  }

  /**
   * Trains on word counts (word -> occurrences), visiting words in the map's iteration order.
   * @example new BpeTrainer().train(new Map([["ab", 3]])).vocab // Map {"a" => 0, "b" => 1, "ab" => 2}
   */
  train(wordCounts: ReadonlyMap<string, number>): BpeTrainingResult {
    const wordToId = new Map<string, number>();
    const idToWord: string[] = [];
    const intern = (s: string): number => {
      let id = wordToId.get(s);
      if (id === undefined) {
        id = idToWord.length;
        idToWord.push(s);
        wordToId.set(s, id);
      }
      return id;
    };
    const maxTokenLength = this.maxTokenLength ?? Infinity;

    // 1. Special tokens.
    for (const t of this.specialTokens) intern(specialTokenContent(t));

    // 2. Alphabet.
    for (const c of this.computeAlphabet(wordCounts)) intern(c);

    // 3. Words as symbol ids; characters outside the alphabet are dropped (as in Rust).
    const words: BpeWord[] = [];
    const counts: number[] = [];
    for (const [word, count] of wordCounts) {
      const w = new BpeWord();
      counts.push(count);
      const cs = chars(word);
      for (let k = 0; k < cs.length; k++) {
        let s = cs[k];
        if (!wordToId.has(s)) continue;
        if (k > 0 && this.continuingSubwordPrefix !== null) s = this.continuingSubwordPrefix + s;
        if (k === cs.length - 1 && this.endOfWordSuffix !== null) s = s + this.endOfWordSuffix;
        w.add(intern(s), 1);
      }
      words.push(w);
    }

    // 4. Pair counts and where each pair occurs.
    const pairCounts = new Map<number, number>();
    let whereToUpdate = new Map<number, Set<number>>();
    for (let i = 0; i < words.length; i++) {
      const ids = words[i].ids;
      for (let j = 0; j + 1 < ids.length; j++) {
        const key = pairKey(ids[j], ids[j + 1]);
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + counts[i]);
        let pos = whereToUpdate.get(key);
        if (pos === undefined) whereToUpdate.set(key, (pos = new Set()));
        pos.add(i);
      }
    }
    const queue = new DaryHeap<QueuedMerge>(8, mergeLe);
    const flush = (): void => {
      for (const [key, pos] of whereToUpdate) {
        const count = pairCounts.get(key) ?? 0;
        if (count > 0) queue.push({ key, count, pos });
      }
      whereToUpdate = new Map();
    };
    flush();

    // 5. Merges.
    const merges: Array<[number, number]> = [];
    const bar = progress(this.showProgress, "Compute merges", Math.max(0, this.vocabSize - wordToId.size));
    const startSize = wordToId.size;
    for (;;) {
      bar.update(wordToId.size - startSize);
      if (wordToId.size >= this.vocabSize) break;
      const top = queue.pop();
      if (top === undefined) break;
      const current = pairCounts.get(top.key) ?? 0;
      if (top.count !== current) {
        top.count = current;
        queue.push(top);
        continue;
      }
      if (top.count < 1 || this.minFrequency > top.count) break;

      const [a, b] = pairOf(top.key);
      let partB = idToWord[b];
      const prefix = this.continuingSubwordPrefix;
      if (prefix !== null && partB.startsWith(prefix)) partB = partB.slice(prefix.length);
      const newId = intern(idToWord[a] + partB);
      merges.push([top.key, newId]);

      for (const i of top.pos) {
        for (const [key, change] of words[i].merge(a, b, newId, maxTokenLength)) {
          pairCounts.set(key, (pairCounts.get(key) ?? 0) + change * counts[i]);
          if (change > 0) {
            let pos = whereToUpdate.get(key);
            if (pos === undefined) whereToUpdate.set(key, (pos = new Set()));
            pos.add(i);
          }
        }
      }
      flush();
    }
    bar.finish();

    // Rust keeps merges in a map keyed by pair: a pair merged twice keeps its last rank.
    const rankOf = new Map<number, number>();
    merges.forEach(([key], rank) => rankOf.set(key, rank));
    const kept = merges.filter(([key], rank) => rankOf.get(key) === rank);
    return {
      vocab: wordToId,
      merges: kept.map(([key]) => {
        const [a, b] = pairOf(key);
        return [idToWord[a], idToWord[b]];
      }),
      continuingSubwordPrefix: this.continuingSubwordPrefix,
      endOfWordSuffix: this.endOfWordSuffix,
    };
  }

  // Characters of the corpus (plus the initial alphabet), cut to `limitAlphabet` most frequent,
  // returned sorted by code point. Rust breaks frequency ties in hash order; we drop the higher
  // code point first so the result is reproducible.
  private computeAlphabet(wordCounts: ReadonlyMap<string, number>): string[] {
    const alphabet = new Map<string, number>();
    for (const [word, count] of wordCounts) {
      for (const c of chars(word)) alphabet.set(c, (alphabet.get(c) ?? 0) + count);
    }
    for (const c of this.initialAlphabet) alphabet.set(c, Infinity);
    let kept = [...alphabet];
    const toRemove = this.limitAlphabet === null ? 0 : Math.max(0, alphabet.size - this.limitAlphabet);
    if (toRemove > 0) {
      kept.sort((x, y) => x[1] - y[1] || (y[0].codePointAt(0) ?? 0) - (x[0].codePointAt(0) ?? 0));
      kept = kept.slice(toRemove);
    }
    kept.sort((x, y) => (x[0].codePointAt(0) ?? 0) - (y[0].codePointAt(0) ?? 0));
    return kept.map(([c]) => c);
  }
}

/**
 * The first character of each initial-alphabet string (Python's `initial_alphabet` rule).
 * @example initialAlphabetChars(["ab", "c", ""]) // ["a", "c"]
 */
export function initialAlphabetChars(alphabet: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of alphabet) {
    const c = s.codePointAt(0);
    if (c !== undefined) out.push(String.fromCodePoint(c));
  }
  return out;
}

/**
 * Throws unless `value` is a non-negative integer (a count, size or length option).
 * @example checkCount("BpeTrainer", "vocabSize", 100)
 */
export function checkCount(component: string, option: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${component}: option ${option} must be a non-negative integer, got ${value}; pass e.g. ${option}: 1000`);
  }
}
