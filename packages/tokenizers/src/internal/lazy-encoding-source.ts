// What a lazily built Encoding reads its fields from (TokenizerPool's transferred arrays); see `Encoding.lazy`.
/**
 * Where a lazily built encoding's fields come from (see `Encoding.lazy`): each method is called at most once per
 * encoding, on the first read of its field, and must return a fresh array the encoding then owns. `E` is the
 * Encoding class (a type parameter, so this file does not import the class that imports it).
 * @internal
 */
export interface LazyEncodingSource<E> {
  readonly length: number;
  ids(): number[];
  typeIds(): number[];
  tokens(): string[];
  wordIds(): Array<number | null>;
  specialTokensMask(): number[];
  attentionMask(): number[];
  /** `[start0, end0, ...]`; may be a view that the encoding keeps. */
  packedOffsets(): ArrayLike<number>;
  sequenceRanges(): Map<number, [number, number]>;
  overflowing(): E[];
}
