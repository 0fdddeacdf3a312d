// Loss modules, as torch.nn.CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss.

import { bceLoss, bceWithLogits, crossEntropy, huberLoss, klDiv, l1Loss, mseLoss, nllLoss, smoothL1Loss, type Reduction, type Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";

const REDUCTIONS = ["mean", "sum", "none"];

function checkReduction(op: string, r: string, extra: string[] = []): void {
  if (!REDUCTIONS.includes(r) && !extra.includes(r))
    throw new RangeError(`${op}: ${JSON.stringify(r)} is not a valid value for reduction (use ${[...REDUCTIONS, ...extra].map((x) => `"${x}"`).join(", ")}).`);
}

/** Options of the class losses, as PyTorch's. */
export interface ClassLossModuleOptions {
  /** Per-class weights `[C]` (a buffer named "weight", as PyTorch). */
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
}

/**
 * Cross-entropy of logits against class indices (with ignore index) or class probabilities, with class weights and
 * label smoothing, as `nn.CrossEntropyLoss`; extra dims `[N, C, d…]` are supported.
 * @example const lossFn = new CrossEntropyLoss({ labelSmoothing: 0.1 }); lossFn.forward(logits, labels)
 */
export class CrossEntropyLoss extends Module {
  weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly reduction: Reduction;
  readonly labelSmoothing: number;

  constructor(opts: ClassLossModuleOptions & { labelSmoothing?: number } = {}) {
    super();
    this.weight = this.registerBuffer("weight", opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.reduction = opts.reduction ?? "mean";
    this.labelSmoothing = opts.labelSmoothing ?? 0;
    checkReduction("CrossEntropyLoss", this.reduction);
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1))
      throw new RangeError(`CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0. Got: ${this.labelSmoothing}.`);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction, labelSmoothing: this.labelSmoothing });
  }
}

/** Negative log-likelihood of class indices under log-probabilities, as `nn.NLLLoss`. @example new NLLLoss().forward(logp, t) */
export class NLLLoss extends Module {
  weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly reduction: Reduction;

  constructor(opts: ClassLossModuleOptions = {}) {
    super();
    this.weight = this.registerBuffer("weight", opts.weight ?? null);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.reduction = opts.reduction ?? "mean";
    checkReduction("NLLLoss", this.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Mean squared error, as `nn.MSELoss`. @example new MSELoss().forward(pred, y) */
export class MSELoss extends Module {
  constructor(readonly reduction: Reduction = "mean") {
    super();
    checkReduction("MSELoss", reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.reduction);
  }
}

/** Mean absolute error, as `nn.L1Loss`. @example new L1Loss().forward(pred, y) */
export class L1Loss extends Module {
  constructor(readonly reduction: Reduction = "mean") {
    super();
    checkReduction("L1Loss", reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.reduction);
  }
}

/** Smooth L1 (quadratic below `beta`), as `nn.SmoothL1Loss`. @example new SmoothL1Loss({ beta: 0.5 }).forward(pred, y) */
export class SmoothL1Loss extends Module {
  readonly reduction: Reduction;
  readonly beta: number;
  constructor(opts: { reduction?: Reduction; beta?: number } = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.beta = opts.beta ?? 1;
    checkReduction("SmoothL1Loss", this.reduction);
    if (this.beta < 0) throw new RangeError(`SmoothL1Loss: beta must be non-negative, got ${this.beta}.`);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.reduction, this.beta);
  }
}

/** Huber loss, as `nn.HuberLoss`. @example new HuberLoss({ delta: 2 }).forward(pred, y) */
export class HuberLoss extends Module {
  readonly reduction: Reduction;
  readonly delta: number;
  constructor(opts: { reduction?: Reduction; delta?: number } = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.delta = opts.delta ?? 1;
    checkReduction("HuberLoss", this.reduction);
    if (!(this.delta > 0)) throw new RangeError(`HuberLoss: delta must be positive, got ${this.delta}.`);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.reduction, this.delta);
  }
}

/** Binary cross-entropy on probabilities, as `nn.BCELoss`. @example new BCELoss().forward(p, y) */
export class BCELoss extends Module {
  weight: Tensor | null;
  readonly reduction: Reduction;
  constructor(opts: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    super();
    this.weight = this.registerBuffer("weight", opts.weight ?? null);
    this.reduction = opts.reduction ?? "mean";
    checkReduction("BCELoss", this.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return bceLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Binary cross-entropy on logits with `posWeight`, as `nn.BCEWithLogitsLoss`. @example new BCEWithLogitsLoss({ posWeight }).forward(z, y) */
export class BCEWithLogitsLoss extends Module {
  weight: Tensor | null;
  posWeight: Tensor | null;
  readonly reduction: Reduction;
  constructor(opts: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {}) {
    super();
    this.weight = this.registerBuffer("weight", opts.weight ?? null);
    this.posWeight = this.registerBuffer("pos_weight", opts.posWeight ?? null);
    this.reduction = opts.reduction ?? "mean";
    checkReduction("BCEWithLogitsLoss", this.reduction);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return bceWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}

/** KL divergence with log-probability inputs, as `nn.KLDivLoss`. @example new KLDivLoss({ reduction: "batchmean" }).forward(logq, p) */
export class KLDivLoss extends Module {
  readonly reduction: Reduction | "batchmean";
  readonly logTarget: boolean;
  constructor(opts: { reduction?: Reduction | "batchmean"; logTarget?: boolean } = {}) {
    super();
    this.reduction = opts.reduction ?? "mean";
    this.logTarget = opts.logTarget ?? false;
    checkReduction("KLDivLoss", this.reduction, ["batchmean"]);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.reduction, this.logTarget);
  }
}
