// Fused cross-entropy of logits [N, C] and int64 class indices (low/high word pairs), forward and backward, matching the composite: ignore index, label smoothing, mean over the rows not ignored.

import type { FusedAttrs } from "@tsorch/tensor/backend";
import type { GpuRuntime } from "../runtime.js";
import { META_DECL, WG, errDecl } from "../strided.js";
import { WGSL_COMMON } from "../wgsl-dtype.js";
import { WGSL_MATH } from "../wgsl-math.js";
import { type Buf, type KT, f32Bindings, f32bits, launchBindings, mainPerGroup, reductions } from "./common.js";

type Attrs = FusedAttrs["crossEntropy"];

// Meta: [rows, C, x offset, target offset, third operand's offset, ignore low word, ignore high word, launch id, eps bits, mode, dx offset].
function meta(rows: number, x: KT, t: KT, third: KT, a: Attrs, mode: number, dx?: KT): number[] {
  const ign = BigInt.asUintN(64, BigInt(Math.trunc(a.ignoreIndex)));
  return [rows, x.shape[1], x.offset, t.offset, third.offset, Number(ign & 0xffffffffn), Number(ign >> 32n), 0, f32bits(a.labelSmoothing), mode, dx?.offset ?? 0];
}

// The row's target (clamped to class 0 when ignored or out of range), whether it is ignored, and max / Σexp of the logits.
const ROW_STATS = /* wgsl */ `
  let C = mu(1u);
  let xb = mi(2u) + i32(g) * i32(C);
  let tv = ld_t(mi(3u) + i32(g));
  let ign = tv.x == mu(5u) && tv.y == mu(6u);
  let inRange = tv.y == 0u && tv.x < C;
  let ti = select(0, i32(tv.x), inRange && !ign);
  let vf = select(1.0, 0.0, ign);
  let eps = mf(8u);
  var mx = -f_inf();
  for (var j = i32(li); j < i32(C); j += ${WG}) { mx = f_max(mx, ld_x(xb + j)); }
  mx = wmax(mx, li);
  var se = 0.0; var sx = 0.0;
  for (var j = i32(li); j < i32(C); j += ${WG}) { let d = ld_x(xb + j) - mx; se += m_exp(d); sx += d; }
  se = wsum(se, li);
  sx = wsum(sx, li);`;

function src(bufs: readonly Buf[], body: string, err: boolean): string {
  return [WGSL_COMMON, WGSL_MATH, META_DECL, f32Bindings(bufs), err ? errDecl(bufs.length + 1) : "", reductions(WG), mainPerGroup(WG), body, "}"].join("\n");
}

function outOfRange(a: Attrs, c: number): (v: number) => string {
  return (v) =>
    `crossEntropy: target ${v} is out of bounds for ${c} classes (and is not ignoreIndex ${a.ignoreIndex}). Targets must be class indices in [0, ${c - 1}] or ignoreIndex.`;
}

// Σ of per-row losses (mode 0), their mean over the rows not ignored (1), or that row count alone (2): one workgroup, a fixed-order tree.
function reduceRows(rt: GpuRuntime, rowLoss: KT | null, t: KT, out: KT, a: Attrs, mode: number): void {
  const n = t.shape[0];
  const bufs: Buf[] = [...(rowLoss ? [{ name: "lrow", t: rowLoss }] : []), { name: "t", t }, { name: "out", t: out, write: true }];
  const off = (name: string) => `mi(${bufs.findIndex((b) => b.name === name) + 2}u)`;
  const body = /* wgsl */ `
  let n = mu(1u);
  var s = 0.0; var c = 0.0;
  for (var i = li; i < n; i += ${WG}u) {
    ${rowLoss ? `s += ld_lrow(${off("lrow")} + i32(i));` : ""}
    let tv = ld_t(${off("t")} + i32(i));
    c += select(1.0, 0.0, tv.x == mu(5u) && tv.y == mu(6u));
  }
  s = wsum(s, li);
  c = wsum(c, li);
  if (li == 0u) { st_out(${off("out")}, ${mode === 0 ? "s" : mode === 1 ? "s / c" : "c"}); }`;
  const ign = BigInt.asUintN(64, BigInt(Math.trunc(a.ignoreIndex)));
  const offs = bufs.map((b) => b.t.offset);
  rt.launch({
    key: `ce|reduce|${mode}|${rowLoss ? 1 : 0}`,
    code: () => src(bufs, body, false),
    bindings: launchBindings(bufs),
    meta: [1, n, ...offs, ...(offs.length === 2 ? [0] : []), Number(ign & 0xffffffffn), Number(ign >> 32n)],
    groups: 1,
  });
}

/** Output spec: [] for mean / sum, [N] for "none". */
export function crossEntropyOutputs(ins: readonly KT[], a: Attrs): { dtype: "float32"; shape: number[] }[] {
  return [{ dtype: "float32", shape: a.reduction === "none" ? [ins[0].shape[0]] : [] }];
}

/** Per-row losses (one workgroup per row), then the reduction; out-of-range targets surface as an error on the next op. */
export function crossEntropyForward(rt: GpuRuntime, ins: readonly KT[], out: KT, a: Attrs): void {
  const [x, t] = ins;
  const [n, c] = x.shape;
  const none = a.reduction === "none";
  const tmp = none ? null : rt.pool.alloc(Math.max(n, 1) * 4, "cross-entropy row losses");
  const rowLoss: KT = tmp ? { buffer: tmp, dtype: "float32", shape: [n], strides: [1], offset: 0 } : out;
  if (n > 0 && c > 0) {
    const bufs: Buf[] = [{ name: "x", t: x }, { name: "t", t }, { name: "lrow", t: rowLoss, write: true }];
    const body = `${ROW_STATS}
  if (valid && li == 0u && !ign && !inRange) { raise(bitcast<i32>(tv.x)); }
  let lse = m_log(se);
  let picked = ld_x(xb + ti) - mx - lse;
  var loss = -picked * vf;
  if (eps > 0.0) { loss = loss * (1.0 - eps) + (-(sx - f32(C) * lse) * vf) * (eps / f32(C)); }
  if (valid && li == 0u) { st_lrow(mi(4u) + i32(g), loss); }`;
    rt.launch({
      key: "ce|fwd",
      code: () => src(bufs, body, true),
      bindings: launchBindings(bufs),
      meta: meta(n, x, t, rowLoss, a, 0),
      groups: n,
      onError: outOfRange(a, c),
    });
  }
  if (tmp) {
    reduceRows(rt, rowLoss, t, out, a, a.reduction === "sum" ? 0 : 1);
    rt.pool.release(tmp);
  }
}

/** dlogits = coef · (softmax - (1 - ε)·onehot - ε/C), coef = upstream gradient (÷ rows not ignored for mean), 0 on ignored rows. */
export function crossEntropyBackward(rt: GpuRuntime, ins: readonly KT[], gy: KT, dx: KT | null, a: Attrs): void {
  if (!dx) return;
  const [x, t] = ins;
  const [n, c] = x.shape;
  if (n === 0 || c === 0) return;
  const mean = a.reduction === "mean";
  const cntBuf = mean ? rt.pool.alloc(4, "cross-entropy row count") : null;
  const cnt: KT | null = cntBuf ? { buffer: cntBuf, dtype: "float32", shape: [1], strides: [1], offset: 0 } : null;
  if (cnt) reduceRows(rt, null, t, cnt, a, 2);
  const bufs: Buf[] = [{ name: "x", t: x }, { name: "t", t }, { name: "gy", t: gy }, ...(cnt ? [{ name: "cnt", t: cnt }] : []), { name: "dx", t: dx, write: true }];
  const mode = a.reduction === "none" ? 0 : a.reduction === "sum" ? 1 : 2;
  const coef = mode === 0 ? "ld_gy(mi(4u) + i32(g))" : mode === 1 ? "ld_gy(mi(4u))" : "ld_gy(mi(4u)) / ld_cnt(0)";
  const body = `${ROW_STATS}
  let coef = ${coef} * vf;
  let db = mi(10u) + i32(g) * i32(C);
  if (valid) {
    for (var j = i32(li); j < i32(C); j += ${WG}) {
      let p = m_exp(ld_x(xb + j) - mx) / se;
      st_dx(db + j, coef * (p - select(0.0, 1.0 - eps, j == ti) - eps / f32(C)));
    }
  }`;
  rt.launch({
    key: `ce|bwd|${mode}`,
    code: () => src(bufs, body, false),
    bindings: launchBindings(bufs),
    meta: meta(n, x, t, gy, a, mode, dx),
    groups: n,
  });
  if (cntBuf) rt.pool.release(cntBuf);
}
