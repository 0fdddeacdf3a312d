// Normalisation composites (torch.nn.functional): layer norm, RMS norm, L_p normalize.

import { fmtShape } from "../backend/layout.js";
import type { Tensor } from "../tensor.js";
import { mean, norm } from "./reduce.js";
import { fusable, hasFused, runFused } from "./fused.js";

function lastDims(x: Tensor, normalizedShape: readonly number[], op: string): number[] {
  const k = normalizedShape.length;
  if (k === 0 || k > x.ndim || normalizedShape.some((s, i) => x.shape[x.ndim - k + i] !== s))
    throw new RangeError(
      `${op}: normalized_shape ${fmtShape(normalizedShape)} must match the last ${k} dims of the input, got input shape ${fmtShape(x.shape)}.`,
    );
  return Array.from({ length: k }, (_, i) => x.ndim - k + i);
}

/**
 * (x - mean) / sqrt(var + eps) over the trailing `normalizedShape` dims, then · weight + bias, as `F.layer_norm`.
 * @example layerNorm(x, [768], w, b, 1e-12)
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5): Tensor {
  const dims = lastDims(x, normalizedShape, "layerNorm");
  for (const [name, p] of [["weight", weight], ["bias", bias]] as const)
    if (p && (p.ndim !== normalizedShape.length || p.shape.some((s, i) => s !== normalizedShape[i])))
      throw new RangeError(`layerNorm: ${name} must have shape ${fmtShape(normalizedShape)}, got ${fmtShape(p.shape)}.`);
  if (dims.length === 1 && fusable(x, weight, bias) && hasFused("layerNorm", x.device, x.dtype)) {
    const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
    const [y, ...stats] = runFused("layerNorm", inputs, { eps, hasWeight: !!weight, hasBias: !!bias });
    for (const t of stats) t.dispose();
    return y;
  }
  const mu = mean(x, dims, true);
  const centered = x.sub(mu);
  const sq = centered.mul(centered);
  const v = mean(sq, dims, true);
  const ve = v.add(eps);
  const r = ve.rsqrt();
  const normed = centered.mul(r);
  for (const t of [mu, sq, v, ve, r, centered]) t.dispose();
  let out = normed;
  if (weight) {
    out = normed.mul(weight);
    normed.dispose();
  }
  if (bias) {
    const o = out.add(bias);
    out.dispose();
    out = o;
  }
  return out;
}

/**
 * x / sqrt(mean(x²) + eps) over the trailing dims, then · weight, as `F.rms_norm` (eps defaults to the dtype's epsilon).
 * @example rmsNorm(x, [64], w, 1e-6)
 */
export function rmsNorm(x: Tensor, normalizedShape: readonly number[], weight?: Tensor | null, eps?: number): Tensor {
  const dims = lastDims(x, normalizedShape, "rmsNorm");
  const e = eps ?? (x.dtype === "float64" ? 2.220446049250313e-16 : x.dtype === "float16" ? 0.0009765625 : x.dtype === "bfloat16" ? 0.0078125 : 1.1920928955078125e-7);
  if (dims.length === 1 && fusable(x, weight) && hasFused("rmsNorm", x.device, x.dtype)) {
    const [y, ...stats] = runFused("rmsNorm", weight ? [x, weight] : [x], { eps: e, hasWeight: !!weight });
    for (const t of stats) t.dispose();
    return y;
  }
  const sq = x.mul(x);
  const ms = mean(sq, dims, true);
  const me = ms.add(e);
  const r = me.rsqrt();
  const normed = x.mul(r);
  for (const t of [sq, ms, me, r]) t.dispose();
  if (!weight) return normed;
  try {
    return normed.mul(weight);
  } finally {
    normed.dispose();
  }
}

/**
 * x / max(‖x‖_p, eps) along `dim`, as `F.normalize`.
 * @example normalize(embeddings, 2, -1)
 */
export function normalize(x: Tensor, p = 2, dim = 1, eps = 1e-12): Tensor {
  const n = norm(x, p, dim, true);
  const c = n.clampMin(eps);
  try {
    return x.div(c);
  } finally {
    n.dispose();
    c.dispose();
  }
}
