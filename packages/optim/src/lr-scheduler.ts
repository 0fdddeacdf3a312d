// The learning-rate scheduler base (torch.optim.lr_scheduler._LRScheduler): step counting, initial_lr, state dicts.

import type { Optimizer } from "./optimizer.js";

/** What a scheduler's `stateDict()` holds: its counters and the plain-data fields of the subclass. */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * The base of every scheduler: `step()` advances `lastEpoch` and writes the new rates into the optimizer's groups,
 * as PyTorch (its chainable `getLr()` forms, so sequences equal PyTorch's).
 * @example const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 }); for (…) { opt.step(); sched.step(); }
 */
export abstract class LRScheduler {
  /** The rates the schedule starts from (each group's `initialLr`). */
  baseLrs: number[];
  lastEpoch: number;
  stepCount = 0;
  protected lastLr: number[] = [];

  constructor(
    readonly optimizer: Optimizer<object>,
    lastEpoch = -1,
    opts: { deferInitialStep?: boolean } = {},
  ) {
    const groups = optimizer.paramGroups as unknown as Record<string, unknown>[];
    if (lastEpoch === -1) for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    else
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) throw new Error(`${this.constructor.name}: param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer.`);
      });
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    if (!opts.deferInitialStep) this.initialStep();
  }

  /** Resets the step count and performs the first step (setting the epoch-0 rates). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The group rates of the current `lastEpoch` from the previous ones (PyTorch's chainable form). */
  protected abstract getLr(): number[];

  /** The group rates at `lastEpoch` computed directly, where PyTorch has a closed form (used by `step(epoch)`). */
  protected closedFormLr(): number[] | null {
    return null;
  }

  protected get groups(): Record<string, unknown>[] {
    return this.optimizer.paramGroups as unknown as Record<string, unknown>[];
  }

  protected groupLrs(): number[] {
    return this.groups.map((g) => g.lr as number);
  }

  /**
   * Advances one step (or jumps to `epoch`, deprecated in PyTorch) and sets each group's `lr`.
   * @example sched.step()
   */
  step(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    this.groups.forEach((g, i) => (g.lr = values[i]));
    this.lastLr = this.groupLrs();
  }

  /** The rates set by the last `step()`, as `get_last_lr()`. @example sched.getLastLr()[0] */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Fields a subclass keeps in its state dict besides the common ones. */
  protected extraState(): string[] {
    return [];
  }

  /**
   * The scheduler's state (counters, base rates and the subclass's data fields; functions are not saved, as PyTorch
   * leaves out non-object lambdas), as `state_dict()`.
   * @example const s = sched.stateDict(); other.loadStateDict(s);
   */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = { lastEpoch: this.lastEpoch, stepCount: this.stepCount, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
    for (const k of this.extraState()) out[k] = structuredClone((this as unknown as Record<string, unknown>)[k]);
    return out;
  }

  /** Restores `stateDict()`, as `load_state_dict`. @example sched.loadStateDict(checkpoint.scheduler) */
  loadStateDict(sd: SchedulerStateDict): void {
    if (typeof sd !== "object" || sd === null || typeof sd.lastEpoch !== "number")
      throw new TypeError(`${this.constructor.name}.loadStateDict: expected the object stateDict() returns (with lastEpoch).`);
    this.lastEpoch = sd.lastEpoch;
    this.stepCount = (sd.stepCount as number) ?? 0;
    this.baseLrs = [...(sd.baseLrs as number[])];
    this.lastLr = [...((sd.lastLr as number[]) ?? [])];
    for (const k of this.extraState()) if (k in sd) (this as unknown as Record<string, unknown>)[k] = structuredClone(sd[k]);
  }
}

/** Python's modulo (the sign of the divisor). */
export function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Python's bisect_right over a sorted list. */
export function bisectRight(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < list[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
