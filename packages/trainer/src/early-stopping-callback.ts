// EarlyStoppingCallback: stops training when the metric for the best model stops improving (HF's EarlyStoppingCallback).

import type { CallbackExtras, TrainerCallback } from "./trainer-callback.js";
import type { TrainingArguments } from "./training-args.js";
import type { TrainerControl, TrainerState } from "./trainer-state.js";

/**
 * Stops after `earlyStoppingPatience` evaluations without an improvement of `args.metricForBestModel` by more than
 * `earlyStoppingThreshold`, as HF's; needs `metricForBestModel` (and, as HF, an eval strategy).
 * @example new Trainer({ ..., callbacks: [new EarlyStoppingCallback({ earlyStoppingPatience: 3 })] })
 */
export class EarlyStoppingCallback implements TrainerCallback {
  readonly earlyStoppingPatience: number;
  readonly earlyStoppingThreshold: number;
  earlyStoppingPatienceCounter = 0;

  constructor(opts: { earlyStoppingPatience?: number; earlyStoppingThreshold?: number } = {}) {
    this.earlyStoppingPatience = opts.earlyStoppingPatience ?? 1;
    this.earlyStoppingThreshold = opts.earlyStoppingThreshold ?? 0;
  }

  onTrainBegin(args: TrainingArguments): void {
    if (args.metricForBestModel === null)
      throw new Error("EarlyStoppingCallback: set TrainingArguments.metricForBestModel (e.g. \"eval_loss\") so the callback knows what to watch.");
    if (args.evalStrategy === "no") throw new Error("EarlyStoppingCallback: evalStrategy is \"no\"; set it to \"steps\" or \"epoch\" so there are evaluations to watch.");
  }

  onEvaluate(args: TrainingArguments, state: TrainerState, control: TrainerControl, extras: CallbackExtras): void {
    let name = args.metricForBestModel as string;
    if (!name.startsWith("eval_")) name = `eval_${name}`;
    const value = extras.metrics?.[name];
    if (value === undefined) {
      console.warn(`EarlyStoppingCallback: the metric "${name}" is not among the evaluation's metrics (${Object.keys(extras.metrics ?? {}).join(", ")}); early stopping is not checked this time.`);
      return;
    }
    const better = (a: number, b: number) => (args.greaterIsBetter ? a > b : a < b);
    if (state.bestMetric === null || (better(value, state.bestMetric) && Math.abs(value - state.bestMetric) > this.earlyStoppingThreshold))
      this.earlyStoppingPatienceCounter = 0;
    else this.earlyStoppingPatienceCounter++;
    if (this.earlyStoppingPatienceCounter >= this.earlyStoppingPatience) control.shouldTrainingStop = true;
  }

  state(): Record<string, unknown> {
    return { args: { early_stopping_patience: this.earlyStoppingPatience, early_stopping_threshold: this.earlyStoppingThreshold }, attributes: { early_stopping_patience_counter: this.earlyStoppingPatienceCounter } };
  }

  loadState(s: Record<string, unknown>): void {
    const a = s.attributes as Record<string, number> | undefined;
    this.earlyStoppingPatienceCounter = a?.early_stopping_patience_counter ?? 0;
  }
}
