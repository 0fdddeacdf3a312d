// Fused backward kernels of the row ops (softmax, logSoftmax, layerNorm, rmsNorm: a workgroup per row; weight and bias gradients: a workgroup per column, deterministic tree sums) and of gelu (elementwise).

import { numel, type FusedAttrs } from "@tsorch/tensor/backend";
import { runElementwise } from "../elementwise.js";
import type { GpuRuntime } from "../runtime.js";
import { META_DECL, WG } from "../strided.js";
import { WGSL_COMMON } from "../wgsl-dtype.js";
import { WGSL_MATH } from "../wgsl-math.js";
import { type Buf, type KT, f32Bindings, launchBindings, mainPerGroup, reductions } from "./common.js";

// Row r of buffer k starts at md[2 + k] + r * len (all operands contiguous: the fused ops' inputs, saved outputs and fresh gradients).
function rowSource(bufs: readonly Buf[], body: string): string {
  const bases = bufs.map((b, k) => `  let b_${b.name} = mi(${2 + k}u) + i32(g) * i32(len);`).join("\n");
  return [WGSL_COMMON, WGSL_MATH, META_DECL, f32Bindings(bufs), reductions(WG), mainPerGroup(WG), "  let len = md[1];", bases, body, "}"].join("\n");
}

function launchRows(rt: GpuRuntime, key: string, bufs: readonly Buf[], rows: number, len: number, body: string, extra: number[] = []): void {
  if (rows === 0 || len === 0) return;
  rt.launch({
    key: `fusedBwd|${key}|${bufs.map((b) => b.name).join(",")}`,
    code: () => rowSource(bufs, body),
    bindings: launchBindings(bufs),
    meta: [rows, len, ...bufs.map((b) => b.t.offset), ...extra],
    groups: rows,
  });
}

const shapeOf = (x: KT) => {
  const len = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  return { len, rows: len === 0 ? 0 : numel(x.shape) / len };
};

/** dx = y (g - Σ g y) for softmax; dx = g - exp(y) Σ g for logSoftmax (y: the saved output). */
export function softmaxBackward(rt: GpuRuntime, log: boolean, y: KT, g: KT, dx: KT | null): void {
  if (!dx) return;
  const { rows, len } = shapeOf(y);
  const bufs: Buf[] = [{ name: "y", t: y }, { name: "dy", t: g }, { name: "dx", t: dx, write: true }];
  const body = log
    ? `  var s = 0.0;
  for (var j = i32(li); j < i32(len); j += ${WG}) { s += ld_dy(b_dy + j); }
  s = wsum(s, li);
  if (valid) { for (var j = i32(li); j < i32(len); j += ${WG}) { st_dx(b_dx + j, ld_dy(b_dy + j) - m_exp(ld_y(b_y + j)) * s); } }`
    : `  var s = 0.0;
  for (var j = i32(li); j < i32(len); j += ${WG}) { s += ld_dy(b_dy + j) * ld_y(b_y + j); }
  s = wsum(s, li);
  if (valid) { for (var j = i32(li); j < i32(len); j += ${WG}) { let yj = ld_y(b_y + j); st_dx(b_dx + j, yj * (ld_dy(b_dy + j) - s)); } }`;
  launchRows(rt, log ? "logSoftmax" : "softmax", bufs, rows, len, body);
}

// Column sums Σ_rows g·x̂ (weight) and Σ_rows g (bias), x̂ = (x - mean) · rstd: one workgroup per column.
function affineGrads(rt: GpuRuntime, x: KT, mean: KT | null, rstd: KT, g: KT, dw: KT | null, db: KT | null): void {
  if (!dw && !db) return;
  const { rows, len } = shapeOf(x);
  const bufs: Buf[] = [{ name: "x", t: x }, ...(mean ? [{ name: "mean", t: mean }] : []), { name: "rstd", t: rstd }, { name: "dy", t: g }];
  if (dw) bufs.push({ name: "dw", t: dw, write: true });
  if (db) bufs.push({ name: "db", t: db, write: true });
  const off = (name: string) => `mi(${2 + bufs.findIndex((b) => b.name === name)}u)`;
  const xh = `(ld_x(${off("x")} + r * n + j) - ${mean ? `ld_mean(${off("mean")} + r)` : "0.0"}) * ld_rstd(${off("rstd")} + r)`;
  const body = `
  let j = i32(g); let n = i32(md[1]); let rows = i32(md[2 + ${bufs.length}u]);
  var sw = 0.0; var sb = 0.0;
  for (var r = i32(li); r < rows; r += ${WG}) {
    let gy = ld_dy(${off("dy")} + r * n + j);
    sw += gy * ${xh};
    sb += gy;
  }
  sw = wsum(sw, li);
  sb = wsum(sb, li);
  if (valid && li == 0u) {
    ${dw ? `st_dw(${off("dw")} + j, sw);` : ""}
    ${db ? `st_db(${off("db")} + j, sb);` : ""}
  }`;
  if (rows === 0 || len === 0) return;
  rt.launch({
    key: `fusedBwd|affine|${bufs.map((b) => b.name).join(",")}`,
    code: () => [WGSL_COMMON, WGSL_MATH, META_DECL, f32Bindings(bufs), reductions(WG), mainPerGroup(WG), body, "}"].join("\n"),
    bindings: launchBindings(bufs),
    meta: [len, len, ...bufs.map((b) => b.t.offset), rows],
    groups: len,
  });
}

/** Layer norm: dx = rstd/n · (n ĝ - Σ ĝ - x̂ Σ ĝ x̂) with ĝ = g · w; dweight = Σ_rows g x̂; dbias = Σ_rows g. */
export function layerNormBackward(rt: GpuRuntime, ins: readonly KT[], outs: readonly KT[], g: KT, grads: readonly (KT | null)[], a: FusedAttrs["layerNorm"]): void {
  const [x] = ins;
  const w = a.hasWeight ? ins[1] : null;
  const [, mean, rstd] = outs;
  const dx = grads[0];
  const dw = a.hasWeight ? grads[1] : null;
  const db = a.hasBias ? grads[a.hasWeight ? 2 : 1] : null;
  if (dx) {
    const { rows, len } = shapeOf(x);
    const bufs: Buf[] = [{ name: "x", t: x }, ...(w ? [{ name: "w", t: w }] : []), { name: "mean", t: mean }, { name: "rstd", t: rstd }, { name: "dy", t: g }, { name: "dx", t: dx, write: true }];
    const wj = w ? `ld_w(mi(3u) + j)` : "1.0";
    const body = `
  let mu = ld_mean(mi(${w ? 4 : 3}u) + i32(g)); let rs = ld_rstd(mi(${w ? 5 : 4}u) + i32(g));
  var s1 = 0.0; var s2 = 0.0;
  for (var j = i32(li); j < i32(len); j += ${WG}) { let gy = ld_dy(b_dy + j) * ${wj}; s1 += gy; s2 += gy * (ld_x(b_x + j) - mu) * rs; }
  s1 = wsum(s1, li);
  s2 = wsum(s2, li);
  let nf = f32(len);
  if (valid) {
    for (var j = i32(li); j < i32(len); j += ${WG}) {
      let gy = ld_dy(b_dy + j) * ${wj};
      let xh = (ld_x(b_x + j) - mu) * rs;
      st_dx(b_dx + j, (rs / nf) * (nf * gy - s1 - xh * s2));
    }
  }`;
    launchRows(rt, "layerNorm", bufs, rows, len, body);
  }
  affineGrads(rt, x, mean, rstd, g, dw, db);
}

/** RMS norm: dx = rstd · (ĝ - x̂ · mean(ĝ x̂)) with ĝ = g · w, x̂ = x · rstd; dweight = Σ_rows g x̂. */
export function rmsNormBackward(rt: GpuRuntime, ins: readonly KT[], outs: readonly KT[], g: KT, grads: readonly (KT | null)[], a: FusedAttrs["rmsNorm"]): void {
  const [x] = ins;
  const w = a.hasWeight ? ins[1] : null;
  const rstd = outs[1];
  const dx = grads[0];
  if (dx) {
    const { rows, len } = shapeOf(x);
    const bufs: Buf[] = [{ name: "x", t: x }, ...(w ? [{ name: "w", t: w }] : []), { name: "rstd", t: rstd }, { name: "dy", t: g }, { name: "dx", t: dx, write: true }];
    const wj = w ? `ld_w(mi(3u) + j)` : "1.0";
    const body = `
  let rs = ld_rstd(mi(${w ? 4 : 3}u) + i32(g));
  var s = 0.0;
  for (var j = i32(li); j < i32(len); j += ${WG}) { s += ld_dy(b_dy + j) * ${wj} * ld_x(b_x + j) * rs; }
  s = wsum(s, li) / f32(len);
  if (valid) {
    for (var j = i32(li); j < i32(len); j += ${WG}) { st_dx(b_dx + j, rs * (ld_dy(b_dy + j) * ${wj} - ld_x(b_x + j) * rs * s)); }
  }`;
    launchRows(rt, "rmsNorm", bufs, rows, len, body);
  }
  affineGrads(rt, x, null, rstd, g, a.hasWeight ? grads[1] : null, null);
}

/** GELU: dx = g · (Φ(x) + x φ(x)) exactly, or the derivative of the tanh form. */
export function geluBackward(rt: GpuRuntime, x: KT, g: KT, dx: KT | null, approximate: "none" | "tanh"): void {
  if (!dx) return;
  const t = "f_tanh(0.7978845608028654 * (a0 + 0.044715 * a0 * a0 * a0))";
  const expr =
    approximate === "tanh"
      ? `a1 * (0.5 * (1.0 + ${t}) + 0.5 * a0 * (1.0 - ${t} * ${t}) * 0.7978845608028654 * (1.0 + 0.134145 * a0 * a0))`
      : "a1 * (0.5 * (1.0 + f_erf(a0 * 0.7071067811865476)) + a0 * 0.3989422804014327 * m_exp(-0.5 * a0 * a0))";
  runElementwise(rt, "geluBackward", [x, g], dx, expr, "float32", "float32");
}
