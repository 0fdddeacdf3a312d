// CPU fused GELU, exact (erf) and tanh approximation, forward and derivative in one pass each (as F.gelu).

import type { FusedAttrs } from "../../../backend/index.js";
import { fastErf } from "./fast-erf.js";
import { type KT, arr, numelOf } from "./common.js";

const C = 0.7978845608028654; // sqrt(2/pi)
const INV_SQRT_2PI = 0.3989422804014327;

/** y = 0.5 x (1 + erf(x/√2)), or 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³))). */
export function geluForward(x: KT, y: KT, a: FusedAttrs["gelu"]): void {
  const n = numelOf(x.shape);
  const xa = arr(x);
  const ya = arr(y);
  const xo = x.offset;
  const yo = y.offset;
  if (a.approximate === "tanh")
    for (let i = 0; i < n; i++) {
      const v = xa[xo + i];
      ya[yo + i] = 0.5 * v * (1 + Math.tanh(C * (v + 0.044715 * v * v * v)));
    }
  else
    for (let i = 0; i < n; i++) {
      const v = xa[xo + i];
      ya[yo + i] = 0.5 * v * (1 + fastErf(v * Math.SQRT1_2));
    }
}

/**
 * dx = g · (Φ(x) + x φ(x)) exactly, or g times the derivative of the tanh form. Φ(x) (and 1 + tanh) comes from the
 * saved output as y / x, so the backward costs one exp per element instead of a second erf (or tanh).
 */
export function geluBackward(x: KT, y: KT, g: KT, dx: KT | null, a: FusedAttrs["gelu"]): void {
  if (!dx) return;
  const n = numelOf(x.shape);
  const xa = arr(x);
  const ya = arr(y);
  const ga = arr(g);
  const d = arr(dx);
  const [xo, yo, go, dox] = [x.offset, y.offset, g.offset, dx.offset];
  if (a.approximate === "tanh")
    for (let i = 0; i < n; i++) {
      const v = xa[xo + i];
      // ½(1 + t) = y / x, so 1 - t² = (1 + t)(1 - t) = 4 · (y/x) · (1 - y/x), without cancellation where t → -1.
      const h = v === 0 ? 0.5 : ya[yo + i] / v;
      d[dox + i] = ga[go + i] * (h + 2 * v * h * (1 - h) * C * (1 + 0.134145 * v * v));
    }
  else
    for (let i = 0; i < n; i++) {
      const v = xa[xo + i];
      const phi = v === 0 ? 0.5 : ya[yo + i] / v;
      d[dox + i] = ga[go + i] * (phi + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
    }
}
