// Fused row kernels, forward (softmax, logSoftmax, layerNorm, rmsNorm over the last dim): one workgroup per row, reductions in workgroup memory.

import { numel, type DType, type KernelTensor } from "@tsorch/tensor/backend";
import { gbuf, unsupported } from "../kernel.js";
import type { GpuBuffer } from "../pool.js";
import type { GpuRuntime } from "../runtime.js";
import { META_DECL, SHAPE_AT, WG, offsetsFn, stridedMeta } from "../strided.js";
import { WGSL_COMMON, bindingDecl, familyOf, isSubWord, loadFn, storeFn } from "../wgsl-dtype.js";
import { WGSL_MATH } from "../wgsl-math.js";

type KT = KernelTensor<GpuBuffer>;
export type RowKind = "softmax" | "logSoftmax" | "layerNorm" | "rmsNorm";

// Row body per kind: x(j) reads element j of the row, put(k, j, v) writes output k.
function body(kind: RowKind, hasW: boolean, hasB: boolean): string {
  const w = hasW ? "ld_w(bitcast<i32>(ex(3u)) + i32(j) * bitcast<i32>(ex(4u)))" : "1.0";
  const b = hasB ? "ld_b(bitcast<i32>(ex(5u)) + i32(j) * bitcast<i32>(ex(6u)))" : "0.0";
  switch (kind) {
    case "softmax":
    case "logSoftmax": {
      const v = kind === "softmax" ? "m_exp(xj(j) - m) / s" : "xj(j) - m - m_log(s)";
      return `
  var m = -f_inf();
  for (var j = li; j < len; j += ${WG}u) { m = f_max(m, xj(j)); }
  m = wred(m, li, true);
  var s = 0.0;
  for (var j = li; j < len; j += ${WG}u) { s += m_exp(xj(j) - m); }
  s = wred(s, li, false);
  if (valid) { for (var j = li; j < len; j += ${WG}u) { st_y0(o[0] + i32(j) * yst, ${v}); } }`;
    }
    case "layerNorm":
      return `
  var s = 0.0;
  for (var j = li; j < len; j += ${WG}u) { s += xj(j); }
  let mean = wred(s, li, false) / f32(len);
  var q = 0.0;
  for (var j = li; j < len; j += ${WG}u) { let d = xj(j) - mean; q += d * d; }
  let rstd = 1.0 / sqrt(wred(q, li, false) / f32(len) + bitcast<f32>(ex(7u)));
  if (valid) {
    for (var j = li; j < len; j += ${WG}u) { st_y0(o[0] + i32(j) * yst, (xj(j) - mean) * rstd * ${w} + ${b}); }
    if (li == 0u) { st_y1(o[1], mean); st_y2(o[2], rstd); }
  }`;
    case "rmsNorm":
      return `
  var q = 0.0;
  for (var j = li; j < len; j += ${WG}u) { let v = xj(j); q += v * v; }
  let rstd = 1.0 / sqrt(wred(q, li, false) / f32(len) + bitcast<f32>(ex(7u)));
  if (valid) {
    for (var j = li; j < len; j += ${WG}u) { st_y0(o[0] + i32(j) * yst, xj(j) * rstd * ${w}); }
    if (li == 0u) { st_y1(o[1], rstd); }
  }`;
  }
}

function rowSource(kind: RowKind, x: DType, outs: readonly DType[], w: DType | null, b: DType | null): string {
  const k = outs.length + 1;
  const decls = [WGSL_COMMON, WGSL_MATH, META_DECL, bindingDecl(1, "x", false, false), loadFn("x", x)];
  let at = 2;
  if (w) decls.push(bindingDecl(at++, "w", false, false), loadFn("w", w));
  if (b) decls.push(bindingDecl(at++, "b", false, false), loadFn("b", b));
  outs.forEach((d, i) => decls.push(bindingDecl(at++, `y${i}`, true, isSubWord(d)), storeFn(`y${i}`, d)));
  return [
    ...decls,
    offsetsFn(k),
    `fn ex(j: u32) -> u32 { let nd = md[1]; return md[${SHAPE_AT}u + nd + ${k}u * (nd + 1u) + j]; }`,
    `var<workgroup> sh: array<f32, ${WG}>;`,
    `fn wred(v: f32, li: u32, isMax: bool) -> f32 {
  sh[li] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (li < s) { sh[li] = select(sh[li] + sh[li + s], f_max(sh[li], sh[li + s]), isMax); }
    workgroupBarrier();
  }
  let r = sh[0];
  workgroupBarrier();
  return r;
}`,
    `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let g = wid.y * nwg.x + wid.x;
  let valid = g < md[0];
  let o = offsets(min(g, md[0] - 1u));
  let len = ex(0u); let xst = bitcast<i32>(ex(1u)); let yst = bitcast<i32>(ex(2u));
  let xo = o[${k - 1}];`,
    `  ${"" /* the row reader closes over xo and xst */}`,
    body(kind, !!w, !!b).replaceAll("xj(j)", "ld_x(xo + i32(j) * xst)"),
    "}",
  ].join("\n");
}

function keptOf(t: KT): { strides: number[]; offset: number } {
  return { strides: t.strides.slice(0, -1) as number[], offset: t.offset };
}

/** Launches a row kernel: one workgroup per row of `x` (any strides), writing `outs` (y, then the statistics). */
export function runRows(rt: GpuRuntime, kind: RowKind, x: KT, outs: readonly KT[], w: KT | null, b: KT | null, eps: number): void {
  if (x.dtype === "float64" || familyOf(x.dtype) !== "F") unsupported(kind, x.dtype);
  const nd = x.shape.length;
  const len = nd === 0 ? 1 : x.shape[nd - 1];
  const rows = len === 0 ? 0 : numel(x.shape) / len;
  if (rows === 0) return;
  const kept = nd === 0 ? [] : x.shape.slice(0, -1);
  const views = [...outs.map((o) => (o.shape.length === 0 ? { strides: [], offset: o.offset } : keptOf(o))), nd === 0 ? { strides: [], offset: x.offset } : keptOf(x)];
  const meta = stridedMeta(kept, views);
  const last = (t: KT | null) => (t && t.shape.length > 0 ? t.strides[t.shape.length - 1] : 0);
  const epsBits = new Uint32Array(new Float32Array([eps]).buffer)[0];
  meta.push(len, last(x) >>> 0, last(outs[0]) >>> 0, (w?.offset ?? 0) >>> 0, last(w) >>> 0, (b?.offset ?? 0) >>> 0, last(b) >>> 0, epsBits);
  const ds = outs.map((o) => o.dtype);
  rt.launch({
    key: `row|${kind}|${x.dtype}|${ds.join(",")}|${w?.dtype ?? "-"}|${b?.dtype ?? "-"}`,
    code: () => rowSource(kind, x.dtype, ds, w?.dtype ?? null, b?.dtype ?? null),
    bindings: [
      { buf: gbuf(x) },
      ...(w ? [{ buf: gbuf(w) }] : []),
      ...(b ? [{ buf: gbuf(b) }] : []),
      ...outs.map((o) => ({ buf: gbuf(o), write: true })),
    ],
    meta,
    groups: rows,
  });
}
