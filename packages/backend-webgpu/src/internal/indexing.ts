// gather, scatter, scatterAdd, indexSelect and indexAdd in WGSL: a thread per output element (deterministic, no float atomics), out-of-range indices raised as errors.

import { numel, type DType, type KernelTensor } from "@tsorch/tensor/backend";
import { gbuf, unsupported, type GpuKernel } from "./kernel.js";
import type { GpuBuffer } from "./pool.js";
import type { GpuRuntime } from "./runtime.js";
import { MAIN_1D, META_DECL, errDecl, groupsFor, offsetsFn, stridedMeta } from "./strided.js";
import { WGSL_COMMON, bindingDecl, familyOf, isSubWord, loadFn, storeFn } from "./wgsl-dtype.js";

type KT = KernelTensor<GpuBuffer>;

// Reads an index element as i32; int64 values beyond int32 become INT32_MIN (always out of range).
function indexFn(d: DType): string {
  const ld = loadFn("ix", d);
  if (d === "int64") return `${ld}\nfn idx(p: i32) -> i32 { let v = ld_ix(p); if (l_fits(v)) { return bitcast<i32>(v.x); } return i32(-2147483647 - 1); }`;
  return `${ld}\nfn idx(p: i32) -> i32 { return ld_ix(p); }`;
}

function badIndex(op: string, dim: number, size: number): (v: number) => string {
  return (v) =>
    `${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}; indices must be in [0, ${size - 1}] (negative indices are not accepted here).`;
}

function checkIndexDtype(op: string, index: KT): void {
  if (index.dtype !== "int64" && index.dtype !== "int32")
    throw new TypeError(`${op}: index must be int64 or int32, got ${index.dtype}.`);
}

// A pseudo-operand whose "offset" is the coordinate along `dim` (stride 1 there, 0 elsewhere) plus `base`.
function coordView(nd: number, dim: number, stride = 1, base = 0) {
  const strides = new Array<number>(nd).fill(0);
  if (nd > 0) strides[dim] = stride;
  return { strides, offset: base };
}

function withDimStride(t: KT, dim: number, s = 0) {
  const strides = [...t.strides];
  if (strides.length > 0) strides[dim] = s;
  return { strides, offset: t.offset };
}

function decls(names: readonly [string, DType][], out: DType, nin: number): string[] {
  const d = [WGSL_COMMON, META_DECL];
  names.forEach(([n, dt], k) => {
    d.push(bindingDecl(k + 1, n, false, false));
    if (n !== "ix") d.push(loadFn(n, dt));
    else d.push(indexFn(dt));
  });
  d.push(bindingDecl(nin + 1, "y", true, isSubWord(out)), storeFn("y", out), errDecl(nin + 2));
  return d;
}

/** gather: out[i][j] = input[i][index[i][j]] along `dim`; out has the index's shape. */
export function gatherKernel(rt: GpuRuntime): GpuKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const [x, index] = ins;
    const out = outs[0];
    if (x.dtype === "float64") unsupported("gather", x.dtype);
    checkIndexDtype("gather", index);
    const n = numel(index.shape);
    if (n === 0) return;
    const nd = x.shape.length;
    const dim = nd === 0 ? 0 : attrs.dim;
    const size = nd === 0 ? 1 : x.shape[dim];
    const sd = nd === 0 ? 0 : x.strides[dim];
    const code = () => [
      ...decls([["x", x.dtype], ["ix", index.dtype]], out.dtype, 2),
      offsetsFn(3),
      MAIN_1D,
      "  if (i >= md[0]) { return; }",
      "  let o = offsets(i); let v = idx(o[1]);",
      "  if (v < 0 || v >= bitcast<i32>(md[3])) { raise(v); return; }",
      "  st_y(o[0], ld_x(o[2] + v * bitcast<i32>(md[2])));",
      "}",
    ].join("\n");
    const ishape = index.shape.length === 0 ? [] : index.shape;
    rt.launch({
      key: `gather|${x.dtype}|${index.dtype}|${out.dtype}`,
      code,
      bindings: [{ buf: gbuf(x) }, { buf: gbuf(index) }, { buf: gbuf(out), write: true }],
      meta: stridedMeta(ishape, [{ strides: out.strides, offset: out.offset }, { strides: index.strides, offset: index.offset }, withDimStride(x, dim)], [sd, size]),
      groups: groupsFor(n),
      onError: badIndex("gather", dim, size),
    });
  };
}

/** scatter / scatterAdd: out = input, then along `dim` src values are written (or added) where the index points; later indices win, as on the CPU. */
export function scatterKernel(rt: GpuRuntime, add: boolean, copy: GpuKernel): GpuKernel {
  const op = add ? "scatterAdd" : "scatter";
  return (ins, outs, attrs: { dim: number }) => {
    const [x, index, src] = ins;
    const out = outs[0];
    if (x.dtype === "float64") unsupported(op, x.dtype);
    checkIndexDtype(op, index);
    const nd = x.shape.length;
    const dim = nd === 0 ? 0 : attrs.dim;
    const size = nd === 0 ? 1 : x.shape[dim];
    if (numel(out.shape) === 0) return;
    // The output starts as a copy of the input; the kernel rewrites the region the index spans.
    copy([x], [out], {});
    if (numel(index.shape) === 0) return;
    const region = nd === 0 ? [] : index.shape.map((s, d) => (d === dim ? x.shape[dim] : s));
    const L = nd === 0 ? 1 : index.shape[dim];
    const f = familyOf(x.dtype);
    const combine = !add ? "acc = s;" : f === "F" || f === "I" ? "acc = acc + s;" : "acc = l_add(acc, s);";
    const code = () => [
      ...decls([["x", x.dtype], ["ix", index.dtype], ["s", src.dtype]], out.dtype, 3),
      offsetsFn(5),
      MAIN_1D,
      "  if (i >= md[0]) { return; }",
      "  let o = offsets(i); let k = o[4]; let L = md[2]; let ist = bitcast<i32>(md[3]); let sst = bitcast<i32>(md[4]);",
      "  var acc = ld_x(o[1]);",
      "  for (var j = 0; j < i32(L); j++) {",
      "    let v = idx(o[2] + j * ist);",
      "    if (v < 0 || v >= bitcast<i32>(md[5])) { raise(v); }",
      `    if (v == k) { let s = ld_s(o[3] + j * sst); ${combine} }`,
      "  }",
      "  st_y(o[0], acc);",
      "}",
    ].join("\n");
    const views = [
      { strides: out.strides, offset: out.offset },
      { strides: x.strides, offset: x.offset },
      withDimStride(index, dim),
      withDimStride(src, dim),
      coordView(nd, dim),
    ];
    rt.launch({
      key: `${op}|${x.dtype}|${index.dtype}|${src.dtype}|${out.dtype}`,
      code,
      bindings: [{ buf: gbuf(x) }, { buf: gbuf(index) }, { buf: gbuf(src) }, { buf: gbuf(out), write: true }],
      meta: stridedMeta(region, views, [L, nd === 0 ? 0 : index.strides[dim], nd === 0 ? 0 : src.strides[dim], size]),
      groups: groupsFor(numel(region)),
      onError: badIndex(op, dim, size),
    });
  };
}

/** indexSelect: out.select(dim, j) = input.select(dim, index[j]). */
export function indexSelectKernel(rt: GpuRuntime): GpuKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const [x, index] = ins;
    const out = outs[0];
    if (x.dtype === "float64") unsupported("indexSelect", x.dtype);
    checkIndexDtype("indexSelect", index);
    const n = numel(out.shape);
    if (n === 0) return;
    const nd = x.shape.length;
    const dim = nd === 0 ? 0 : attrs.dim;
    const size = nd === 0 ? 1 : x.shape[dim];
    const ist = index.shape.length === 0 ? 0 : index.strides[0];
    const code = () => [
      ...decls([["x", x.dtype], ["ix", index.dtype]], out.dtype, 2),
      offsetsFn(3),
      MAIN_1D,
      "  if (i >= md[0]) { return; }",
      "  let o = offsets(i); let v = idx(o[2]);",
      "  if (v < 0 || v >= bitcast<i32>(md[3])) { raise(v); return; }",
      "  st_y(o[0], ld_x(o[1] + v * bitcast<i32>(md[2])));",
      "}",
    ].join("\n");
    rt.launch({
      key: `indexSelect|${x.dtype}|${index.dtype}|${out.dtype}`,
      code,
      bindings: [{ buf: gbuf(x) }, { buf: gbuf(index) }, { buf: gbuf(out), write: true }],
      meta: stridedMeta(out.shape, [{ strides: out.strides, offset: out.offset }, withDimStride(x, dim), coordView(nd, dim, ist, index.offset)], [nd === 0 ? 0 : x.strides[dim], size]),
      groups: groupsFor(n),
      onError: badIndex("indexSelect", dim, size),
    });
  };
}

/** indexAdd: out = input, then out.select(dim, index[j]) += source.select(dim, j) (repeats accumulate in index order). */
export function indexAddKernel(rt: GpuRuntime): GpuKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const [x, index, source] = ins;
    const out = outs[0];
    if (x.dtype === "float64") unsupported("indexAdd", x.dtype);
    checkIndexDtype("indexAdd", index);
    const n = numel(out.shape);
    if (n === 0) return;
    const nd = x.shape.length;
    const dim = nd === 0 ? 0 : attrs.dim;
    const size = nd === 0 ? 1 : x.shape[dim];
    const L = numel(index.shape);
    const f = familyOf(x.dtype);
    const code = () => [
      ...decls([["x", x.dtype], ["ix", index.dtype], ["s", source.dtype]], out.dtype, 3),
      offsetsFn(4),
      MAIN_1D,
      "  if (i >= md[0]) { return; }",
      "  let o = offsets(i); let k = o[3]; let L = md[2]; let ist = bitcast<i32>(md[3]); let sst = bitcast<i32>(md[4]);",
      "  var acc = ld_x(o[1]);",
      "  for (var j = 0; j < i32(L); j++) {",
      "    let v = idx(bitcast<i32>(md[6]) + j * ist);",
      "    if (v < 0 || v >= bitcast<i32>(md[5])) { raise(v); }",
      `    if (v == k) { let s = ld_s(o[2] + j * sst); ${f === "L" ? "acc = l_add(acc, s);" : "acc = acc + s;"} }`,
      "  }",
      "  st_y(o[0], acc);",
      "}",
    ].join("\n");
    const ist = index.shape.length === 0 ? 0 : index.strides[0];
    rt.launch({
      key: `indexAdd|${x.dtype}|${index.dtype}|${source.dtype}|${out.dtype}`,
      code,
      bindings: [{ buf: gbuf(x) }, { buf: gbuf(index) }, { buf: gbuf(source) }, { buf: gbuf(out), write: true }],
      meta: stridedMeta(out.shape, [{ strides: out.strides, offset: out.offset }, { strides: x.strides, offset: x.offset }, withDimStride(source, dim), coordView(nd, dim)], [
        L,
        ist,
        nd === 0 ? 0 : source.strides[dim],
        size,
        index.offset,
      ]),
      groups: groupsFor(n),
      onError: badIndex("indexAdd", dim, size),
    });
  };
}
