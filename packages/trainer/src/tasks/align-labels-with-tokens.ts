// Word-level labels to token-level labels through an encoding's wordIds, as the token-classification examples of Hugging Face (run_ner's tokenize_and_align_labels).

/** Options of `alignLabelsWithTokens`. */
export interface AlignLabelsOptions {
  /** Label every sub-token of a word (true) or only its first (false, default; the others get `ignoreIndex`). */
  labelAllTokens?: boolean;
  /** With `labelAllTokens`, the label for a word's later sub-tokens given its first label (run_ner's `b_to_i_label`: B-X → I-X). */
  continuationLabel?: (label: number) => number;
  /** Label of special tokens and skipped sub-tokens (default -100, ignored by the loss). */
  ignoreIndex?: number;
}

/**
 * Token labels from word labels: special tokens (null word id) get -100; the first sub-token of word w gets
 * `wordLabels[w]`; later sub-tokens get -100, or with `labelAllTokens` the word's label (mapped by
 * `continuationLabel`).
 * @example
 * ```ts
 * const enc = tokenizer.encode(["Hugging", "Face"], null, { isPretokenized: true });
 * alignLabelsWithTokens([3, 4], enc.wordIds); // e.g. [-100, 3, -100, 4, -100] for [CLS] hug ##ging face [SEP]
 * ```
 */
export function alignLabelsWithTokens(wordLabels: readonly number[], wordIds: ReadonlyArray<number | null>, opts: AlignLabelsOptions = {}): number[] {
  const ignore = opts.ignoreIndex ?? -100;
  const out: number[] = [];
  let prev: number | null = null;
  wordIds.forEach((w, i) => {
    if (w === null || w === undefined) out.push(ignore);
    else {
      if (w < 0 || w >= wordLabels.length) {
        throw new RangeError(`alignLabelsWithTokens: token ${i} belongs to word ${w} but there are ${wordLabels.length} word labels; give one label per word of the pre-tokenized input.`);
      }
      if (w !== prev) out.push(wordLabels[w]);
      else if (opts.labelAllTokens) out.push(opts.continuationLabel ? opts.continuationLabel(wordLabels[w]) : wordLabels[w]);
      else out.push(ignore);
    }
    prev = w ?? null;
  });
  return out;
}
