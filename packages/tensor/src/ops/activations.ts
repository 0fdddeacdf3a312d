// Activations and softmax as composites of primitives (torch.nn.functional): relu, gelu, silu, softplus, softmax, dropout.

import { isFloatingPoint } from "../backend/dtype.js";
import { normDim } from "../backend/layout.js";
import type { Tensor } from "../tensor.js";
import { where } from "./elementwise.js";
import { amax, sum } from "./reduce.js";
import { rand } from "./random.js";
import type { Generator } from "./random.js";
import { fusable, hasFused, runFused } from "./fused.js";
import { disposing } from "../internal/disposing.js";

/** True when `dim` names the last dim (what fused row kernels reduce over). */
function lastDim(x: Tensor, dim: number): boolean {
  return x.ndim > 0 && (dim === -1 || dim === x.ndim - 1);
}

/** max(x, 0), with gradient 0 at 0, as `F.relu`. @example relu(x) */
export function relu(x: Tensor): Tensor {
  using pos = x.gt(0);
  return where(pos, x, 0);
}

/** x where x > 0, else slope·x, as `F.leaky_relu`. @example leakyRelu(x, 0.1) */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  using pos = x.gt(0);
  using neg = x.mul(negativeSlope);
  return where(pos, x, neg);
}

/**
 * GELU, exact (erf) or the tanh approximation, as `F.gelu(x, approximate=…)`.
 * @example gelu(x); gelu(x, "tanh")
 */
export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (fusable(x) && hasFused("gelu", x.device, x.dtype)) return runFused("gelu", [x], { approximate })[0];
  using half = x.mul(0.5);
  if (approximate === "tanh") {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    using x2 = x.mul(x);
    using x3 = x2.mul(x);
    using cubic = x3.mul(0.044715);
    using sum = cubic.add(x);
    using inner = sum.mul(Math.sqrt(2 / Math.PI));
    using t = inner.tanh();
    using onePlus = t.add(1);
    return half.mul(onePlus);
  }
  using scaled = x.mul(Math.SQRT1_2);
  using e = scaled.erf();
  using onePlus = e.add(1);
  return half.mul(onePlus);
}

/** x · sigmoid(x), as `F.silu`. @example silu(x) */
export function silu(x: Tensor): Tensor {
  using s = x.sigmoid();
  return x.mul(s);
}

/** log(1 + exp(beta x)) / beta, linear above `threshold`, as `F.softplus`. @example softplus(x) */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  if (beta !== 1) {
    using bx = x.mul(beta);
    using e = bx.exp();
    using soft = e.log1p();
    using scaled = soft.div(beta);
    using lin = bx.gt(threshold);
    return where(lin, x, scaled);
  }
  using e = x.exp();
  using soft = e.log1p();
  using lin = x.gt(threshold);
  return where(lin, x, soft);
}

/** x if x > 0 else alpha (exp(x) - 1), as `F.elu`. @example elu(x) */
export function elu(x: Tensor, alpha = 1): Tensor {
  using pos = x.gt(0);
  using em1 = x.expm1();
  using neg = em1.mul(alpha);
  return where(pos, x, neg);
}

/** x · tanh(softplus(x)), as `F.mish`. @example mish(x) */
export function mish(x: Tensor): Tensor {
  using sp = softplus(x);
  using t = sp.tanh();
  return x.mul(t);
}

/** The shared part of softmax and log-softmax: x - max (the max detached: it only shifts), exp of that and its sum; the caller disposes them. */
function shiftedExpSum(op: string, x: Tensor, dim: number): { shifted: Tensor; e: Tensor; s: Tensor } {
  if (!isFloatingPoint(x.dtype)) throw new TypeError(`${op}: expected a floating-point input, got ${x.dtype}. Convert it with .float() first.`);
  const d = normDim(dim, x.ndim, op);
  using detached = x.detach();
  using m = amax(detached, d, true);
  const shifted = x.sub(m);
  const e = shifted.exp();
  return { shifted, e, s: sum(e, d, true) };
}

/**
 * exp(x) / sum(exp(x)) along `dim`, shifted by the max for stability, as `F.softmax`.
 * @example softmax(scores, -1)
 */
export function softmax(x: Tensor, dim: number): Tensor {
  if (lastDim(x, dim) && fusable(x) && hasFused("softmax", x.device, x.dtype)) return runFused("softmax", [x], {})[0];
  using parts = disposing(shiftedExpSum("softmax", x, dim));
  return parts.e.div(parts.s);
}

/**
 * log(softmax(x)) computed as x - max - log(sum(exp(x - max))), as `F.log_softmax`.
 * @example logSoftmax(logits, -1)
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  if (lastDim(x, dim) && fusable(x) && hasFused("logSoftmax", x.device, x.dtype)) return runFused("logSoftmax", [x], {})[0];
  using parts = disposing(shiftedExpSum("logSoftmax", x, dim));
  using l = parts.s.log();
  return parts.shifted.sub(l);
}

/**
 * Zeroes elements with probability `p` and scales the rest by 1/(1-p) when `training`, as `F.dropout`.
 * @example dropout(x, 0.1, model.training)
 */
export function dropout(x: Tensor, p = 0.5, training = true, opts?: { generator?: Generator }): Tensor {
  if (p < 0 || p > 1) throw new RangeError(`dropout: probability has to be between 0 and 1, but got ${p}.`);
  if (!training || p === 0) return x.clone();
  if (p === 1) return x.mul(0);
  using u = rand(x.shape, { dtype: x.dtype, device: x.device, generator: opts?.generator });
  using keep = u.ge(p);
  using scaled = x.mul(1 / (1 - p));
  return where(keep, scaled, 0);
}
