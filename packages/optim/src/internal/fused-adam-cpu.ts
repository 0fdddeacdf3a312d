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
  const f = Math.fround;
  const b1 = f(o.beta1);
  const b2 = f(o.beta2);
  const omb1 = f(1 - o.beta1);
  const omb2 = f(1 - o.beta2);
  const eps = f(o.eps);
  const sign = o.maximize ? -1 : 1;
  for (let i = 0; i < params.length; i++) {
    const [p, g, m, v, mx] = arrays[i];
    const step = state.steps[i];
    const bc1 = 1 - o.beta1 ** step;
    const bc2Sqrt = f(Math.sqrt(1 - o.beta2 ** step));
    const stepSize = f(o.lr / bc1);
    const decay = o.decoupled ? f(1 - o.lr * o.weightDecay) : 1;
    const l2 = o.decoupled ? 0 : f(o.weightDecay);
    const n = p.length;
    for (let j = 0; j < n; j++) {
      let pj = p[j];
      if (decay !== 1) pj = f(pj * decay);
      let gj = sign * g[j];
      if (l2 !== 0) gj = f(gj + l2 * pj);
      const mj = f(f(m[j] * b1) + f(omb1 * gj));
      const vj = f(f(v[j] * b2) + f(omb2 * f(gj * gj)));
      m[j] = mj;
      v[j] = vj;
      let s = vj;
      if (mx) {
        s = mx[j] > vj ? mx[j] : vj;
        mx[j] = s;
      }
      const denom = f(f(Math.sqrt(s) / bc2Sqrt) + eps);
      p[j] = f(pj - f(stepSize * f(mj / denom)));
    }
    // In-place writes bump the version counter, as every in-place op does (autograd refuses stale saved values).
    for (const t of [params[i], state.expAvgs[i], state.expAvgSqs[i], ...(o.amsgrad ? [state.maxExpAvgSqs[i]] : [])]) t.storage.version++;
  }
  return true;
}
