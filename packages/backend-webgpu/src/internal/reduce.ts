// Reductions (sum, prod, max, min over dims), argmax / argmin and cumsum in WGSL: a thread per output, or a workgroup tree per output for long reductions.

import { numel, type ArgReduceOp, type DType, type KernelTensor, type ReduceOp } from "@tsorch/tensor/backend";
import { gbuf, unsupported, type GpuKernel } from "./kernel.js";
import type { GpuBuffer } from "./pool.js";
import type { GpuRuntime } from "./runtime.js";
import { MAIN_1D, META_DECL, SHAPE_AT, WG, collapse, groupsFor, offsetsFn, stridedMeta } from "./strided.js";
import { WGSL_COMMON, bindingDecl, convertExpr, familyOf, isSubWord, loadFn, storeFn, wgslType, type Family } from "./wgsl-dtype.js";
import { WGSL_MATH } from "./wgsl-math.js";

const COMBINE: { readonly [K in ReduceOp]: Record<Family, string> } = {
  sum: { F: "a + b", I: "a + b", L: "l_add(a, b)" },
  prod: { F: "a * b", I: "a * b", L: "l_mul(a, b)" },
  max: { F: "f_max(a, b)", I: "max(a, b)", L: "select(a, b, l_lt(a, b))" },
  min: { F: "f_min(a, b)", I: "min(a, b)", L: "select(a, b, l_lt(b, a))" },
};

function header(x: DType, out: DType): string[] {
  return [
    WGSL_COMMON,
    WGSL_MATH,
    META_DECL,
    bindingDecl(1, "x", false, false),
    bindingDecl(2, "y", true, isSubWord(out)),
    loadFn("x", x),
    storeFn("y", out),
    offsetsFn(2),
  ];
}

// Offset of reduced element j: the reduced block follows the kept block's meta (p1 = its rank).
const ROFF = /* wgsl */ `
fn roff(j0: u32) -> i32 {
  let nd = md[1];
  let b = ${SHAPE_AT}u + nd + 2u * (nd + 1u);
  let nr = md[3];
  var r = 0; var rem = j0;
  for (var dd = i32(nr) - 1; dd >= 0; dd--) {
    let d = u32(dd);
    let s = md[b + d];
    r += i32(rem % s) * bitcast<i32>(md[b + nr + d]);
    rem = rem / s;
  }
  return r;
}`;

function reduceSource(op: ReduceOp, x: DType, out: DType, wg: boolean): string {
  const f = familyOf(x);
  const T = wgslType(f);
  const comb = `fn comb(a: ${T}, b: ${T}) -> ${T} { return ${COMBINE[op][f]}; }`;
  const init = op === "sum" ? (f === "F" ? "0.0" : f === "I" ? "0" : "vec2<u32>(0u, 0u)") : op === "prod" ? (f === "F" ? "1.0" : f === "I" ? "1" : "vec2<u32>(1u, 0u)") : "";
  const kahan = op === "sum" && f === "F";
  const first = init === "" ? "var acc = ld_x(base + roff(START)); var j = START + STEP;" : `var acc: ${T} = ${init}; var j = START;`;
  const loop = kahan
    ? "var cmp = 0.0; for (; j < r; j += STEP) { let v = ld_x(base + roff(j)) - cmp; let t = acc + v; cmp = (t - acc) - v; acc = t; }"
    : "for (; j < r; j += STEP) { acc = comb(acc, ld_x(base + roff(j))); }";
  if (!wg) {
    return [
      ...header(x, out),
      comb,
      ROFF,
      MAIN_1D,
      "  if (i >= md[0]) { return; }",
      "  let o = offsets(i); let base = o[1]; let r = md[2];",
      "  " + first.replaceAll("START", "0u").replaceAll("STEP", "1u"),
      "  " + loop.replaceAll("STEP", "1u"),
      `  st_y(o[0], ${convertExpr("acc", x, out)});`,
      "}",
    ].join("\n");
  }
  return [
    ...header(x, out),
    comb,
    ROFF,
    `var<workgroup> sh: array<${T}, ${WG}>;`,
    `@compute @workgroup_size(${WG})`,
    "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {",
    "  let g = wid.y * nwg.x + wid.x;",
    "  let o = offsets(min(g, md[0] - 1u)); let base = o[1]; let r = md[2];",
    "  " + first.replaceAll("START", "li").replaceAll("STEP", `${WG}u`),
    "  " + loop.replaceAll("STEP", `${WG}u`),
    "  sh[li] = acc;",
    "  workgroupBarrier();",
    `  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {`,
    "    if (li < s) { sh[li] = comb(sh[li], sh[li + s]); }",
    "    workgroupBarrier();",
    "  }",
    `  if (li == 0u && g < md[0]) { st_y(o[0], ${convertExpr("sh[0]", x, out)}); }`,
    "}",
  ].join("\n");
}

/** sum / prod / max / min over `attrs.dims`; the output keeps size 1 there. */
export function reduceKernel(rt: GpuRuntime, op: ReduceOp): GpuKernel {
  return (ins, outs, attrs: { dims: readonly number[] }) => {
    const x = ins[0];
    const out = outs[0];
    if (x.dtype === "float64") unsupported(op, x.dtype);
    const m = numel(out.shape);
    if (m === 0) return;
    const n = numel(x.shape);
    if (n === 0 && (op === "max" || op === "min"))
      throw new RangeError(`${op}: cannot reduce over a zero-size dimension (input shape [${x.shape.join(", ")}]); max/min of an empty tensor has no identity.`);
    const red = new Set(attrs.dims);
    const keptShape: number[] = [], keptX: number[] = [], keptO: number[] = [], redShape: number[] = [], redX: number[] = [];
    x.shape.forEach((s, d) => {
      if (red.has(d)) {
        redShape.push(s);
        redX.push(x.strides[d]);
      } else {
        keptShape.push(s);
        keptX.push(x.strides[d]);
        keptO.push(out.strides[d]);
      }
    });
    const r = numel(redShape);
    const rc = collapse(redShape, [{ strides: redX, offset: 0 }]);
    const meta = stridedMeta(keptShape, [{ strides: keptO, offset: out.offset }, { strides: keptX, offset: x.offset }], [r, rc.shape.length]);
    meta.push(...rc.shape, ...rc.strides[0].map((s) => s >>> 0));
    const wg = r >= 2 * WG && m < 8192;
    rt.launch({
      key: `reduce|${op}|${x.dtype}|${out.dtype}|${wg}`,
      code: () => reduceSource(op, x.dtype, out.dtype, wg),
      bindings: [{ buf: gbuf(x) }, { buf: gbuf(out), write: true }],
      meta,
      groups: wg ? m : groupsFor(m),
    });
  };
}

// Kept-dims meta for a walk along one dim: operands (out..., x), p0 = length, p1 = x stride, p2 = out stride along dim.
function lineMeta(x: KernelTensor<GpuBuffer>, outs: readonly KernelTensor<GpuBuffer>[], dim: number, outStride: number): number[] {
  const keep = (a: readonly number[]) => a.filter((_, d) => d !== dim);
  const shape = x.shape.length === 0 ? [] : keep(x.shape);
  const views = [...outs.map((o) => ({ strides: o.shape.length === 0 ? [] : keep(o.strides), offset: o.offset })), { strides: x.shape.length === 0 ? [] : keep(x.strides), offset: x.offset }];
  const len = x.shape.length === 0 ? 1 : x.shape[dim];
  const st = x.shape.length === 0 ? 0 : x.strides[dim];
  return stridedMeta(shape, views, [len, st, outStride]);
}

/** argmax / argmin along `attrs.dim`: first occurrence wins; NaN counts as the extreme (PyTorch). */
export function argReduceKernel(rt: GpuRuntime, op: ArgReduceOp): GpuKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const x = ins[0];
    const out = outs[0];
    if (x.dtype === "float64") unsupported(op, x.dtype);
    const dim = x.shape.length === 0 ? 0 : attrs.dim;
    const len = x.shape.length === 0 ? 1 : x.shape[dim];
    const m = numel(out.shape);
    if (m === 0) return;
    if (len === 0) throw new RangeError(`${op}: cannot take ${op} over dim ${dim} of size 0 (input shape [${x.shape.join(", ")}]).`);
    const f = familyOf(x.dtype);
    const c = op === "argmax" ? ">" : "<";
    const better = f === "F" ? `v ${c} best || (is_nan(v) && !is_nan(best))` : f === "I" ? `v ${c} best` : op === "argmax" ? "l_lt(best, v)" : "l_lt(v, best)";
    const code = () => [
      ...header(x.dtype, "int64"),
      MAIN_1D,
      "  if (i >= md[0]) { return; }",
      "  let o = offsets(i); let len = md[2]; let st = bitcast<i32>(md[3]);",
      "  var best = ld_x(o[1]); var bi = 0u;",
      "  for (var j = 1u; j < len; j++) { let v = ld_x(o[1] + i32(j) * st); if (" + better + ") { best = v; bi = j; } }",
      "  st_y(o[0], vec2<u32>(bi, 0u));",
      "}",
    ].join("\n");
    const outStrides = out.shape.length === 0 ? [] : out.strides;
    rt.launch({ key: `arg|${op}|${x.dtype}`, code, bindings: [{ buf: gbuf(x) }, { buf: gbuf(out), write: true }], meta: lineMeta(x, [{ ...out, strides: outStrides }], dim, 0), groups: groupsFor(m) });
  };
}

/** Inclusive prefix sum along `attrs.dim` (float sums are compensated, as the CPU sums in double). */
export function cumsumKernel(rt: GpuRuntime): GpuKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const x = ins[0];
    const out = outs[0];
    if (x.dtype === "float64") unsupported("cumsum", x.dtype);
    const n = numel(x.shape);
    if (n === 0) return;
    const dim = x.shape.length === 0 ? 0 : attrs.dim;
    const len = x.shape.length === 0 ? 1 : x.shape[dim];
    const lines = n / len;
    const f = familyOf(x.dtype);
    const T = wgslType(f);
    const step =
      f === "F"
        ? "let v = a - cmp; let t = s + v; cmp = (t - s) - v; s = t;"
        : f === "I"
          ? "s = s + a;"
          : "s = l_add(s, a);";
    const zero = f === "F" ? "0.0" : f === "I" ? "0" : "vec2<u32>(0u, 0u)";
    const code = () => [
      ...header(x.dtype, out.dtype),
      MAIN_1D,
      "  if (i >= md[0]) { return; }",
      "  let o = offsets(i); let len = md[2]; let st = bitcast<i32>(md[3]); let ost = bitcast<i32>(md[4]);",
      `  var s: ${T} = ${zero}; var cmp = 0.0;`,
      `  for (var j = 0u; j < len; j++) { let a = ld_x(o[1] + i32(j) * st); ${step} st_y(o[0] + i32(j) * ost, ${x.dtype === "bool" ? "select(0, 1, s != 0)" : convertExpr("s", x.dtype, out.dtype)}); }`,
      "}",
    ].join("\n");
    const os = out.shape.length === 0 ? 0 : out.strides[dim];
    rt.launch({ key: `cumsum|${x.dtype}|${out.dtype}`, code, bindings: [{ buf: gbuf(x) }, { buf: gbuf(out), write: true }], meta: lineMeta(x, [out], dim, os), groups: groupsFor(lines) });
  };
}
