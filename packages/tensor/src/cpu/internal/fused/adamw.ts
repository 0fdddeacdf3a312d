// CPU fused AdamW step in place (PyTorch's torch.optim.AdamW, single-tensor formula), in double, one pass over the four arrays.

import type { FusedAttrs } from "../../../backend/index.js";
import { type KT, arr, numelOf } from "./common.js";

/**
 * p ← p·(1 - lr·wd); m ← β₁m + (1-β₁)g; v ← β₂v + (1-β₂)g²; p ← p - lr/(1-β₁ᵗ) · m / (√v / √(1-β₂ᵗ) + ε);
 * g negated when maximizing. Inputs: param, grad, expAvg, expAvgSq (contiguous, same numel).
 */
export function adamwForward(ins: readonly KT[], a: FusedAttrs["adamwStep"]): void {
  const [p, g, m, v] = ins;
  const n = numelOf(p.shape);
  const [pa, ga, ma, va] = [arr(p), arr(g), arr(m), arr(v)];
  const [po, go, mo, vo] = [p.offset, g.offset, m.offset, v.offset];
  const decay = 1 - a.lr * a.weightDecay;
  const b1 = a.beta1;
  const b2 = a.beta2;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const bc2 = Math.sqrt(1 - b2 ** a.step);
  const stepSize = a.lr / (1 - b1 ** a.step);
  const eps = a.eps;
  const sign = a.maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const gr = sign * ga[go + i];
    const mn = ma[mo + i] * b1 + gr * c1;
    const vn = va[vo + i] * b2 + gr * gr * c2;
    ma[mo + i] = mn;
    va[vo + i] = vn;
    pa[po + i] = pa[po + i] * decay - (stepSize * mn) / (Math.sqrt(vn) / bc2 + eps);
  }
}
