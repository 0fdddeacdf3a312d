// PyTorch's schedulers: LambdaLR, StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR, OneCycleLR, SequentialLR.

import type { Optimizer } from "./optimizer.js";
import { bisectRight, LRScheduler, pyMod, type SchedulerStateDict } from "./lr-scheduler.js";

/** A factor of the base rate by step, as a LambdaLR lambda. */
export type LrLambda = (step: number) => number;

/**
 * base_lr · λ(step) per group, as `LambdaLR`.
 * @example new LambdaLR(opt, (step) => 0.95 ** step)
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: LrLambda[];
  constructor(optimizer: Optimizer<object>, lrLambda: LrLambda | LrLambda[], lastEpoch = -1) {
    super(optimizer, lastEpoch, { deferInitialStep: true });
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda) && lrLambda.length !== n) throw new RangeError(`LambdaLR: expected ${n} lr_lambdas, but got ${lrLambda.length}.`);
    this.lrLambdas = Array.isArray(lrLambda) ? lrLambda : new Array(n).fill(lrLambda);
    this.initialStep();
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lrLambdas[i](this.lastEpoch));
  }
}

/**
 * Multiplies the rate by `gamma` every `stepSize` steps, as `StepLR`.
 * @example new StepLR(opt, { stepSize: 30, gamma: 0.1 })
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;
  constructor(optimizer: Optimizer<object>, opts: { stepSize: number; gamma?: number; lastEpoch?: number }) {
    super(optimizer, opts.lastEpoch ?? -1, { deferInitialStep: true });
    this.stepSize = opts.stepSize;
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
  protected override extraState(): string[] {
    return ["stepSize", "gamma"];
  }
}

/**
 * Multiplies the rate by `gamma` at each milestone, as `MultiStepLR`.
 * @example new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 })
 */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;
  constructor(optimizer: Optimizer<object>, opts: { milestones: number[]; gamma?: number; lastEpoch?: number }) {
    super(optimizer, opts.lastEpoch ?? -1, { deferInitialStep: true });
    this.milestones = [...opts.milestones].sort((a, b) => a - b);
    this.gamma = opts.gamma ?? 0.1;
    this.initialStep();
  }
  protected getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (count === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma ** count);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** bisectRight(this.milestones, this.lastEpoch));
  }
  protected override extraState(): string[] {
    return ["milestones", "gamma"];
  }
}

/**
 * Multiplies the rate by `gamma` every step, as `ExponentialLR`.
 * @example new ExponentialLR(opt, { gamma: 0.95 })
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;
  constructor(optimizer: Optimizer<object>, opts: { gamma: number; lastEpoch?: number }) {
    super(optimizer, opts.lastEpoch ?? -1, { deferInitialStep: true });
    this.gamma = opts.gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
  protected override extraState(): string[] {
    return ["gamma"];
  }
}

/**
 * Scales the rate linearly from `startFactor` to `endFactor` over `totalIters` steps, as `LinearLR`.
 * @example new LinearLR(opt, { startFactor: 0.1, totalIters: 10 })
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;
  constructor(optimizer: Optimizer<object>, opts: { startFactor?: number; endFactor?: number; totalIters?: number; lastEpoch?: number } = {}) {
    super(optimizer, opts.lastEpoch ?? -1, { deferInitialStep: true });
    this.startFactor = opts.startFactor ?? 1 / 3;
    this.endFactor = opts.endFactor ?? 1;
    this.totalIters = opts.totalIters ?? 5;
    if (this.startFactor > 1 || this.startFactor <= 0)
      throw new RangeError(`LinearLR: starting multiplicative factor expected to be greater than 0 and less or equal to 1, got ${this.startFactor}.`);
    if (this.endFactor > 1 || this.endFactor < 0) throw new RangeError(`LinearLR: ending multiplicative factor expected to be between 0 and 1, got ${this.endFactor}.`);
    this.initialStep();
  }
  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs().map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return this.groupLrs();
    const d = this.endFactor - this.startFactor;
    return this.groupLrs().map((lr) => lr * (1 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d)));
  }
  protected override closedFormLr(): number[] {
    const d = this.endFactor - this.startFactor;
    return this.baseLrs.map((b) => b * (this.startFactor + (d * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters));
  }
  protected override extraState(): string[] {
    return ["startFactor", "endFactor", "totalIters"];
  }
}

/**
 * Cosine annealing from the base rate to `etaMin` over `tMax` steps (and back, periodically), as `CosineAnnealingLR`.
 * @example new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 })
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;
  constructor(optimizer: Optimizer<object>, opts: { tMax: number; etaMin?: number; lastEpoch?: number }) {
    super(optimizer, opts.lastEpoch ?? -1, { deferInitialStep: true });
    this.tMax = opts.tMax;
    this.etaMin = opts.etaMin ?? 0;
    this.initialStep();
  }
  protected getLr(): number[] {
    const { tMax: T, etaMin: eta, lastEpoch: e } = this;
    if (e === 0) return this.groupLrs();
    if (this.stepCount === 1 && e > 0) return this.baseLrs.map((b) => eta + ((b - eta) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    if (pyMod(e - 1 - T, 2 * T) === 0) return this.groupLrs().map((lr, i) => lr + ((this.baseLrs[i] - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    return this.groupLrs().map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - eta) + eta);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
  protected override extraState(): string[] {
    return ["tMax", "etaMin"];
  }
}

/** Options of OneCycleLR, as PyTorch's (camelCased). */
export interface OneCycleLROptions {
  maxLr: number | number[];
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: "cos" | "linear";
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (warm up to `maxLr`, anneal far below the start; momentum or beta1 cycled inversely), as `OneCycleLR`.
 * @example new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 1000 })
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  phases: Phase[];
  annealStrategy: "cos" | "linear";
  cycleMomentum: boolean;
  useBeta1: boolean;

  constructor(optimizer: Optimizer<object>, opts: OneCycleLROptions) {
    const total = opts.totalSteps ?? (opts.epochs !== undefined && opts.stepsPerEpoch !== undefined ? opts.epochs * opts.stepsPerEpoch : undefined);
    if (total === undefined) throw new RangeError("OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch).");
    if (!(Number.isInteger(total) && total > 0)) throw new RangeError(`OneCycleLR: expected a positive integer totalSteps, but got ${total}.`);
    const pct = opts.pctStart ?? 0.3;
    if (pct < 0 || pct > 1) throw new RangeError(`OneCycleLR: expected float between 0 and 1 pctStart, but got ${pct}.`);
    const anneal = opts.annealStrategy ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") throw new RangeError(`OneCycleLR: annealStrategy must be one of 'cos' or 'linear', got ${anneal}.`);
    const groups = optimizer.paramGroups as unknown as Record<string, unknown>[];
    const per = (name: string, v: number | number[]): number[] => {
      if (!Array.isArray(v)) return new Array(groups.length).fill(v);
      if (v.length !== groups.length) throw new RangeError(`OneCycleLR: expected ${groups.length} values for ${name}, got ${v.length}.`);
      return v;
    };
    const lastEpoch = opts.lastEpoch ?? -1;
    const maxLrs = per("maxLr", opts.maxLr);
    const div = opts.divFactor ?? 25;
    const finalDiv = opts.finalDivFactor ?? 1e4;
    if (lastEpoch === -1)
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / div;
        g.maxLr = maxLrs[i];
        g.minLr = (g.initialLr as number) / finalDiv;
      });
    const cycle = opts.cycleMomentum ?? true;
    const defaults = optimizer.defaults as Record<string, unknown>;
    const useBeta1 = "betas" in defaults;
    if (cycle) {
      if (!("momentum" in defaults) && !useBeta1) throw new RangeError("OneCycleLR: optimizer must support momentum or beta1 with `cycleMomentum` enabled.");
      const maxM = per("maxMomentum", opts.maxMomentum ?? 0.95);
      const baseM = per("baseMomentum", opts.baseMomentum ?? 0.85);
      if (lastEpoch === -1)
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i];
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
    }
    super(optimizer, lastEpoch, { deferInitialStep: true });
    this.totalSteps = total;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycle;
    this.useBeta1 = useBeta1;
    this.phases = opts.threePhase
      ? [
          { endStep: pct * total - 1, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
          { endStep: 2 * pct * total - 2, startLr: "maxLr", endLr: "initialLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
          { endStep: total - 1, startLr: "initialLr", endLr: "minLr", startMomentum: "maxMomentum", endMomentum: "maxMomentum" },
        ]
      : [
          { endStep: pct * total - 1, startLr: "initialLr", endLr: "maxLr", startMomentum: "maxMomentum", endMomentum: "baseMomentum" },
          { endStep: total - 1, startLr: "maxLr", endLr: "minLr", startMomentum: "baseMomentum", endMomentum: "maxMomentum" },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    return this.annealStrategy === "cos" ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps)
      throw new RangeError(`OneCycleLR: tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}.`);
    return this.groups.map((g) => {
      let start = 0;
      let lr = 0;
      for (const [i, ph] of this.phases.entries()) {
        if (stepNum <= ph.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - start) / (ph.endStep - start);
          lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cycleMomentum) {
            const m = this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
            if (this.useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
            else g.momentum = m;
          }
          break;
        }
        start = ph.endStep;
      }
      return lr;
    });
  }

  protected override extraState(): string[] {
    return ["totalSteps", "phases", "annealStrategy", "cycleMomentum", "useBeta1"];
  }
}

/**
 * Runs schedulers one after another, switching at the milestones, as `SequentialLR`.
 * @example new SequentialLR(opt, [new LinearLR(opt, { startFactor: 0.1, totalIters: 5 }), new ExponentialLR(opt, { gamma: 0.9 })], [5])
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];

  constructor(optimizer: Optimizer<object>, schedulers: LRScheduler[], milestones: number[], lastEpoch = -1) {
    super(optimizer, lastEpoch, { deferInitialStep: true });
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer)
        throw new RangeError(`SequentialLR: expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`);
    });
    if (milestones.length !== schedulers.length - 1)
      throw new RangeError(
        `SequentialLR: expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}.`,
      );
    this.schedulers = schedulers;
    this.milestones = milestones;
    this.lastEpoch = lastEpoch + 1;
    for (const g of this.groups) g.lr = g.initialLr;
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].initialStep();
    this.lastLr = schedulers[0].getLastLr();
  }

  protected getLr(): number[] {
    return this.groupLrs();
  }

  override step(): void {
    this.lastEpoch++;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    super.loadStateDict(sd);
    const subs = sd.schedulers as SchedulerStateDict[] | undefined;
    if (subs) subs.forEach((s, i) => this.schedulers[i]?.loadStateDict(s));
  }
}
