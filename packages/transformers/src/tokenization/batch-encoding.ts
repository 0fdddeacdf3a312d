// BatchEncoding: what calling a tokenizer returns, as HF's BatchEncoding (ids, masks, offsets, word and sequence ids; tensors on request).
import { tensor, type Tensor } from "@tsorch/tensor";
import type { Encoding } from "@tsorch/tokenizers";

/** A batch's rows as plain arrays, or as int64 tensors when `returnTensors: "pt"` was asked. */
export type Column<T extends boolean> = T extends true ? Tensor : number[][];

/**
 * The output of `tokenizer(texts)`: `inputIds`, `attentionMask`, `tokenTypeIds` (where the model takes them),
 * `offsetMapping`, `overflowToSampleMapping`, plus `wordIds(i)` / `sequenceIds(i)` from the fast encodings.
 * @example
 * const enc = tok(["Hello world", "Hi"], { padding: true });
 * enc.inputIds; enc.attentionMask; enc.wordIds(0);
 */
export class BatchEncoding {
  inputIds: number[][];
  attentionMask: number[][];
  tokenTypeIds?: number[][];
  specialTokensMask?: number[][];
  offsetMapping?: [number, number][][];
  overflowToSampleMapping?: number[];
  /** The target ids when the tokenizer was called with both texts and `textTarget` (HF's `labels`). */
  labels?: number[][];
  /** The backend encodings, one per row. */
  readonly encodings: Encoding[];

  constructor(encodings: Encoding[], fields: { tokenTypeIds: boolean; offsets: boolean; specialTokensMask: boolean; overflowToSample?: number[] }) {
    this.encodings = encodings;
    this.inputIds = encodings.map((e) => [...e.ids]);
    this.attentionMask = encodings.map((e) => [...e.attentionMask]);
    if (fields.tokenTypeIds) this.tokenTypeIds = encodings.map((e) => [...e.typeIds]);
    if (fields.specialTokensMask) this.specialTokensMask = encodings.map((e) => [...e.specialTokensMask]);
    if (fields.offsets) this.offsetMapping = encodings.map((e) => e.offsetsUtf16.map(([a, b]) => [a, b] as [number, number]));
    if (fields.overflowToSample) this.overflowToSampleMapping = fields.overflowToSample;
  }

  /** The word index of every token of row `i` (null for special tokens), as `word_ids(i)`. @example enc.wordIds(0) */
  wordIds(i = 0): Array<number | null> {
    return [...this.row(i).wordIds];
  }

  /** The sequence (0, 1, or null for special tokens) of every token of row `i`, as `sequence_ids(i)`. @example enc.sequenceIds(0) */
  sequenceIds(i = 0): Array<number | null> {
    return [...this.row(i).sequenceIds];
  }

  /** The tokens of row `i`. @example enc.tokens(0) */
  tokens(i = 0): string[] {
    return [...this.row(i).tokens];
  }

  /** Number of rows. */
  get length(): number {
    return this.inputIds.length;
  }

  private row(i: number): Encoding {
    const e = this.encodings[i];
    if (!e) throw new RangeError(`BatchEncoding: row ${i} does not exist (${this.encodings.length} rows).`);
    return e;
  }

  /**
   * The model inputs as int64 tensors `[B, T]` (rows must have one length: pad first), camelCased for `forward`.
   * @example model.forward(tok(texts, { padding: true }).toTensors())
   */
  toTensors(): { inputIds: Tensor; attentionMask: Tensor; tokenTypeIds?: Tensor; labels?: Tensor } {
    for (const [name, rows] of [["inputIds", this.inputIds], ["labels", this.labels ?? []]] as const) {
      const lens = new Set(rows.map((r) => r.length));
      if (lens.size > 1) throw new RangeError(`BatchEncoding.toTensors: ${name} rows have different lengths (${[...lens].join(", ")}); call the tokenizer with { padding: true } (or "max_length").`);
    }
    const t = (rows: number[][]) => tensor(rows, { dtype: "int64" });
    return { inputIds: t(this.inputIds), attentionMask: t(this.attentionMask), ...(this.tokenTypeIds ? { tokenTypeIds: t(this.tokenTypeIds) } : {}), ...(this.labels ? { labels: t(this.labels) } : {}) };
  }
}
