// The fields of a @tsorch/tokenizers Encoding the task helpers read (structural, so BatchEncoding rows or plain objects work too).

/**
 * One tokenized example as `@tsorch/tokenizers`' `Encoding` has it: `ids`, `attentionMask`, `typeIds`, `offsets`
 * (`[start, end)` in code points of the original text), `wordIds`, `sequenceIds`, and `overflowing` windows.
 */
export interface EncodingLike {
  readonly ids: readonly number[];
  readonly attentionMask?: readonly number[];
  readonly typeIds?: readonly number[];
  readonly offsets?: ReadonlyArray<readonly [number, number]>;
  readonly wordIds?: ReadonlyArray<number | null>;
  readonly sequenceIds?: ReadonlyArray<number | null>;
  readonly overflowing?: readonly EncodingLike[];
}

/**
 * Every window of the encodings with the example it came from. Without `overflowToSampleMapping`: HF fast-tokenizer
 * order (each encoding, then its overflowing windows). With it: the encodings already are the windows (as a
 * `BatchEncoding` made with `returnOverflowingTokens` lists them) and the mapping names each one's example.
 */
export function flattenOverflowing(
  encodings: readonly EncodingLike[],
  overflowToSampleMapping?: readonly number[],
): Array<{ encoding: EncodingLike; sampleIndex: number }> {
  if (overflowToSampleMapping) {
    if (overflowToSampleMapping.length !== encodings.length) {
      throw new RangeError(`question answering: overflowToSampleMapping has ${overflowToSampleMapping.length} entries for ${encodings.length} windows; pass the mapping of the same batch.`);
    }
    return encodings.map((encoding, i) => ({ encoding, sampleIndex: overflowToSampleMapping[i] }));
  }
  const out: Array<{ encoding: EncodingLike; sampleIndex: number }> = [];
  encodings.forEach((e, i) => {
    out.push({ encoding: e, sampleIndex: i });
    for (const o of e.overflowing ?? []) out.push({ encoding: o, sampleIndex: i });
  });
  return out;
}
