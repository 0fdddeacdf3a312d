// Stable sort along a dim on the CPU: values and int64 indices; NaN sorts as the largest value, as PyTorch.

import { numel, contiguousStrides } from "../../backend/index.js";
import { viaF32, type AnyKernel } from "./half-wrap.js";
import { forEachLine } from "./lines.js";
import type { CachingAllocator } from "./pool.js";

/** sort(dim, descending) -> [values, indices]; ties keep their input order in both directions. */
export function sortKernel(pool: CachingAllocator): AnyKernel {
  const run: AnyKernel = (ins, outs, attrs: { dim: number; descending: boolean }) => {
    const x = ins[0];
    const [vals, inds] = outs;
    const n = numel(x.shape);
    if (n === 0) return;
    const nd = x.shape.length;
    const dim = nd === 0 ? 0 : attrs.dim;
    const len = nd === 0 ? 1 : x.shape[dim];
    const big = x.dtype === "int64";
    const v: Float64Array | BigInt64Array = big ? new BigInt64Array(len) : new Float64Array(len);
    const order = new Int32Array(len);
    const desc = attrs.descending;
    // Comparators with the index as the last key make any sort algorithm stable.
    const cmpNum = (i: number, j: number): number => {
      const a = v[i] as number;
      const b = v[j] as number;
      if (a < b) return desc ? 1 : -1;
      if (a > b) return desc ? -1 : 1;
      const an = a !== a;
      const bn = b !== b;
      if (an !== bn) return an === !desc ? 1 : -1;
      return i - j;
    };
    const cmpBig = (i: number, j: number): number => {
      const a = v[i] as bigint;
      const b = v[j] as bigint;
      if (a < b) return desc ? 1 : -1;
      if (a > b) return desc ? -1 : 1;
      return i - j;
    };
    const cmp = big ? cmpBig : cmpNum;
    const xs = nd === 0 ? [] : x.strides;
    const st = nd === 0 ? 0 : x.strides[dim];
    const ostr = contiguousStrides(x.shape);
    const ost = nd === 0 ? 0 : ostr[dim];
    const xb = x.buffer;
    const vb = vals.buffer;
    const ib = inds.buffer as BigInt64Array;
    const line = (p: number, q: number, r: number): void => {
      for (let j = 0; j < len; j++) {
        v[j] = xb[p + j * st];
        order[j] = j;
      }
      order.sort(cmp);
      for (let j = 0; j < len; j++) {
        const k = order[j];
        vb[q + j * ost] = v[k];
        ib[r + j * ost] = BigInt(k);
      }
    };
    if (nd === 0) line(x.offset, vals.offset, inds.offset);
    else forEachLine(x.shape, dim, [xs, ostr, ostr], [x.offset, vals.offset, inds.offset], (pos) => line(pos[0], pos[1], pos[2]));
  };
  return viaF32(pool, run);
}
