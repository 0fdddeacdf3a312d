// WordPiece training: a BPE training with a "##" continuing-subword prefix whose vocabulary becomes the model's, as HF tokenizers' `WordPieceTrainer`.

import { BpeTrainer } from "./bpe-trainer.js";
import type { SpecialTokenSpec, Trainer } from "./trainer.js";

/** Options of {@link WordPieceTrainer}, as HF tokenizers' `WordPieceTrainer`. */
export interface WordPieceTrainerOptions {
  /** Target vocabulary size (default 30000). */
  vocabSize?: number;
  /** A pair must occur at least this often to be merged (default 0). */
  minFrequency?: number;
  /** Accepted for API parity: this trainer is a single counting pass, with nothing to show progress of. WordPiece passes it to its BPE trainer. */
  showProgress?: boolean;
  /** Tokens placed first in the vocabulary, in this order (include the model's unk token, e.g. "[UNK]"). */
  specialTokens?: SpecialTokenSpec[];
  /** Keep at most this many characters in the alphabet. */
  limitAlphabet?: number | null;
  /** Characters always in the alphabet. */
  initialAlphabet?: string[];
  /** Prefix of non-initial subwords (default "##"). */
  continuingSubwordPrefix?: string;
  /** Suffix of word-final subwords (default none). */
  endOfWordSuffix?: string | null;
}

/** What WordPiece training produces. */
export interface WordPieceTrainingResult {
  vocab: Map<string, number>;
  continuingSubwordPrefix: string;
}

/**
 * Trains a WordPiece vocabulary the way the Rust library does: BPE merges over words split into
 * `c ##c ##c`, keeping the resulting vocabulary (merges are discarded).
 * @example
 * const r = new WordPieceTrainer({ specialTokens: ["[UNK]"] }).train(new Map([["hug", 3]]));
 * [...r.vocab.keys()] // ["[UNK]", "g", "h", "u", "##u", "##g", "hu", "hug"]
 */
export class WordPieceTrainer implements Trainer {
  readonly modelType = "WordPiece" as const;
  readonly bpeTrainer: BpeTrainer;

  constructor(options: WordPieceTrainerOptions = {}) {
    this.bpeTrainer = new BpeTrainer({
      vocabSize: options.vocabSize,
      minFrequency: options.minFrequency,
      showProgress: options.showProgress,
      specialTokens: options.specialTokens,
      limitAlphabet: options.limitAlphabet,
      initialAlphabet: options.initialAlphabet,
      continuingSubwordPrefix: options.continuingSubwordPrefix ?? "##",
      endOfWordSuffix: options.endOfWordSuffix,
    });
  }

  get specialTokens(): readonly SpecialTokenSpec[] {
    return this.bpeTrainer.specialTokens;
  }

  get vocabSize(): number {
    return this.bpeTrainer.vocabSize;
  }

  get continuingSubwordPrefix(): string {
    return this.bpeTrainer.continuingSubwordPrefix ?? "##";
  }

  /**
   * Trains on word counts, visiting words in the map's order.
   * @example new WordPieceTrainer().train(new Map([["ab", 2]])).vocab.has("##b") // true
   */
  train(wordCounts: ReadonlyMap<string, number>): WordPieceTrainingResult {
    const bpe = this.bpeTrainer.train(wordCounts);
    return { vocab: bpe.vocab, continuingSubwordPrefix: this.continuingSubwordPrefix };
  }
}
