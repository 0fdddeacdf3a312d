// Loss functions as composites (torch.nn.functional): cross-entropy, NLL, MSE, L1, smooth L1, Huber, BCE, BCE-with-logits, KL-div.

import { isFloatingPoint } from "../backend/dtype.js";
import { fmtShape } from "../backend/layout.js";
import type { Tensor } from "../tensor.js";
import { where } from "./elementwise.js";
import { gather, indexSelect } from "./indexing.js";
import { logSoftmax } from "./activations.js";
import { mean, sum } from "./reduce.js";
import { movedim } from "./shape-extra.js";
import { scope } from "../memory.js";
import { Temps } from "../internal/operands.js";
import { fusable, hasFused, runFused } from "./fused.js";

/** How a loss combines per-element values. */
export type Reduction = "mean" | "sum" | "none";

/** Reduces per-element losses, taking ownership of `loss` (returned as is for "none"). */
function reduceLoss(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return loss;
  using values = loss;
  return reduction === "sum" ? sum(values) : mean(values);
}

/** Options of cross-entropy and NLL, as PyTorch's. */
export interface ClassLossOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
  labelSmoothing?: number;
}

/** Moves the class dim (1) last and flattens: [N, C, d1, …] -> [N·d1·…, C]; [C] -> [1, C]. */
function classesLast(x: Tensor): Tensor {
  if (x.ndim === 1) return x.view(1, -1);
  if (x.ndim === 2) return x;
  using m = movedim(x, 1, -1);
  return m.reshape(-1, x.shape[1]);
}

/**
 * Negative log-likelihood of class indices under log-probabilities `logp` ([N, C] or [N, C, d…]), as `F.nll_loss`.
 * @example nllLoss(logSoftmax(x, -1), t)
 */
export function nllLoss(logp: Tensor, target: Tensor, opts: ClassLossOptions = {}): Tensor {
  return classLoss("nllLoss", logp, target, opts, false);
}

/**
 * Cross-entropy of logits ([N, C], [C] or [N, C, d…]) against class indices or class probabilities, with class
 * weights, ignore index and label smoothing, as `F.cross_entropy`.
 * @example crossEntropy(logits, labels, { ignoreIndex: -100, labelSmoothing: 0.1 })
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: ClassLossOptions = {}): Tensor {
  if (!isFloatingPoint(input.dtype)) throw new TypeError(`crossEntropy: expected floating-point logits, got ${input.dtype}.`);
  const reduction = opts.reduction ?? "mean";
  if (
    input.ndim === 2 && target.ndim === 1 && target.dtype === "int64" && !opts.weight &&
    fusable(input) && target.isContiguous() && hasFused("crossEntropy", input.device, input.dtype)
  )
    return runFused("crossEntropy", [input, target], { ignoreIndex: opts.ignoreIndex ?? -100, reduction, labelSmoothing: opts.labelSmoothing ?? 0 })[0];
  const classDim = input.ndim === 1 ? 0 : 1;
  using logp = logSoftmax(input, classDim);
  if (isFloatingPoint(target.dtype)) return probabilityLoss(logp, target, opts, classDim);
  return classLoss("crossEntropy", logp, target, opts, true);
}

function probabilityLoss(logp: Tensor, target: Tensor, opts: ClassLossOptions, classDim: number): Tensor {
  if (target.shape.length !== logp.shape.length || target.shape.some((s, i) => s !== logp.shape[i]))
    throw new RangeError(`crossEntropy: probability targets must have the input's shape ${fmtShape(logp.shape)}, got ${fmtShape(target.shape)}.`);
  const c = logp.shape[classDim];
  const eps = opts.labelSmoothing ?? 0;
  using temps = new Temps();
  let t = target;
  if (eps > 0) {
    using kept = target.mul(1 - eps);
    t = temps.add(kept.add(eps / c));
  }
  using prod = logp.mul(t);
  let weighted = prod;
  if (opts.weight) {
    const shape = logp.shape.map((s, i) => (i === classDim ? s : 1));
    using w = opts.weight.view(shape);
    weighted = temps.add(prod.mul(w));
  }
  using summed = sum(weighted, classDim);
  const per = summed.neg();
  const reduction = opts.reduction ?? "mean";
  if (reduction === "mean") {
    const n = logp.ndim === 1 ? 1 : logp.numel() / c;
    using values = per;
    using s = sum(values);
    return s.div(n);
  }
  return reduceLoss(per, reduction);
}

function classLoss(op: string, logp: Tensor, target: Tensor, opts: ClassLossOptions, smoothing: boolean): Tensor {
  return scope(() => classLossInScope(op, logp, target, opts, smoothing));
}

// Runs inside a scope: chained intermediates are freed when it closes.
function classLossInScope(op: string, logp: Tensor, target: Tensor, opts: ClassLossOptions, smoothing: boolean): Tensor {
  if (target.dtype !== "int64" && target.dtype !== "int32")
    throw new TypeError(`${op}: expected target of class indices (int64), got ${target.dtype}. For soft labels pass float probabilities with the input's shape.`);
  const c = logp.ndim === 1 ? logp.shape[0] : logp.shape[1];
  const expectedTarget = logp.ndim === 1 ? [] : [logp.shape[0], ...logp.shape.slice(2)];
  if (target.shape.length !== expectedTarget.length || target.shape.some((s, i) => s !== expectedTarget[i]))
    throw new RangeError(`${op}: expected target of shape ${fmtShape(expectedTarget)} for input ${fmtShape(logp.shape)}, got ${fmtShape(target.shape)}.`);
  const ignore = opts.ignoreIndex ?? -100;
  const reduction = opts.reduction ?? "mean";
  const eps = smoothing ? (opts.labelSmoothing ?? 0) : 0;
  // Everything made here is freed by the enclosing scope() except what `finish` returns.
  const lp = classesLast(logp); // [M, C]
  const t = target.reshape(-1); // [M]
  const valid = t.ne(ignore);
  const safeT = where(valid, t, 0); // ignored rows read class 0, then get weight 0
  const picked = gather(lp, 1, safeT.unsqueeze(1)).squeeze(1); // [M]
  const validF = valid.to(logp.dtype);
  // Per-row weight: w[target] (or 1), zero where ignored.
  const wRow = opts.weight ? indexSelect(opts.weight, 0, safeT).mul(validF) : validF;
  let nll = picked.neg().mul(wRow);
  if (eps > 0) {
    const lpw = opts.weight ? lp.mul(opts.weight.view(1, c)) : lp;
    const smooth = sum(lpw, 1).neg().mul(validF); // [M]
    nll = nll.mul(1 - eps).add(smooth.mul(eps / c));
  }
  if (reduction === "none") return nll.reshape(target.shape);
  if (reduction === "sum") return sum(nll);
  return sum(nll).div(sum(wRow));
}

function checkSame(op: string, a: Tensor, b: Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i]))
    throw new RangeError(`${op}: input ${fmtShape(a.shape)} and target ${fmtShape(b.shape)} must have the same shape.`);
}

/** Mean squared error, as `F.mse_loss`. @example mseLoss(pred, y) */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  checkSame("mseLoss", input, target);
  using d = input.sub(target);
  return reduceLoss(d.mul(d), reduction);
}

/** Mean absolute error, as `F.l1_loss`. @example l1Loss(pred, y) */
export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  checkSame("l1Loss", input, target);
  using d = input.sub(target);
  return reduceLoss(d.abs(), reduction);
}

/** Smooth L1: 0.5 d²/beta below beta, |d| - beta/2 above, as `F.smooth_l1_loss`. @example smoothL1Loss(p, y, "mean", 1) */
export function smoothL1Loss(input: Tensor, target: Tensor, reduction: Reduction = "mean", beta = 1): Tensor {
  checkSame("smoothL1Loss", input, target);
  using d = input.sub(target);
  if (beta === 0) return reduceLoss(d.abs(), reduction);
  using a = d.abs();
  using sq = d.mul(d);
  using quad = sq.mul(0.5 / beta);
  using lin = a.sub(0.5 * beta);
  using small = a.lt(beta);
  return reduceLoss(where(small, quad, lin), reduction);
}

/** Huber: 0.5 d² below delta, delta (|d| - delta/2) above, as `F.huber_loss`. @example huberLoss(p, y) */
export function huberLoss(input: Tensor, target: Tensor, reduction: Reduction = "mean", delta = 1): Tensor {
  using s = smoothL1Loss(input, target, "none", delta);
  return reduceLoss(s.mul(delta), reduction);
}

/**
 * Binary cross-entropy of probabilities (log clamped at -100, as PyTorch), as `F.binary_cross_entropy`.
 * @example bceLoss(p.sigmoid(), y)
 */
export function bceLoss(input: Tensor, target: Tensor, opts: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  checkSame("bceLoss", input, target);
  using logRaw = input.log();
  using logp = logRaw.clampMin(-100);
  using negInput = input.neg();
  using one = negInput.add(1);
  using log1mRaw = one.log();
  using log1mp = log1mRaw.clampMin(-100);
  using negTarget = target.neg();
  using t1 = negTarget.add(1);
  using a = target.mul(logp);
  using b = t1.mul(log1mp);
  using ll = a.add(b);
  if (!opts.weight) return reduceLoss(ll.neg(), opts.reduction ?? "mean");
  using l = ll.neg();
  return reduceLoss(l.mul(opts.weight), opts.reduction ?? "mean");
}

/**
 * Binary cross-entropy on logits, stable for large |x|, with `posWeight` on positives, as `F.binary_cross_entropy_with_logits`.
 * @example bceWithLogits(logits, y, { posWeight })
 */
export function bceWithLogits(
  input: Tensor,
  target: Tensor,
  opts: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {},
): Tensor {
  checkSame("bceWithLogits", input, target);
  // (1 - y) x + lw · (log(1 + exp(-|x|)) + max(-x, 0)), lw = 1 + (pw - 1) y
  using temps = new Temps();
  using negX = input.neg();
  using maxVal = negX.clampMin(0);
  using absX = input.abs();
  using negAbs = absX.neg();
  using expNeg = negAbs.exp();
  using log1p = expNeg.log1p();
  using softTerm = log1p.add(maxVal);
  using negY = target.neg();
  using oneMinusY = negY.add(1);
  using linear = oneMinusY.mul(input);
  let weighted = softTerm;
  if (opts.posWeight) {
    using pwm1 = opts.posWeight.sub(1);
    using scaled = pwm1.mul(target);
    using lw = scaled.add(1);
    weighted = temps.add(softTerm.mul(lw));
  }
  if (!opts.weight) return reduceLoss(linear.add(weighted), opts.reduction ?? "mean");
  using l = linear.add(weighted);
  return reduceLoss(l.mul(opts.weight), opts.reduction ?? "mean");
}

/**
 * KL divergence with `input` as log-probabilities, as `F.kl_div` ("batchmean" divides by the batch size).
 * @example klDiv(logSoftmax(s, -1), softmax(t, -1), "batchmean")
 */
export function klDiv(input: Tensor, target: Tensor, reduction: Reduction | "batchmean" = "mean", logTarget = false): Tensor {
  const l = logTarget ? klLogTarget(input, target) : klProbTarget(input, target);
  if (reduction !== "batchmean") return reduceLoss(l, reduction);
  using values = l;
  using s = sum(values);
  return s.div(input.ndim > 0 ? input.shape[0] : 1);
}

function klLogTarget(input: Tensor, target: Tensor): Tensor {
  using e = target.exp();
  using d = target.sub(input);
  return e.mul(d);
}

function klProbTarget(input: Tensor, target: Tensor): Tensor {
  using pos = target.gt(0);
  using lt = target.log();
  using d = lt.sub(input);
  using prod = target.mul(d);
  return where(pos, prod, 0);
}
