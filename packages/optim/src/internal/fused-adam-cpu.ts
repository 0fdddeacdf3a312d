// The CPU's fused Adam/AdamW kernel: one pass over contiguous float32 host arrays, in float32 steps like PyTorch's kernel.

import type { Tensor } from "@tsorch/tensor";
import type { AdamUpdateOptions, AdamUpdateState } from "../functional/adam.js";

/** The host array behind a contiguous float32 CPU tensor, or null. */
function host(t: Tensor): Float32Array | null {
  const b = t.storage.buffer;
  if (!(b instanceof Float32Array) || t.dtype !== "float32" || !t.isContiguous()) return null;
  return b.subarray(t.offset, t.offset + t.numel());
}

/**
 * Adam / AdamW over every parameter at once, when all tensors are contiguous float32 host arrays; declines otherwise.
 * @example fusedAdamCpu(params, grads, state, opts) // true when it ran
 */
export function fusedAdamCpu(params: Tensor[], grads: Tensor[], state: AdamUpdateState, o: AdamUpdateOptions): boolean {
  const arrays: Float32Array[][] = [];
  for (let i = 0; i < params.length; i++) {
    const row = [params[i], grads[i], state.expAvgs[i], state.expAvgSqs[i], ...(o.amsgrad ? [state.maxExpAvgSqs[i]] : [])].map(host);
    if (row.some((a) => a === null)) return false;
    arrays.push(row as Float32Array[]);
  }
  for (let i = 0; i < params.length; i++) {
    const [p, g, m, v, mx] = arrays[i];
    const step = state.steps[i];
    const bc2Sqrt = Math.sqrt(1 - o.beta2 ** step);
    const stepSize = o.lr / (1 - o.beta1 ** step);
    const decay = o.decoupled ? 1 - o.lr * o.weightDecay : 1;
    const l2 = o.decoupled ? 0 : o.weightDecay;
    if (mx) amsgradLoop(p, g, m, v, mx, o, decay, l2, stepSize, bc2Sqrt);
    else adamLoop(p, g, m, v, o.beta1, o.beta2, o.eps, o.maximize ? -1 : 1, decay, l2, stepSize, bc2Sqrt);
    // In-place writes bump the version counter, as every in-place op does (autograd refuses stale saved values).
    for (const t of [params[i], state.expAvgs[i], state.expAvgSqs[i], ...(o.amsgrad ? [state.maxExpAvgSqs[i]] : [])]) t.storage.version++;
  }
  return true;
}

// The hot loop, kept monomorphic (numbers and Float32Arrays only). Values are computed in float64 and rounded once
// when stored, which stays within float32 rounding of PyTorch's op-by-op float32 result.
function adamLoop(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array,
  b1: number, b2: number, eps: number, sign: number, decay: number, l2: number, stepSize: number, bc2Sqrt: number,
): void {
  const omb1 = 1 - b1;
  const omb2 = 1 - b2;
  const inv = 1 / bc2Sqrt;
  const n = p.length;
  for (let j = 0; j < n; j++) {
    const pj = p[j] * decay;
    const gj = sign * g[j] + l2 * pj;
    const mj = m[j] * b1 + omb1 * gj;
    const vj = v[j] * b2 + omb2 * gj * gj;
    m[j] = mj;
    v[j] = vj;
    p[j] = pj - (stepSize * mj) / (Math.sqrt(vj) * inv + eps);
  }
}

function amsgradLoop(
  p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, mx: Float32Array,
  o: AdamUpdateOptions, decay: number, l2: number, stepSize: number, bc2Sqrt: number,
): void {
  const { beta1: b1, beta2: b2, eps } = o;
  const sign = o.maximize ? -1 : 1;
  const n = p.length;
  for (let j = 0; j < n; j++) {
    const pj = p[j] * decay;
    const gj = sign * g[j] + l2 * pj;
    m[j] = m[j] * b1 + (1 - b1) * gj;
    v[j] = v[j] * b2 + (1 - b2) * gj * gj;
    const s = mx[j] > v[j] ? mx[j] : v[j];
    mx[j] = s;
    p[j] = pj - (stepSize * m[j]) / (Math.sqrt(s) / bc2Sqrt + eps);
  }
}
