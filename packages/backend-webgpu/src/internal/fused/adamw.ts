// Fused AdamW step in place (PyTorch's torch.optim.AdamW, single-tensor formula): one thread per element updates param, exp_avg and exp_avg_sq.

import { numel, type FusedAttrs } from "@tsorch/tensor/backend";
import type { GpuRuntime } from "../runtime.js";
import { MAIN_1D, META_DECL, groupsFor } from "../strided.js";
import { type Buf, type KT, f32Bindings, f32bits, launchBindings } from "./common.js";

const BODY = /* wgsl */ `
  if (i >= md[0]) { return; }
  let k = i32(i);
  var gr = ld_g(bitcast<i32>(md[2]) + k);
  if (md[13] == 1u) { gr = -gr; }
  let pi = bitcast<i32>(md[1]) + k; let mi = bitcast<i32>(md[3]) + k; let vi = bitcast<i32>(md[4]) + k;
  let pn = ld_p(pi) * bitcast<f32>(md[5]);
  let mn = ld_m(mi) * bitcast<f32>(md[6]) + gr * bitcast<f32>(md[7]);
  let vn = ld_v(vi) * bitcast<f32>(md[8]) + gr * gr * bitcast<f32>(md[9]);
  let denom = sqrt(vn) / bitcast<f32>(md[10]) + bitcast<f32>(md[11]);
  st_p(pi, pn - mn / denom * bitcast<f32>(md[12]));
  st_m(mi, mn);
  st_v(vi, vn);
}`;

/**
 * p ← p·(1 - lr·wd); m ← β₁m + (1-β₁)g; v ← β₂v + (1-β₂)g²; p ← p - lr/(1-β₁ᵗ) · m / (√v / √(1-β₂ᵗ) + ε); g negated when maximizing.
 * Inputs: param, grad, expAvg, expAvgSq (contiguous float32, same numel).
 */
export function adamwForward(rt: GpuRuntime, ins: readonly KT[], a: FusedAttrs["adamwStep"]): void {
  const [p, g, m, v] = ins;
  const n = numel(p.shape);
  if (n === 0) return;
  const bufs: Buf[] = [{ name: "p", t: p, write: true }, { name: "g", t: g }, { name: "m", t: m, write: true }, { name: "v", t: v, write: true }];
  const consts = [1 - a.lr * a.weightDecay, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, Math.sqrt(1 - a.beta2 ** a.step), a.eps, a.lr / (1 - a.beta1 ** a.step)];
  rt.launch({
    key: "adamw",
    code: () => [META_DECL, f32Bindings(bufs), MAIN_1D, BODY].join("\n"),
    bindings: launchBindings(bufs),
    meta: [n, p.offset, g.offset, m.offset, v.offset, ...consts.map(f32bits), a.maximize ? 1 : 0],
    groups: groupsFor(n),
  });
}
