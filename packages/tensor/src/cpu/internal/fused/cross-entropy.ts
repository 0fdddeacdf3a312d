// CPU fused cross-entropy of logits [N, C] and int64 class indices, forward and backward, as the composite: ignore index, label smoothing, mean over the rows not ignored.

import type { FusedAttrs } from "../../../backend/index.js";
import { type FArr, type KT, arr, scratch } from "./common.js";

type Attrs = FusedAttrs["crossEntropy"];

/** Output spec: [] for mean / sum, [N] for "none", in the logits' dtype. */
export function crossEntropyOutputs(ins: readonly KT[], a: Attrs): { dtype: KT["dtype"]; shape: number[] }[] {
  return [{ dtype: ins[0].dtype, shape: a.reduction === "none" ? [ins[0].shape[0]] : [] }];
}

/** Class of row `i`, or -1 when it is ignored; an index that is neither a class nor ignoreIndex throws. */
function classOf(t: KT, i: number, c: number, a: Attrs): number {
  const v = Number((t.buffer as BigInt64Array)[t.offset + i]);
  if (v === a.ignoreIndex) return -1;
  if (v < 0 || v >= c)
    throw new RangeError(
      `crossEntropy: target ${v} at row ${i} is out of bounds for ${c} classes (and is not ignoreIndex ${a.ignoreIndex}). Targets must be class indices in [0, ${c - 1}] or ignoreIndex.`,
    );
  return v;
}

/** Max and Σexp(x - max) of row `xb..xb+c` (NaN wins the max, as amax). */
function rowStats(xa: FArr, xb: number, c: number): [number, number] {
  let m = -Infinity;
  for (let j = 0; j < c; j++) {
    const v = xa[xb + j];
    if (v > m || v !== v) m = v;
  }
  let s = 0;
  for (let j = 0; j < c; j++) s += Math.exp(xa[xb + j] - m);
  return [m, s];
}

/** Per-row loss -(1-ε)·logp[t] - ε/C·Σ logp, 0 on ignored rows; then the reduction (mean of no rows: NaN, as 0/0). */
export function crossEntropyForward(ins: readonly KT[], out: KT, a: Attrs): void {
  const [x, t] = ins;
  const [n, c] = x.shape;
  const xa = arr(x);
  const oa = arr(out);
  const eps = a.labelSmoothing;
  let total = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const ti = classOf(t, i, c, a);
    let loss = 0;
    if (ti >= 0) {
      const xb = x.offset + i * c;
      const [m, s] = rowStats(xa, xb, c);
      const lse = Math.log(s);
      loss = -(xa[xb + ti] - m - lse);
      if (eps > 0) {
        let sx = 0;
        for (let j = 0; j < c; j++) sx += xa[xb + j] - m - lse;
        loss = loss * (1 - eps) - sx * (eps / c);
      }
      count++;
    }
    if (a.reduction === "none") oa[out.offset + i] = loss;
    else total += loss;
  }
  if (a.reduction === "sum") oa[out.offset] = total;
  else if (a.reduction === "mean") oa[out.offset] = total / count;
}

/** dlogits = coef · (softmax - (1-ε)·onehot - ε/C), coef = upstream gradient (÷ rows not ignored for mean), 0 on ignored rows. */
export function crossEntropyBackward(ins: readonly KT[], g: KT, dx: KT | null, a: Attrs): void {
  if (!dx) return;
  const [x, t] = ins;
  const [n, c] = x.shape;
  const xa = arr(x);
  const ga = arr(g);
  const da = arr(dx);
  const eps = a.labelSmoothing;
  const cls = scratch(0, n);
  const e = scratch(1, c);
  let count = 0;
  for (let i = 0; i < n; i++) if ((cls[i] = classOf(t, i, c, a)) >= 0) count++;
  const scalar = a.reduction === "none" ? 0 : a.reduction === "sum" ? ga[g.offset] : ga[g.offset] / count;
  for (let i = 0; i < n; i++) {
    const ti = cls[i];
    // coef · 0 on ignored rows keeps the composite's NaN when a mean has no rows (∞ · 0).
    const coef = (a.reduction === "none" ? ga[g.offset + i] : scalar) * (ti >= 0 ? 1 : 0);
    const xb = x.offset + i * c;
    const db = dx.offset + i * c;
    if (ti < 0 && coef === 0) {
      da.fill(0, db, db + c);
      continue;
    }
    // One exp per logit: exp(x - max) kept in scratch between the sum and the write.
    let m = -Infinity;
    for (let j = 0; j < c; j++) {
      const v = xa[xb + j];
      if (v > m || v !== v) m = v;
    }
    let s = 0;
    for (let j = 0; j < c; j++) s += e[j] = Math.exp(xa[xb + j] - m);
    const off = eps / c;
    const hit = 1 - eps;
    for (let j = 0; j < c; j++) da[db + j] = coef * (e[j] / s - (j === ti ? hit : 0) - off);
  }
}
