// What every trainer shares: special-token specs and the word-count input, after HF tokenizers' `Trainer` trait.

/**
 * A special token given to a trainer: its text, or an added-token description
 * (`{content, singleWord, lstrip, rstrip, normalized}`), as Python's `trainers.*(special_tokens=...)` takes.
 * @example const specials: SpecialTokenSpec[] = ["[UNK]", { content: "[MASK]", lstrip: true }];
 */
export type SpecialTokenSpec =
  | string
  | {
      content: string;
      singleWord?: boolean;
      lstrip?: boolean;
      rstrip?: boolean;
      normalized?: boolean;
    };

/**
 * The text of a special token spec.
 * @example specialTokenContent({ content: "[CLS]" }) // "[CLS]"
 */
export function specialTokenContent(token: SpecialTokenSpec): string {
  return typeof token === "string" ? token : token.content;
}

/** The model family a trainer produces. */
export type TrainerModelType = "BPE" | "WordPiece" | "WordLevel" | "Unigram";

/**
 * A trainer: turns word counts (words after the tokenizer's normalizer and pre-tokenizer, in
 * first-seen order) into a model's vocabulary. Implemented by {@link BpeTrainer},
 * {@link WordPieceTrainer}, {@link WordLevelTrainer} and {@link UnigramTrainer}.
 * @example const t: Trainer = new WordLevelTrainer({ vocabSize: 100 }); t.modelType // "WordLevel"
 */
export interface Trainer {
  readonly modelType: TrainerModelType;
  /** Tokens the trained tokenizer registers as special added tokens (Rust's trainer return value). */
  readonly specialTokens: readonly SpecialTokenSpec[];
}
