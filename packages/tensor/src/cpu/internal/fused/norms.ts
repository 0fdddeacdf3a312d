// CPU fused layer norm and RMS norm over the last dim, forward and backward, statistics in double (as F.layer_norm / F.rms_norm).

import type { FusedAttrs } from "../../../backend/index.js";
import { type FArr, type KT, arr, rowsOf, scratch } from "./common.js";

/** Mean and 1/sqrt(var + eps) of row `r` (two passes: the centred sum of squares does not cancel). */
function stats(a: FArr, xb: number, n: number, eps: number): [number, number] {
  let s = 0;
  for (let j = 0; j < n; j++) s += a[xb + j];
  const mu = s / n;
  let q = 0;
  for (let j = 0; j < n; j++) {
    const d = a[xb + j] - mu;
    q += d * d;
  }
  return [mu, 1 / Math.sqrt(q / n + eps)];
}

/** y = (x - mean) · rstd · w + b; writes mean and rstd per row. Inputs: x, weight?, bias?. */
export function layerNormForward(ins: readonly KT[], outs: readonly KT[], a: FusedAttrs["layerNorm"]): void {
  const x = ins[0];
  const w = a.hasWeight ? ins[1] : null;
  const b = a.hasBias ? ins[a.hasWeight ? 2 : 1] : null;
  const [y, mean, rstd] = outs;
  const { rows, n } = rowsOf(x);
  const xa = arr(x);
  const ya = arr(y);
  const wa = w ? arr(w) : null;
  const ba = b ? arr(b) : null;
  const wo = w?.offset ?? 0;
  const bo = b?.offset ?? 0;
  for (let r = 0; r < rows; r++) {
    const xb = x.offset + r * n;
    const yb = y.offset + r * n;
    const [mu, rs] = stats(xa, xb, n, a.eps);
    arr(mean)[mean.offset + r] = mu;
    arr(rstd)[rstd.offset + r] = rs;
    if (wa && ba) for (let j = 0; j < n; j++) ya[yb + j] = (xa[xb + j] - mu) * rs * wa[wo + j] + ba[bo + j];
    else if (wa) for (let j = 0; j < n; j++) ya[yb + j] = (xa[xb + j] - mu) * rs * wa[wo + j];
    else if (ba) for (let j = 0; j < n; j++) ya[yb + j] = (xa[xb + j] - mu) * rs + ba[bo + j];
    else for (let j = 0; j < n; j++) ya[yb + j] = (xa[xb + j] - mu) * rs;
  }
}

/**
 * dx = rstd/n · (n ĝ - Σĝ - x̂ Σ ĝx̂) with ĝ = g·w, x̂ = (x - mean)·rstd; dweight = Σ_rows g x̂; dbias = Σ_rows g.
 * The statistics are recomputed from x in double rather than read back from the rounded saved outputs.
 */
export function layerNormBackward(ins: readonly KT[], g: KT, grads: readonly (KT | null)[], a: FusedAttrs["layerNorm"]): void {
  const x = ins[0];
  const w = a.hasWeight ? ins[1] : null;
  const dx = grads[0];
  const dw = a.hasWeight ? grads[1] : null;
  const db = a.hasBias ? grads[a.hasWeight ? 2 : 1] : null;
  const { rows, n } = rowsOf(x);
  const xa = arr(x);
  const ga = arr(g);
  const wa = w ? arr(w) : null;
  const wo = w?.offset ?? 0;
  const sw = dw ? scratch(1, n).fill(0, 0, n) : null;
  const sb = db ? scratch(2, n).fill(0, 0, n) : null;
  const dxa = dx ? arr(dx) : null;
  for (let r = 0; r < rows; r++) {
    const xb = x.offset + r * n;
    const gb = g.offset + r * n;
    const [mu, rs] = stats(xa, xb, n, a.eps);
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < n; j++) {
      const xh = (xa[xb + j] - mu) * rs;
      const gj = ga[gb + j];
      const gy = wa ? gj * wa[wo + j] : gj;
      s1 += gy;
      s2 += gy * xh;
      if (sw) sw[j] += gj * xh;
      if (sb) sb[j] += gj;
    }
    if (dxa) {
      const d0 = dx!.offset + r * n;
      const k = rs / n;
      for (let j = 0; j < n; j++) {
        const xh = (xa[xb + j] - mu) * rs;
        const gy = wa ? ga[gb + j] * wa[wo + j] : ga[gb + j];
        dxa[d0 + j] = k * (n * gy - s1 - xh * s2);
      }
    }
  }
  if (dw && sw) for (let j = 0; j < n; j++) arr(dw)[dw.offset + j] = sw[j];
  if (db && sb) for (let j = 0; j < n; j++) arr(db)[db.offset + j] = sb[j];
}

function rmsOf(a: FArr, xb: number, n: number, eps: number): number {
  let q = 0;
  for (let j = 0; j < n; j++) q += a[xb + j] * a[xb + j];
  return 1 / Math.sqrt(q / n + eps);
}

/** y = x · rstd · w, rstd = 1/sqrt(mean(x²) + eps); writes rstd per row. Inputs: x, weight?. */
export function rmsNormForward(ins: readonly KT[], outs: readonly KT[], a: FusedAttrs["rmsNorm"]): void {
  const x = ins[0];
  const w = a.hasWeight ? ins[1] : null;
  const [y, rstd] = outs;
  const { rows, n } = rowsOf(x);
  const xa = arr(x);
  const ya = arr(y);
  const wa = w ? arr(w) : null;
  const wo = w?.offset ?? 0;
  for (let r = 0; r < rows; r++) {
    const xb = x.offset + r * n;
    const yb = y.offset + r * n;
    const rs = rmsOf(xa, xb, n, a.eps);
    arr(rstd)[rstd.offset + r] = rs;
    if (wa) for (let j = 0; j < n; j++) ya[yb + j] = xa[xb + j] * rs * wa[wo + j];
    else for (let j = 0; j < n; j++) ya[yb + j] = xa[xb + j] * rs;
  }
}

/** dx = rstd · (ĝ - x̂ · mean(ĝ x̂)) with ĝ = g·w, x̂ = x·rstd; dweight = Σ_rows g x̂. */
export function rmsNormBackward(ins: readonly KT[], g: KT, grads: readonly (KT | null)[], a: FusedAttrs["rmsNorm"]): void {
  const x = ins[0];
  const w = a.hasWeight ? ins[1] : null;
  const dx = grads[0];
  const dw = a.hasWeight ? grads[1] : null;
  const { rows, n } = rowsOf(x);
  const xa = arr(x);
  const ga = arr(g);
  const wa = w ? arr(w) : null;
  const wo = w?.offset ?? 0;
  const sw = dw ? scratch(1, n).fill(0, 0, n) : null;
  const dxa = dx ? arr(dx) : null;
  for (let r = 0; r < rows; r++) {
    const xb = x.offset + r * n;
    const gb = g.offset + r * n;
    const rs = rmsOf(xa, xb, n, a.eps);
    let s = 0;
    for (let j = 0; j < n; j++) {
      const xh = xa[xb + j] * rs;
      const gj = ga[gb + j];
      s += (wa ? gj * wa[wo + j] : gj) * xh;
      if (sw) sw[j] += gj * xh;
    }
    if (dxa) {
      const d0 = dx!.offset + r * n;
      const m = s / n;
      for (let j = 0; j < n; j++) {
        const gy = wa ? ga[gb + j] * wa[wo + j] : ga[gb + j];
        dxa[d0 + j] = rs * (gy - xa[xb + j] * rs * m);
      }
    }
  }
  if (dw && sw) for (let j = 0; j < n; j++) arr(dw)[dw.offset + j] = sw[j];
}
