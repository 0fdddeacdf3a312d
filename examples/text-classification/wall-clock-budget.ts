// The examples' wall-clock budget: a Trainer callback plus a learning-rate schedule (linear warmup, linear decay) that shrink the run to fit a time limit.
//
// HF's Trainer plans its schedule in steps; on a shared CPU the steps that fit in 15 minutes are not known in advance.
// This callback measures the seconds per step as training goes (evaluations included) and moves the planned last step
// so the run ends inside the budget; the schedule decays to zero at that planned step, so a shortened run still ends
// with a small learning rate. At the last step it asks for an evaluation and a save, so `loadBestModelAtEnd` sees it.
import { optim } from "tsorch";
import { getDecayParameterNames, type TrainerCallback, type TrainerControl, type TrainerState, type TrainingArguments } from "@tsorch/trainer";
import type { PreTrainedModel } from "@tsorch/transformers";

/**
 * Keeps a Trainer run within `seconds` of wall time (measured from `onTrainBegin`) and at most `maxSteps` steps.
 * @example
 * const budget = new WallClockBudget({ seconds: 600, maxSteps: 4000, warmupSteps: 200 });
 * new Trainer({ ..., callbacks: [budget], optimizers: budget.optimizers(model, { lr: 1e-3, weightDecay: 0.01 }) });
 */
export class WallClockBudget implements TrainerCallback {
  /** The step the schedule currently decays to zero at (never more than `maxSteps`). */
  plannedSteps: number;
  readonly maxSteps: number;
  private started = 0;
  /** When step 10 ended: the rate is measured from there, past the first steps' warm-up. */
  private markTime = 0;
  readonly seconds: number;
  readonly warmupSteps: number;

  constructor(opts: { seconds: number; maxSteps: number; warmupSteps: number }) {
    if (!(opts.maxSteps > 0)) throw new RangeError(`WallClockBudget: maxSteps must be positive, got ${opts.maxSteps}.`);
    this.seconds = opts.seconds > 0 ? opts.seconds : Infinity;
    this.plannedSteps = this.maxSteps = opts.maxSteps;
    this.warmupSteps = Math.min(opts.warmupSteps, Math.floor(opts.maxSteps / 2));
  }

  /** The schedule's factor at `step`: a linear warmup, then linear decay to zero at `plannedSteps`. */
  lrFactor(step: number): number {
    if (step < this.warmupSteps) return (step + 1) / (this.warmupSteps + 1);
    return Math.max(0, (this.plannedSteps - step) / Math.max(1, this.plannedSteps - this.warmupSteps));
  }

  /** AdamW (no decay on biases and LayerNorm weights, as the Trainer's) and this budget's schedule, for `optimizers`. */
  optimizers(model: PreTrainedModel, o: { lr: number; weightDecay: number }): [optim.Optimizer<object>, optim.LRScheduler] {
    const decay = new Set(getDecayParameterNames(model as never));
    const named = model.namedParameters().filter(([, p]) => p.requiresGrad);
    const groups = [
      { params: named.filter(([n]) => decay.has(n)).map(([, p]) => p), weightDecay: o.weightDecay },
      { params: named.filter(([n]) => !decay.has(n)).map(([, p]) => p), weightDecay: 0 },
    ].filter((g) => g.params.length > 0);
    const opt = new optim.AdamW(groups, { lr: o.lr, weightDecay: o.weightDecay }) as unknown as optim.Optimizer<object>;
    return [opt, new optim.LambdaLR(opt, (s: number) => this.lrFactor(s))];
  }

  onTrainBegin(): void {
    this.started = performance.now();
  }

  onStepEnd(args: TrainingArguments, state: TrainerState, control: TrainerControl): void {
    const step = state.globalStep;
    const elapsed = (performance.now() - this.started) / 1000;
    // The rate is measured from step 10 on (evaluations included); the plan is the steps left in the budget at that
    // rate, so it follows the machine's load both ways and the schedule's factor moves only a little at each step.
    if (step === 10) this.markTime = performance.now();
    if (step >= 30 && Number.isFinite(this.seconds)) {
      const perStep = (performance.now() - this.markTime) / 1000 / (step - 10);
      this.plannedSteps = Math.max(step, Math.min(this.maxSteps, Math.floor(step + (this.seconds - elapsed) / perStep)));
    }
    if (step >= this.plannedSteps || step >= state.maxSteps) {
      control.shouldTrainingStop = true;
      if (args.evalStrategy !== "no") control.shouldEvaluate = true;
      if (args.saveStrategy !== "no") control.shouldSave = true;
      if (step < state.maxSteps) console.log(`wall-clock budget: stopping at step ${step} of ${state.maxSteps} after ${Math.round(elapsed)} s (budget ${this.seconds} s).`);
    }
  }
}
