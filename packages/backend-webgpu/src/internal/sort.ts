// Stable sort along a dim in WGSL: a thread per line runs a bottom-up merge sort of indices in a scratch buffer; NaN sorts as the largest value, as PyTorch.

import { numel } from "@tsorch/tensor/backend";
import { gbuf, unsupported, type GpuKernel } from "./kernel.js";
import type { GpuRuntime } from "./runtime.js";
import { MAIN_1D, META_DECL, groupsFor, offsetsFn, stridedMeta } from "./strided.js";
import { WGSL_COMMON, bindingDecl, familyOf, isSubWord, loadFn, storeFn } from "./wgsl-dtype.js";

/** sort(dim, descending) -> [values, int64 indices]; ties keep their input order in both directions. */
export function sortKernel(rt: GpuRuntime): GpuKernel {
  return (ins, outs, attrs: { dim: number; descending: boolean }) => {
    const x = ins[0];
    const [vals, inds] = outs;
    if (x.dtype === "float64") unsupported("sort", x.dtype);
    const n = numel(x.shape);
    if (n === 0) return;
    const nd = x.shape.length;
    const dim = nd === 0 ? 0 : attrs.dim;
    const len = nd === 0 ? 1 : x.shape[dim];
    const lines = n / len;
    const f = familyOf(x.dtype);
    const desc = attrs.descending;
    // before(a, b): a must come strictly before b.
    const before =
      f === "F"
        ? desc
          ? "a > b || (is_nan(a) && !is_nan(b))"
          : "a < b || (is_nan(b) && !is_nan(a))"
        : f === "I"
          ? desc ? "a > b" : "a < b"
          : desc ? "l_lt(b, a)" : "l_lt(a, b)";
    const code = () => [
      WGSL_COMMON,
      META_DECL,
      bindingDecl(1, "x", false, false),
      bindingDecl(2, "vals", true, isSubWord(vals.dtype)),
      bindingDecl(3, "ind", true, false),
      bindingDecl(4, "sc", true, false),
      loadFn("x", x.dtype),
      storeFn("vals", vals.dtype),
      storeFn("ind", "int64"),
      offsetsFn(3),
      `fn lt(p: i32, st: i32, i: u32, j: u32) -> bool { let a = ld_x(p + i32(i) * st); let b = ld_x(p + i32(j) * st); return ${before}; }`,
      MAIN_1D,
      "  if (i >= md[0]) { return; }",
      "  let o = offsets(i); let len = md[2]; let st = bitcast<i32>(md[3]); let ost = bitcast<i32>(md[4]);",
      "  let base = i * 2u * len;",
      "  for (var j = 0u; j < len; j++) { sc[base + j] = j; }",
      "  var src = base; var dst = base + len; var w = 1u;",
      "  loop {",
      "    if (w >= len) { break; }",
      "    for (var lo = 0u; lo < len; lo += 2u * w) {",
      "      let mid = min(lo + w, len); let hi = min(lo + 2u * w, len);",
      "      var a = lo; var b = mid; var k = lo;",
      "      loop {",
      "        if (k >= hi) { break; }",
      "        if (a < mid && (b >= hi || !lt(o[2], st, sc[src + b], sc[src + a]))) { sc[dst + k] = sc[src + a]; a++; }",
      "        else { sc[dst + k] = sc[src + b]; b++; }",
      "        k++;",
      "      }",
      "    }",
      "    let t = src; src = dst; dst = t; w = w * 2u;",
      "  }",
      "  for (var j = 0u; j < len; j++) {",
      "    let k = sc[src + j];",
      "    st_vals(o[0] + i32(j) * ost, ld_x(o[2] + i32(k) * st));",
      "    st_ind(o[1] + i32(j) * ost, vec2<u32>(k, 0u));",
      "  }",
      "}",
    ].join("\n");
    const keep = (a: readonly number[]) => (nd === 0 ? [] : a.filter((_, d) => d !== dim));
    const ost = nd === 0 ? 0 : vals.strides[dim];
    const meta = stridedMeta(
      keep(x.shape),
      [
        { strides: keep(vals.strides), offset: vals.offset },
        { strides: keep(inds.strides), offset: inds.offset },
        { strides: keep(x.strides), offset: x.offset },
      ],
      [len, nd === 0 ? 0 : x.strides[dim], ost],
    );
    const scratch = rt.pool.alloc(lines * 2 * len * 4, "sort scratch");
    rt.launch({
      key: `sort|${x.dtype}|${vals.dtype}|${desc}`,
      code,
      bindings: [{ buf: gbuf(x) }, { buf: gbuf(vals), write: true }, { buf: gbuf(inds), write: true }, { buf: scratch.buffer, write: true }],
      meta,
      groups: groupsFor(lines),
    });
    rt.pool.release(scratch);
  };
}
