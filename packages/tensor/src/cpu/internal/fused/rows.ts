// CPU fused softmax and log-softmax over the last dim, forward and backward: one pass for the max, one for Σexp, one to write.

import { type KT, arr, rowsOf, scratch } from "./common.js";

/** softmax (or log-softmax when `log`) of each row of contiguous x into y; exp(x - max) is kept in double scratch. */
export function softmaxForward(log: boolean, x: KT, y: KT): void {
  const { rows, n } = rowsOf(x);
  const a = arr(x);
  const o = arr(y);
  const e = scratch(0, n);
  for (let r = 0; r < rows; r++) {
    const xb = x.offset + r * n;
    const yb = y.offset + r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = a[xb + j];
      // NaN wins, as amax: the whole row becomes NaN like the composite's.
      if (v > m || v !== v) m = v;
    }
    let s = 0;
    for (let j = 0; j < n; j++) s += e[j] = Math.exp(a[xb + j] - m);
    if (log) {
      // x - max - log Σ in the composite's order, so an all -inf row gives NaN as it does.
      const l = Math.log(s);
      for (let j = 0; j < n; j++) o[yb + j] = a[xb + j] - m - l;
    } else {
      for (let j = 0; j < n; j++) o[yb + j] = e[j] / s;
    }
  }
}

/** dx = y (g - Σ g y) for softmax, dx = g - exp(y) Σ g for log-softmax (y: the saved output). */
export function softmaxBackward(log: boolean, y: KT, g: KT, dx: KT | null): void {
  if (!dx) return;
  const { rows, n } = rowsOf(y);
  const ya = arr(y);
  const ga = arr(g);
  const d = arr(dx);
  for (let r = 0; r < rows; r++) {
    const yb = y.offset + r * n;
    const gb = g.offset + r * n;
    const db = dx.offset + r * n;
    let s = 0;
    if (log) {
      for (let j = 0; j < n; j++) s += ga[gb + j];
      for (let j = 0; j < n; j++) d[db + j] = ga[gb + j] - Math.exp(ya[yb + j]) * s;
    } else {
      for (let j = 0; j < n; j++) s += ga[gb + j] * ya[yb + j];
      for (let j = 0; j < n; j++) d[db + j] = ya[yb + j] * (ga[gb + j] - s);
    }
  }
}
