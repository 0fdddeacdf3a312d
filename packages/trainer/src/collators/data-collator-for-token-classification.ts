// DataCollatorForTokenClassification as Hugging Face's: pads the inputs with the tokenizer and the per-token labels with -100.
import { padFeatures, padRow, toTensorBatch, type CollatorTokenizer, type Feature, type PadOptions, type TensorBatch } from "./collator-tokenizer.js";
import { DataCollator } from "./data-collator.js";

/**
 * Pads inputs like `DataCollatorWithPadding` and each example's `labels` (or `label`) to the padded sequence
 * length with `labelPadTokenId` (-100, ignored by the loss), on the tokenizer's padding side.
 * @example
 * ```ts
 * const collator = new DataCollatorForTokenClassification({ tokenizer });
 * collator([{ input_ids: [1, 2, 3], labels: [-100, 4, -100] }, { input_ids: [1, 3], labels: [-100, -100] }]).labels;
 * // [[-100, 4, -100], [-100, -100, -100]]
 * ```
 */
export class DataCollatorForTokenClassification extends DataCollator {
  readonly tokenizer: CollatorTokenizer;
  readonly padOptions: PadOptions;
  readonly labelPadTokenId: number;

  constructor(opts: { tokenizer: CollatorTokenizer; labelPadTokenId?: number } & PadOptions) {
    super();
    this.tokenizer = opts.tokenizer;
    this.padOptions = { padding: opts.padding ?? true, maxLength: opts.maxLength, padToMultipleOf: opts.padToMultipleOf };
    this.labelPadTokenId = opts.labelPadTokenId ?? -100;
  }

  collate(features: Feature[]): TensorBatch {
    const labelKey = features.length && "label" in features[0] ? "label" : "labels";
    const labels = features.map((f) => f[labelKey] as number[] | undefined);
    const rest = features.map((f) => {
      const { [labelKey]: _drop, ...others } = f;
      return others;
    });
    const cols = padFeatures(rest, this.tokenizer, this.padOptions);
    if (labels.every((l) => l === undefined)) return toTensorBatch(cols, "DataCollatorForTokenClassification");
    const ids = cols.inputIds as number[][];
    const len = Math.max(...ids.map((r) => r.length));
    const side = this.tokenizer.paddingSide ?? "right";
    cols.labels = labels.map((l, i) => {
      if (!Array.isArray(l)) throw new TypeError(`DataCollatorForTokenClassification: example ${i} has no list of per-token labels under "${labelKey}".`);
      if (l.length > len) {
        throw new RangeError(`DataCollatorForTokenClassification: example ${i} has ${l.length} labels for ${ids[i].length} tokens; align labels to tokens (alignLabelsWithTokens).`);
      }
      return padRow(l, len, this.labelPadTokenId, side);
    });
    return toTensorBatch(cols, "DataCollatorForTokenClassification");
  }
}
