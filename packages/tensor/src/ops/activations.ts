// Activations and softmax as composites of primitives (torch.nn.functional): relu, gelu, silu, softplus, softmax, dropout.

import { isFloatingPoint } from "../backend/dtype.js";
import { normDim } from "../backend/layout.js";
import type { Tensor } from "../tensor.js";
import { where } from "./elementwise.js";
import { amax, sum } from "./reduce.js";
import { rand } from "./random.js";
import type { Generator } from "./random.js";
import { fusable, hasFused, runFused } from "./fused.js";

/** True when `dim` names the last dim (what fused row kernels reduce over). */
function lastDim(x: Tensor, dim: number): boolean {
  return x.ndim > 0 && (dim === -1 || dim === x.ndim - 1);
}

/** Frees intermediates once a composite has its result. */
function free(...ts: Tensor[]): void {
  for (const t of ts) t.dispose();
}

/** max(x, 0), with gradient 0 at 0, as `F.relu`. @example relu(x) */
export function relu(x: Tensor): Tensor {
  const pos = x.gt(0);
  try {
    return where(pos, x, 0);
  } finally {
    pos.dispose();
  }
}

/** x where x > 0, else slope·x, as `F.leaky_relu`. @example leakyRelu(x, 0.1) */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  const pos = x.gt(0);
  const neg = x.mul(negativeSlope);
  try {
    return where(pos, x, neg);
  } finally {
    free(pos, neg);
  }
}

/**
 * GELU, exact (erf) or the tanh approximation, as `F.gelu(x, approximate=…)`.
 * @example gelu(x); gelu(x, "tanh")
 */
export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (fusable(x) && hasFused("gelu", x.device, x.dtype)) return runFused("gelu", [x], { approximate })[0];
  if (approximate === "tanh") {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    const x3 = x.mul(x).mul(x);
    const inner = x3.mul(0.044715).add(x).mul(Math.sqrt(2 / Math.PI));
    const t = inner.tanh();
    const onePlus = t.add(1);
    const half = x.mul(0.5);
    try {
      return half.mul(onePlus);
    } finally {
      free(x3, inner, t, onePlus, half);
    }
  }
  const scaled = x.mul(Math.SQRT1_2);
  const e = scaled.erf();
  const onePlus = e.add(1);
  const half = x.mul(0.5);
  try {
    return half.mul(onePlus);
  } finally {
    free(scaled, e, onePlus, half);
  }
}

/** x · sigmoid(x), as `F.silu`. @example silu(x) */
export function silu(x: Tensor): Tensor {
  const s = x.sigmoid();
  try {
    return x.mul(s);
  } finally {
    s.dispose();
  }
}

/** log(1 + exp(beta x)) / beta, linear above `threshold`, as `F.softplus`. @example softplus(x) */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const bx = beta === 1 ? x : x.mul(beta);
  const soft = bx.exp().log1p();
  const scaled = beta === 1 ? soft : soft.div(beta);
  const lin = bx.gt(threshold);
  try {
    return where(lin, x, scaled);
  } finally {
    free(soft, lin);
    if (scaled !== soft) scaled.dispose();
    if (bx !== x) bx.dispose();
  }
}

/** x if x > 0 else alpha (exp(x) - 1), as `F.elu`. @example elu(x) */
export function elu(x: Tensor, alpha = 1): Tensor {
  const pos = x.gt(0);
  const neg = x.expm1().mul(alpha);
  try {
    return where(pos, x, neg);
  } finally {
    free(pos, neg);
  }
}

/** x · tanh(softplus(x)), as `F.mish`. @example mish(x) */
export function mish(x: Tensor): Tensor {
  const sp = softplus(x);
  const t = sp.tanh();
  try {
    return x.mul(t);
  } finally {
    free(sp, t);
  }
}

/** The shared part of softmax and log-softmax: x - max (the max detached: it only shifts) and sum(exp(x - max)). */
function shiftedExpSum(op: string, x: Tensor, dim: number): { d: number; m: Tensor; shifted: Tensor; e: Tensor; s: Tensor } {
  if (!isFloatingPoint(x.dtype)) throw new TypeError(`${op}: expected a floating-point input, got ${x.dtype}. Convert it with .float() first.`);
  const d = normDim(dim, x.ndim, op);
  const detached = x.detach();
  const m = amax(detached, d, true);
  detached.dispose();
  const shifted = x.sub(m);
  const e = shifted.exp();
  return { d, m, shifted, e, s: sum(e, d, true) };
}

/**
 * exp(x) / sum(exp(x)) along `dim`, shifted by the max for stability, as `F.softmax`.
 * @example softmax(scores, -1)
 */
export function softmax(x: Tensor, dim: number): Tensor {
  if (lastDim(x, dim) && fusable(x) && hasFused("softmax", x.device, x.dtype)) return runFused("softmax", [x], {})[0];
  const { m, shifted, e, s } = shiftedExpSum("softmax", x, dim);
  try {
    return e.div(s);
  } finally {
    free(m, shifted, e, s);
  }
}

/**
 * log(softmax(x)) computed as x - max - log(sum(exp(x - max))), as `F.log_softmax`.
 * @example logSoftmax(logits, -1)
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  if (lastDim(x, dim) && fusable(x) && hasFused("logSoftmax", x.device, x.dtype)) return runFused("logSoftmax", [x], {})[0];
  const { m, shifted, e, s } = shiftedExpSum("logSoftmax", x, dim);
  const l = s.log();
  try {
    return shifted.sub(l);
  } finally {
    free(m, shifted, e, s, l);
  }
}

/**
 * Zeroes elements with probability `p` and scales the rest by 1/(1-p) when `training`, as `F.dropout`.
 * @example dropout(x, 0.1, model.training)
 */
export function dropout(x: Tensor, p = 0.5, training = true, opts?: { generator?: Generator }): Tensor {
  if (p < 0 || p > 1) throw new RangeError(`dropout: probability has to be between 0 and 1, but got ${p}.`);
  if (!training || p === 0) return x.clone();
  if (p === 1) return x.mul(0);
  const u = rand(x.shape, { dtype: x.dtype, device: x.device, generator: opts?.generator });
  const keep = u.ge(p);
  const scaled = x.mul(1 / (1 - p));
  try {
    return where(keep, scaled, 0);
  } finally {
    free(u, keep, scaled);
  }
}
