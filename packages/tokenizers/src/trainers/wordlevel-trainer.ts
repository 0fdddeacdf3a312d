// WordLevel training: words by decreasing count, then by code point, after the special tokens; follows HF tokenizers' `WordLevelTrainer`.

import { compareCodePoints } from "./internal/code-points.js";
import { checkCount } from "./bpe-trainer.js";
import { specialTokenContent, type SpecialTokenSpec, type Trainer } from "./trainer.js";

/** Options of {@link WordLevelTrainer}, as HF tokenizers' `WordLevelTrainer`. */
export interface WordLevelTrainerOptions {
  /** Target vocabulary size, special tokens included (default 30000). */
  vocabSize?: number;
  /** Words seen fewer times are left out (default 0). */
  minFrequency?: number;
  /** Accepted for API parity: this trainer is a single counting pass, with nothing to show progress of. */
  showProgress?: boolean;
  /** Tokens placed first in the vocabulary. */
  specialTokens?: SpecialTokenSpec[];
}

/** What WordLevel training produces. */
export interface WordLevelTrainingResult {
  vocab: Map<string, number>;
}

/**
 * Trains a WordLevel vocabulary: special tokens, then words sorted by count (descending) and
 * then by code point, cut at `vocabSize`. As in Rust, a word equal to a special token takes the
 * later id (the special token's own id is then left unused).
 * @example
 * new WordLevelTrainer().train(new Map([["b", 2], ["a", 2], ["c", 5]])).vocab // c=0, a=1, b=2
 */
export class WordLevelTrainer implements Trainer {
  readonly modelType = "WordLevel" as const;
  readonly vocabSize: number;
  readonly minFrequency: number;
  readonly showProgress: boolean;
  readonly specialTokens: SpecialTokenSpec[];

  constructor(options: WordLevelTrainerOptions = {}) {
    this.vocabSize = options.vocabSize ?? 30000;
    this.minFrequency = options.minFrequency ?? 0;
    this.showProgress = options.showProgress ?? true;
    this.specialTokens = [...(options.specialTokens ?? [])];
    checkCount("WordLevelTrainer", "vocabSize", this.vocabSize);
    checkCount("WordLevelTrainer", "minFrequency", this.minFrequency);
  }

  /**
   * Trains on word counts.
   * @example new WordLevelTrainer({ specialTokens: ["[UNK]"] }).train(new Map([["x", 1]])).vocab.get("x") // 1
   */
  train(wordCounts: ReadonlyMap<string, number>): WordLevelTrainingResult {
    const ordered = [...wordCounts].sort((l, r) => (l[1] !== r[1] ? r[1] - l[1] : compareCodePoints(l[0], r[0])));
    const tokens = this.specialTokens.map(specialTokenContent);
    for (const [w, n] of ordered) if (n >= this.minFrequency) tokens.push(w);
    const vocab = new Map<string, number>();
    const n = Math.min(tokens.length, this.vocabSize);
    for (let i = 0; i < n; i++) vocab.set(tokens[i], i);
    return { vocab };
  }
}
