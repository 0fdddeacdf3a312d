// CPU fused scaled-dot-product attention, forward and backward: per (batch, head), blocks of query rows against the keys as small register-tiled products on float64 scratch (probabilities recomputed in the backward).

import type { FusedAttrs } from "../../../backend/index.js";
import { type FArr, type KT, arr, scratch } from "./common.js";
import { ab, abT, atbAdd } from "./tiles.js";

type Attrs = FusedAttrs["sdpa"];

/** Query rows per block: a block's scores (QB × S doubles) stay in cache while they are reused. */
const QB = 32;

// Scratch slots (float64, so the products see one array type whatever the dtype): the head's k and v, the block's
// scaled q, dO, scores / probabilities, dP / dS, an output block (O or dq), and the head's dk and dv sums.
const K_SLOT = 0;
const V_SLOT = 1;
const Q_SLOT = 2;
const G_SLOT = 3;
const P_SLOT = 4;
const DP_SLOT = 5;
const O_SLOT = 6;
const DK_SLOT = 7;
const DV_SLOT = 8;

/** Output spec: [B, H, L, Ev] in q's dtype. */
export function sdpaOutputs(ins: readonly KT[]): { dtype: KT["dtype"]; shape: number[] }[] {
  const [q, , v] = ins;
  return [{ dtype: q.dtype, shape: [q.shape[0], q.shape[1], q.shape[2], v.shape[3]] }];
}

/** The mask read as [B, H, L, S]: offset and strides, 0 on the dims it lacks or holds with size 1. */
interface MaskView {
  readonly a: FArr | Uint8Array;
  readonly off: number;
  readonly st: readonly number[];
  readonly bool: boolean;
}

function maskView(ins: readonly KT[], a: Attrs): MaskView | null {
  if (a.mask === "none") return null;
  const m = ins[3];
  const nd = m.shape.length;
  const st = [0, 1, 2, 3].map((d) => {
    const k = d - (4 - nd);
    return k < 0 || m.shape[k] === 1 ? 0 : m.strides[k];
  });
  return { a: m.buffer as FArr | Uint8Array, off: m.offset, st, bool: a.mask === "bool" };
}

/** `n` elements of `a` from `off`, times `scale`, as doubles in scratch `slot`. */
function pack(slot: number, a: FArr, off: number, n: number, scale = 1): Float64Array {
  const d = scratch(slot, n);
  for (let i = 0; i < n; i++) d[i] = a[off + i] * scale;
  return d;
}

/** One head's block of query rows: geometry and where it starts. */
interface Block {
  readonly b: number;
  readonly h: number;
  readonly l0: number;
  readonly lb: number;
  readonly S: number;
  /** Keys the block looks at: all, or up to its last row's causal limit. */
  readonly sMax: number;
}

/**
 * Scores of the block (qd: its scaled q rows, kd: the head's k) into p ([lb, S], columns < sMax), masked and turned
 * into probabilities in place; a row with every key masked becomes NaN, as the composite; keys past a causal row: 0.
 */
function probabilities(blk: Block, qd: Float64Array, kd: Float64Array, E: number, p: Float64Array, a: Attrs, mk: MaskView | null): void {
  const { S, sMax, lb } = blk;
  abT(qd, E, kd, E, p, S, lb, sMax, E);
  for (let i = 0; i < lb; i++) {
    const l = blk.l0 + i;
    const pr = i * S;
    const sEnd = a.isCausal ? Math.min(S, l + 1) : S;
    if (mk) {
      const mb = mk.off + blk.b * mk.st[0] + blk.h * mk.st[1] + l * mk.st[2];
      const ms = mk.st[3];
      if (mk.bool) {
        for (let s = 0; s < sEnd; s++) if (mk.a[mb + s * ms] === 0) p[pr + s] = -Infinity;
      } else for (let s = 0; s < sEnd; s++) p[pr + s] += mk.a[mb + s * ms];
    }
    let m = -Infinity;
    for (let s = 0; s < sEnd; s++) {
      const v = p[pr + s];
      if (v > m || v !== v) m = v;
    }
    let sum = 0;
    for (let s = 0; s < sEnd; s++) sum += p[pr + s] = Math.exp(p[pr + s] - m);
    for (let s = 0; s < sEnd; s++) p[pr + s] /= sum;
    for (let s = sEnd; s < sMax; s++) p[pr + s] = 0;
  }
}

/** Calls `fn` for every block of query rows of every head, with the head's k and v packed. */
function eachBlock(q: KT, k: KT, v: KT, a: Attrs, fn: (blk: Block, bh: number, kd: Float64Array, vd: Float64Array, headDone: boolean) => void): void {
  const [B, H, L] = q.shape;
  const [S, E, Ev] = [k.shape[2], q.shape[3], v.shape[3]];
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const bh = b * H + h;
      const kd = pack(K_SLOT, arr(k), k.offset + bh * S * E, S * E);
      const vd = pack(V_SLOT, arr(v), v.offset + bh * S * Ev, S * Ev);
      for (let l0 = 0; l0 < L; l0 += QB) {
        const lb = Math.min(QB, L - l0);
        fn({ b, h, l0, lb, S, sMax: a.isCausal ? Math.min(S, l0 + lb) : S }, bh, kd, vd, false);
      }
      fn({ b, h, l0: L, lb: 0, S, sMax: 0 }, bh, kd, vd, true);
    }
}

/** softmax(q kᵀ · scale + mask) v. Inputs: q [B, H, L, E], k [B, H, S, E], v [B, H, S, Ev] (contiguous), mask?. */
export function sdpaForward(ins: readonly KT[], out: KT, a: Attrs): void {
  const [q, k, v] = ins;
  const [L, S, E, Ev] = [q.shape[2], k.shape[2], q.shape[3], v.shape[3]];
  const qa = arr(q);
  const oa = arr(out);
  const mk = maskView(ins, a);
  const p = scratch(P_SLOT, QB * S);
  eachBlock(q, k, v, a, (blk, bh, kd, vd, headDone) => {
    if (headDone) return;
    const qd = pack(Q_SLOT, qa, q.offset + (bh * L + blk.l0) * E, blk.lb * E, a.scale);
    probabilities(blk, qd, kd, E, p, a, mk);
    const od = scratch(O_SLOT, blk.lb * Ev);
    ab(p, S, vd, Ev, od, Ev, blk.lb, Ev, blk.sMax);
    const o = out.offset + (bh * L + blk.l0) * Ev;
    for (let j = 0; j < blk.lb * Ev; j++) oa[o + j] = od[j];
  });
}

/**
 * dq, dk, dv of attention (the mask gets none). Per block of query rows: P recomputed, dP = dO vᵀ,
 * dS = P (dP - dO·O) (0 where the composite's maskedFill masked: causal or bool), dq = scale · dS k,
 * dk += dSᵀ (scale · q), dv += Pᵀ dO.
 */
export function sdpaBackward(ins: readonly KT[], out: KT, dOut: KT, grads: readonly (KT | null)[], a: Attrs): void {
  const [q, k, v] = ins;
  const [dq, dk, dv] = grads;
  if (!dq && !dk && !dv) return;
  const [L, S, E, Ev] = [q.shape[2], k.shape[2], q.shape[3], v.shape[3]];
  const [qa, ga, oa] = [arr(q), arr(dOut), arr(out)];
  const mk = maskView(ins, a);
  const p = scratch(P_SLOT, QB * S);
  const dp = scratch(DP_SLOT, QB * S);
  const dkS = scratch(DK_SLOT, S * E);
  const dvS = scratch(DV_SLOT, S * Ev);
  let fresh = true;
  eachBlock(q, k, v, a, (blk, bh, kd, vd, headDone) => {
    if (fresh) {
      dkS.fill(0, 0, S * E);
      dvS.fill(0, 0, S * Ev);
      fresh = false;
    }
    if (headDone) {
      if (dk) for (let j = 0, o = dk.offset + bh * S * E; j < S * E; j++) arr(dk)[o + j] = dkS[j];
      if (dv) for (let j = 0, o = dv.offset + bh * S * Ev; j < S * Ev; j++) arr(dv)[o + j] = dvS[j];
      fresh = true;
      return;
    }
    const { lb, l0, sMax } = blk;
    const qd = pack(Q_SLOT, qa, q.offset + (bh * L + l0) * E, lb * E, a.scale);
    const gd = pack(G_SLOT, ga, dOut.offset + (bh * L + l0) * Ev, lb * Ev);
    probabilities(blk, qd, kd, E, p, a, mk);
    abT(gd, Ev, vd, Ev, dp, S, lb, sMax, Ev);
    for (let i = 0; i < lb; i++) {
      const l = l0 + i;
      const pr = i * S;
      // Σ_s P dP = dO·O (the saved output).
      let dd = 0;
      for (let e = 0, o = out.offset + (bh * L + l) * Ev; e < Ev; e++) dd += gd[i * Ev + e] * oa[o + e];
      const sEnd = a.isCausal ? Math.min(S, l + 1) : S;
      for (let s = 0; s < sEnd; s++) dp[pr + s] = p[pr + s] * (dp[pr + s] - dd);
      for (let s = sEnd; s < sMax; s++) dp[pr + s] = 0;
      if (mk && mk.bool) {
        const mb = mk.off + blk.b * mk.st[0] + blk.h * mk.st[1] + l * mk.st[2];
        for (let s = 0; s < sEnd; s++) if (mk.a[mb + s * mk.st[3]] === 0) dp[pr + s] = 0;
      }
    }
    if (dq) {
      const dqd = scratch(O_SLOT, lb * E);
      ab(dp, S, kd, E, dqd, E, lb, E, sMax);
      const da = arr(dq);
      for (let j = 0, o = dq.offset + (bh * L + l0) * E; j < lb * E; j++) da[o + j] = dqd[j] * a.scale;
    }
    if (dk) atbAdd(dp, S, qd, E, dkS, E, sMax, E, lb);
    if (dv) atbAdd(p, S, gd, Ev, dvS, Ev, sMax, Ev, lb);
  });
}
