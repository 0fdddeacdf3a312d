// The base of the collators: an object that is also a function `(features) => batch`, so it can be passed as a Trainer's dataCollator as in Python.
import type { Feature, TensorBatch } from "./collator-tokenizer.js";

/**
 * Base class of the collators. An instance is callable: `collator(features)` is `collator.collate(features)`,
 * so it can be given directly as `dataCollator` to the Trainer, as Hugging Face's collator objects are.
 * @example
 * ```ts
 * class MyCollator extends DataCollator { collate(features) { return toTensorBatch(padFeatures(features, tok)); } }
 * const batch = new MyCollator()(rows);
 * ```
 */
export abstract class DataCollator {
  constructor() {
    const fn = function (this: unknown, features: Feature[]): TensorBatch {
      return (fn as unknown as DataCollator).collate(features);
    };
    Object.setPrototypeOf(fn, new.target.prototype);
    return fn as unknown as DataCollator;
  }

  /** Collates a list of examples into a batch of tensors. */
  abstract collate(features: Feature[]): TensorBatch;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface DataCollator {
  (features: Feature[]): TensorBatch;
}
