// Hugging Face's schedules with warmup (transformers.optimization): linear, cosine, hard restarts, constant, polynomial, inverse sqrt.

import type { Optimizer } from "./optimizer.js";
import { LambdaLR } from "./schedulers.js";

/** Warmup and length of a schedule, in optimizer steps. */
export interface WarmupOptions {
  numWarmupSteps: number;
  numTrainingSteps: number;
  lastEpoch?: number;
}

const warm = (step: number, w: number) => step / Math.max(1, w);

/**
 * Constant rate, as `get_constant_schedule`.
 * @example getConstantSchedule(opt)
 */
export function getConstantSchedule(optimizer: Optimizer<object>, lastEpoch = -1): LambdaLR {
  return new LambdaLR(optimizer, () => 1, lastEpoch);
}

/**
 * Linear warmup from 0, then constant, as `get_constant_schedule_with_warmup`.
 * @example getConstantScheduleWithWarmup(opt, { numWarmupSteps: 100 })
 */
export function getConstantScheduleWithWarmup(optimizer: Optimizer<object>, opts: { numWarmupSteps: number; lastEpoch?: number }): LambdaLR {
  const w = opts.numWarmupSteps;
  return new LambdaLR(optimizer, (s) => (s < w ? warm(s, w) : 1), opts.lastEpoch);
}

/**
 * Linear warmup, then linear decay to 0 at `numTrainingSteps`, as `get_linear_schedule_with_warmup`.
 * @example getLinearScheduleWithWarmup(opt, { numWarmupSteps: 100, numTrainingSteps: 1000 })
 */
export function getLinearScheduleWithWarmup(optimizer: Optimizer<object>, opts: WarmupOptions): LambdaLR {
  const { numWarmupSteps: w, numTrainingSteps: t } = opts;
  return new LambdaLR(optimizer, (s) => (s < w ? warm(s, w) : Math.max(0, (t - s) / Math.max(1, t - w))), opts.lastEpoch);
}

/**
 * Linear warmup, then cosine decay (half a cycle by default) to 0, as `get_cosine_schedule_with_warmup`.
 * @example getCosineScheduleWithWarmup(opt, { numWarmupSteps: 100, numTrainingSteps: 1000 })
 */
export function getCosineScheduleWithWarmup(optimizer: Optimizer<object>, opts: WarmupOptions & { numCycles?: number }): LambdaLR {
  const { numWarmupSteps: w, numTrainingSteps: t } = opts;
  const cycles = opts.numCycles ?? 0.5;
  return new LambdaLR(
    optimizer,
    (s) => {
      if (s < w) return warm(s, w);
      const progress = (s - w) / Math.max(1, t - w);
      return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress)));
    },
    opts.lastEpoch,
  );
}

/**
 * Linear warmup, then cosine decays with hard restarts, as `get_cosine_with_hard_restarts_schedule_with_warmup`.
 * @example getCosineWithHardRestartsScheduleWithWarmup(opt, { numWarmupSteps: 10, numTrainingSteps: 100, numCycles: 3 })
 */
export function getCosineWithHardRestartsScheduleWithWarmup(optimizer: Optimizer<object>, opts: WarmupOptions & { numCycles?: number }): LambdaLR {
  const { numWarmupSteps: w, numTrainingSteps: t } = opts;
  const cycles = opts.numCycles ?? 1;
  return new LambdaLR(
    optimizer,
    (s) => {
      if (s < w) return warm(s, w);
      const progress = (s - w) / Math.max(1, t - w);
      if (progress >= 1) return 0;
      return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * ((cycles * progress) % 1))));
    },
    opts.lastEpoch,
  );
}

/**
 * Linear warmup, then polynomial decay from the optimizer's default rate to `lrEnd`, as
 * `get_polynomial_decay_schedule_with_warmup`.
 * @example getPolynomialDecayScheduleWithWarmup(opt, { numWarmupSteps: 10, numTrainingSteps: 100, power: 2 })
 */
export function getPolynomialDecayScheduleWithWarmup(optimizer: Optimizer<object>, opts: WarmupOptions & { lrEnd?: number; power?: number }): LambdaLR {
  const { numWarmupSteps: w, numTrainingSteps: t } = opts;
  const lrEnd = opts.lrEnd ?? 1e-7;
  const power = opts.power ?? 1;
  const lrInit = (optimizer.defaults as { lr?: number }).lr;
  if (typeof lrInit !== "number" || !(lrInit > lrEnd)) throw new RangeError(`getPolynomialDecayScheduleWithWarmup: lr_end (${lrEnd}) must be smaller than initial lr (${lrInit}).`);
  return new LambdaLR(
    optimizer,
    (s) => {
      if (s < w) return warm(s, w);
      if (s > t) return lrEnd / lrInit;
      const remaining = 1 - (s - w) / (t - w);
      return ((lrInit - lrEnd) * remaining ** power + lrEnd) / lrInit;
    },
    opts.lastEpoch,
  );
}

/**
 * Linear warmup, then 1/√step decay, as `get_inverse_sqrt_schedule` (timescale defaults to the warmup or 10 000).
 * @example getInverseSqrtSchedule(opt, { numWarmupSteps: 100 })
 */
export function getInverseSqrtSchedule(optimizer: Optimizer<object>, opts: { numWarmupSteps: number; timescale?: number; lastEpoch?: number }): LambdaLR {
  const w = opts.numWarmupSteps;
  const timescale = opts.timescale ?? (w || 10_000);
  const shift = timescale - w;
  return new LambdaLR(optimizer, (s) => (s < w ? s / Math.max(1, w) : 1 / Math.sqrt((s + shift) / timescale)), opts.lastEpoch);
}

/** Hugging Face's `SchedulerType` names. */
export type SchedulerType = "linear" | "cosine" | "cosine_with_restarts" | "polynomial" | "constant" | "constant_with_warmup" | "inverse_sqrt";

/**
 * A schedule by name, as `transformers.get_scheduler`.
 * @example getScheduler("cosine", opt, { numWarmupSteps: 100, numTrainingSteps: 1000 })
 */
export function getScheduler(name: SchedulerType, optimizer: Optimizer<object>, opts: { numWarmupSteps?: number; numTrainingSteps?: number } = {}): LambdaLR {
  if (name === "constant") return getConstantSchedule(optimizer);
  if (opts.numWarmupSteps === undefined) throw new RangeError(`getScheduler: ${name} requires numWarmupSteps, please provide that argument.`);
  const w = opts.numWarmupSteps;
  if (name === "constant_with_warmup") return getConstantScheduleWithWarmup(optimizer, { numWarmupSteps: w });
  if (name === "inverse_sqrt") return getInverseSqrtSchedule(optimizer, { numWarmupSteps: w });
  if (opts.numTrainingSteps === undefined) throw new RangeError(`getScheduler: ${name} requires numTrainingSteps, please provide that argument.`);
  const o = { numWarmupSteps: w, numTrainingSteps: opts.numTrainingSteps };
  switch (name) {
    case "linear":
      return getLinearScheduleWithWarmup(optimizer, o);
    case "cosine":
      return getCosineScheduleWithWarmup(optimizer, o);
    case "cosine_with_restarts":
      return getCosineWithHardRestartsScheduleWithWarmup(optimizer, o);
    case "polynomial":
      return getPolynomialDecayScheduleWithWarmup(optimizer, o);
    default:
      throw new RangeError(`getScheduler: unknown scheduler type ${JSON.stringify(name)}.`);
  }
}
