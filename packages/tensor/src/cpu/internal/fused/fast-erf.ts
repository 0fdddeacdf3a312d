// erf for the fused GELU: piecewise Chebyshev fits of scalar-math's erf (the primitive's), built once on first use.

import { erf } from "../scalar-math.js";

// 24 intervals of 0.25 over [0, 6) (erf is ±1 to double precision beyond), degree 14 each: the fit is within a few
// ulps of the series / continued fraction it samples, at a fraction of their cost (no loop to convergence).
const WIDTH = 0.25;
const INTERVALS = 24;
const DEG = 14;
let coef: Float64Array | undefined;

function build(): Float64Array {
  const c = new Float64Array(INTERVALS * DEG);
  const f = new Float64Array(DEG);
  const half = WIDTH / 2;
  for (let i = 0; i < INTERVALS; i++) {
    const mid = i * WIDTH + half;
    for (let k = 0; k < DEG; k++) f[k] = erf(mid + half * Math.cos((Math.PI * (k + 0.5)) / DEG));
    for (let j = 0; j < DEG; j++) {
      let s = 0;
      for (let k = 0; k < DEG; k++) s += f[k] * Math.cos((Math.PI * j * (k + 0.5)) / DEG);
      c[i * DEG + j] = ((j === 0 ? 1 : 2) * s) / DEG;
    }
  }
  return c;
}

/** erf(x), as scalar-math's `erf` within a few ulps. */
export function fastErf(x: number): number {
  const c = (coef ??= build());
  const ax = x < 0 ? -x : x;
  if (!(ax < 6)) return x !== x ? x : x > 0 ? 1 : -1;
  const i = Math.floor(ax * (1 / WIDTH));
  const t = (ax - (i * WIDTH + WIDTH / 2)) * (2 / WIDTH);
  // Clenshaw's recurrence for Σ c_j T_j(t).
  const base = i * DEG;
  let b1 = 0;
  let b2 = 0;
  for (let j = DEG - 1; j >= 1; j--) {
    const b0 = 2 * t * b1 - b2 + c[base + j];
    b2 = b1;
    b1 = b0;
  }
  const r = t * b1 - b2 + c[base];
  return x < 0 ? -r : r;
}
