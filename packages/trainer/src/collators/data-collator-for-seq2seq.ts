// DataCollatorForSeq2Seq as Hugging Face's: pads labels with -100, pads the inputs, and asks the model for decoderInputIds from the labels.
import type { Tensor } from "@tsorch/tensor";
import { padFeatures, padLength, padRow, toTensorBatch, type CollatorTokenizer, type Feature, type PadOptions, type TensorBatch } from "./collator-tokenizer.js";
import { DataCollator } from "./data-collator.js";

/** The part of a seq2seq model the collator uses (T5, BART, Marian… in `@tsorch/transformers`). */
export interface Seq2SeqModelLike {
  prepareDecoderInputIdsFromLabels?(labels: Tensor): Tensor;
}

/**
 * Pads `labels` to the longest label sequence (or `maxLength` with `padding: "max_length"`; rounded up to
 * `padToMultipleOf`) with `labelPadTokenId` (-100) on the tokenizer's side, pads the inputs as `DataCollatorWithPadding`, and, when `model` has
 * `prepareDecoderInputIdsFromLabels`, adds `decoderInputIds` from the padded labels, as HF's collator does.
 * @example
 * ```ts
 * const collator = new DataCollatorForSeq2Seq({ tokenizer, model });
 * const batch = collator([{ input_ids: [5, 6, 1], labels: [7, 1] }, { input_ids: [5, 1], labels: [8, 9, 1] }]);
 * batch.labels; // [[7, 1, -100], [8, 9, 1]]; batch.decoderInputIds from model.prepareDecoderInputIdsFromLabels
 * ```
 */
export class DataCollatorForSeq2Seq extends DataCollator {
  readonly tokenizer: CollatorTokenizer;
  readonly model: Seq2SeqModelLike | null;
  readonly padOptions: PadOptions;
  readonly labelPadTokenId: number;

  constructor(opts: { tokenizer: CollatorTokenizer; model?: Seq2SeqModelLike | null; labelPadTokenId?: number } & PadOptions) {
    super();
    this.tokenizer = opts.tokenizer;
    this.model = opts.model ?? null;
    this.padOptions = { padding: opts.padding ?? true, maxLength: opts.maxLength, padToMultipleOf: opts.padToMultipleOf };
    this.labelPadTokenId = opts.labelPadTokenId ?? -100;
  }

  collate(features: Feature[]): TensorBatch {
    const labelKey = features.length && "label" in features[0] && !("labels" in features[0]) ? "label" : "labels";
    const labels = features.map((f) => f[labelKey] as number[] | undefined);
    const rest = features.map((f) => {
      const { [labelKey]: _drop, ...others } = f;
      return others;
    });
    const cols = padFeatures(rest, this.tokenizer, this.padOptions);
    if (labels.some((l) => l !== undefined)) {
      labels.forEach((l, i) => {
        if (!Array.isArray(l)) throw new TypeError(`DataCollatorForSeq2Seq: example ${i} has no "${labelKey}" list while others do; give every example its target ids.`);
      });
      const lens = (labels as number[][]).map((l) => l.length);
      // As HF: labels go to the longest label, or to maxLength under "max_length" padding; no padding leaves them.
      const p = this.padOptions.padding;
      const len = p === false || p === "do_not_pad" ? null : padLength(lens, { padding: p === "max_length" ? "max_length" : "longest", maxLength: this.padOptions.maxLength, padToMultipleOf: this.padOptions.padToMultipleOf });
      const side = this.tokenizer.paddingSide ?? "right";
      cols.labels = (labels as number[][]).map((l) => (len === null ? l : padRow(l, len, this.labelPadTokenId, side)));
    }
    const batch = toTensorBatch(cols, "DataCollatorForSeq2Seq");
    if (batch.labels && this.model && typeof this.model.prepareDecoderInputIdsFromLabels === "function" && !batch.decoderInputIds) {
      batch.decoderInputIds = this.model.prepareDecoderInputIdsFromLabels(batch.labels);
    }
    return batch;
  }
}
