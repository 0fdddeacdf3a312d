// Normalisation composites (torch.nn.functional): layer norm, RMS norm, L_p normalize.

import { fmtShape } from "../backend/layout.js";
import type { Tensor } from "../tensor.js";
import { mean, norm } from "./reduce.js";
import { fusable, hasFused, runFused } from "./fused.js";
import { disposing } from "../internal/disposing.js";

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
    using unused = disposing(stats);
    return y;
  }
  using mu = mean(x, dims, true);
  using centered = x.sub(mu);
  using sq = centered.mul(centered);
  using v = mean(sq, dims, true);
  using ve = v.add(eps);
  using r = ve.rsqrt();
  if (!weight && !bias) return centered.mul(r);
  using normed = centered.mul(r);
  if (!bias) return normed.mul(weight!);
  if (!weight) return normed.add(bias);
  using scaled = normed.mul(weight);
  return scaled.add(bias);
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
    using unused = disposing(stats);
    return y;
  }
  using sq = x.mul(x);
  using ms = mean(sq, dims, true);
  using me = ms.add(e);
  using r = me.rsqrt();
  if (!weight) return x.mul(r);
  using normed = x.mul(r);
  return normed.mul(weight);
}

/**
 * x / max(‖x‖_p, eps) along `dim`, as `F.normalize`.
 * @example normalize(embeddings, 2, -1)
 */
export function normalize(x: Tensor, p = 2, dim = 1, eps = 1e-12): Tensor {
  using n = norm(x, p, dim, true);
  using c = n.clampMin(eps);
  return x.div(c);
}
