// TrainerOutOfMemoryError: a training or evaluation step that could not allocate, with the batch size to try next (what HF users get from torch's OutOfMemoryError plus a hint).

/**
 * A training or evaluation step that ran out of memory: names the batch size, the argument that sets it and a smaller
 * one to try (half, at least 1), so a caller (a script's `--batch` option) can repeat the hint in its own terms.
 * @example
 * ```ts
 * try { await trainer.train(); } catch (e) {
 *   if (e instanceof TrainerOutOfMemoryError) console.error(`try --batch ${e.suggestedBatchSize}`);
 *   throw e;
 * }
 * ```
 */
export class TrainerOutOfMemoryError extends Error {
  override name = "TrainerOutOfMemoryError";
  /** The batch size that did not fit. */
  readonly batchSize: number;
  /** Half of it (at least 1): the next size to try. */
  readonly suggestedBatchSize: number;
  /** The TrainingArguments field that sets the batch size. */
  readonly argument: "perDeviceTrainBatchSize" | "perDeviceEvalBatchSize";

  constructor(phase: "training" | "evaluation", step: number, batchSize: number, cause: unknown) {
    const argument = phase === "training" ? "perDeviceTrainBatchSize" : "perDeviceEvalBatchSize";
    const suggested = Math.max(1, Math.floor(batchSize / 2));
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `Trainer: out of memory in ${phase} step ${step} with a batch of ${batchSize} rows (${argument} = ${batchSize}): ${why}. ` +
        (batchSize > 1
          ? `Try a smaller batch, e.g. ${argument}: ${suggested}` + (phase === "training" ? ` (with gradientAccumulationSteps doubled to keep the effective batch).` : ".")
          : "Even one row does not fit: use a smaller model, shorter sequences (maxLength) or a device with more memory."),
      { cause },
    );
    this.batchSize = batchSize;
    this.suggestedBatchSize = suggested;
    this.argument = argument;
  }
}
