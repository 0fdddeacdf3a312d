// What a lazily built Encoding reads its fields from (TokenizerPool's transferred arrays); see `Encoding.lazy`.
import type { Encoding } from "../encoding.js";

/**
 * Where a lazily built encoding's fields come from (see `Encoding.lazy`): each method is called at most once per
 * encoding, on the first read of its field, and must return a fresh array the encoding then owns.
 * @internal
 */
export interface LazyEncodingSource {
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
  overflowing(): Encoding[];
}
