// Examples' out-of-memory hint: the Trainer's TrainerOutOfMemoryError restated with the script's own option (`--batch 16`).
import { TrainerOutOfMemoryError } from "@tsorch/trainer";

/**
 * Awaits a training or evaluation run; when a step runs out of memory, rethrows the Trainer's error with the
 * command-line option that sets that batch size and the smaller value to try.
 * @example await withBatchHint(trainer.train(), { train: "--batch", eval: "--eval-batch" })
 */
export async function withBatchHint<T>(run: Promise<T>, flags: { train: string; eval?: string }): Promise<T> {
  try {
    return await run;
  } catch (e) {
    if (!(e instanceof TrainerOutOfMemoryError)) throw e;
    const flag = e.argument === "perDeviceTrainBatchSize" ? flags.train : flags.eval;
    const hint = flag
      ? e.batchSize > 1
        ? `Run again with a smaller batch, e.g. ${flag} ${e.suggestedBatchSize}.`
        : "Even a batch of 1 does not fit: use a smaller model (--hidden, --layers) or shorter sequences."
      : "";
    throw new RangeError(`${e.message}${hint ? ` ${hint}` : ""}`, { cause: e });
  }
}
