// DataCollatorWithPadding as Hugging Face's: pads the token-level columns with the tokenizer's rules and stacks everything else.
import { padFeatures, toTensorBatch, type CollatorTokenizer, type Feature, type PadOptions, type TensorBatch } from "./collator-tokenizer.js";
import { DataCollator } from "./data-collator.js";

/**
 * Pads `inputIds` / `attentionMask` / `tokenTypeIds` / `specialTokensMask` to the longest example (or `maxLength`,
 * rounded up to `padToMultipleOf`) and turns every column into a tensor; `label` becomes `labels`.
 * @example
 * ```ts
 * const collator = new DataCollatorWithPadding({ tokenizer });
 * const batch = collator([{ input_ids: [101, 7, 102], label: 1 }, { input_ids: [101, 102], label: 0 }]);
 * batch.inputIds.shape; // [2, 3]
 * ```
 */
export class DataCollatorWithPadding extends DataCollator {
  readonly tokenizer: CollatorTokenizer;
  readonly padOptions: PadOptions;

  constructor(opts: { tokenizer: CollatorTokenizer } & PadOptions) {
    super();
    this.tokenizer = opts.tokenizer;
    this.padOptions = { padding: opts.padding ?? true, maxLength: opts.maxLength, padToMultipleOf: opts.padToMultipleOf };
  }

  collate(features: Feature[]): TensorBatch {
    return toTensorBatch(padFeatures(features, this.tokenizer, this.padOptions), "DataCollatorWithPadding");
  }
}
