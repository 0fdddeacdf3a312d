// gather, scatter, scatterAdd, indexSelect and indexAdd on the CPU, with PyTorch's index checks (no wrap, no negatives).

import { numel, contiguousStrides } from "../../backend/index.js";
import type { AnyKernel } from "./half-wrap.js";
import { viaF32 } from "./half-wrap.js";
import { forEachLine } from "./lines.js";
import type { CachingAllocator } from "./pool.js";
import { type CpuTensor } from "./strides.js";

type IndexArray = Int32Array | BigInt64Array;

function badIndex(op: string, v: number, dim: number, size: number): never {
  throw new RangeError(
    `${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}; indices must be in [0, ${size - 1}] (negative indices are not accepted here).`,
  );
}

// Walks the index tensor line by line along its last dim; `visit(v, pIdxElem, base)` gets each index value
// and the storage positions of the other operands with the dim coordinate left out.
function walkIndex(
  op: string,
  index: CpuTensor,
  dim: number,
  size: number,
  others: readonly (readonly number[])[],
  offsets: readonly number[],
  visit: (v: number, pos: readonly number[], j: number) => void,
): void {
  const shape = index.shape;
  const nd = shape.length;
  if (numel(shape) === 0) return;
  const ib = index.buffer as IndexArray;
  if (nd === 0) {
    const v = Number(ib[index.offset]);
    if (v < 0 || v >= size) badIndex(op, v, dim, size);
    visit(v, [index.offset, ...offsets], 0);
    return;
  }
  const last = nd - 1;
  const len = shape[last];
  const ist = index.strides[last];
  forEachLine(shape, last, [index.strides, ...others], [index.offset, ...offsets], (pos) => {
    let p = pos[0];
    for (let j = 0; j < len; j++) {
      const v = Number(ib[p]);
      if (v < 0 || v >= size) badIndex(op, v, dim, size);
      visit(v, pos, j);
      p += ist;
    }
  });
}

/** gather: out[i][j] = input[i][index[i][j]] along `dim`; out has the index's shape. */
export function gatherKernel(): AnyKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const [x, index] = ins;
    const out = outs[0];
    const dim = x.shape.length === 0 ? 0 : attrs.dim;
    const size = x.shape.length === 0 ? 1 : x.shape[dim];
    const xs = x.strides.slice();
    const sd = xs.length === 0 ? 0 : xs[dim];
    if (xs.length > 0) xs[dim] = 0;
    const os = contiguousStrides(out.shape);
    const last = Math.max(index.shape.length - 1, 0);
    const xl = xs.length === 0 ? 0 : xs[last];
    const ol = os.length === 0 ? 0 : os[last];
    const xb = x.buffer;
    const ob = out.buffer;
    walkIndex("gather", index, dim, size, [xs, os], [x.offset, out.offset], (v, pos, j) => {
      ob[pos[2] + j * ol] = xb[pos[1] + j * xl + v * sd];
    });
  };
}

function scatterLike(op: "scatter" | "scatterAdd", copy: AnyKernel): AnyKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const [x, index, src] = ins;
    const out = outs[0];
    copy([x], [out], {});
    const dim = x.shape.length === 0 ? 0 : attrs.dim;
    const size = x.shape.length === 0 ? 1 : x.shape[dim];
    const os = contiguousStrides(out.shape);
    const sd = os.length === 0 ? 0 : os[dim];
    if (os.length > 0) os[dim] = 0;
    const last = Math.max(index.shape.length - 1, 0);
    const ol = os.length === 0 ? 0 : os[last];
    const ss = src.strides;
    const sl = ss.length === 0 ? 0 : ss[last];
    const ob = out.buffer as Float64Array;
    const sb = src.buffer as Float64Array;
    if (op === "scatter") {
      walkIndex(op, index, dim, size, [ss, os], [src.offset, out.offset], (v, pos, j) => {
        ob[pos[2] + j * ol + v * sd] = sb[pos[1] + j * sl];
      });
    } else if (out.dtype === "bool") {
      walkIndex(op, index, dim, size, [ss, os], [src.offset, out.offset], (v, pos, j) => {
        const q = pos[2] + j * ol + v * sd;
        ob[q] = ob[q] | sb[pos[1] + j * sl];
      });
    } else {
      walkIndex(op, index, dim, size, [ss, os], [src.offset, out.offset], (v, pos, j) => {
        const q = pos[2] + j * ol + v * sd;
        ob[q] = ob[q] + sb[pos[1] + j * sl];
      });
    }
  };
}

/** scatter: out = input with out[..index..] = src along `dim` (moves values, so half dtypes run natively). */
export function scatterKernel(copy: AnyKernel): AnyKernel {
  return scatterLike("scatter", copy);
}

/** scatterAdd: out = input with src accumulated at index along `dim`. */
export function scatterAddKernel(pool: CachingAllocator, copy: AnyKernel): AnyKernel {
  return viaF32(pool, scatterLike("scatterAdd", copy));
}

function checkIndex1d(op: string, index: CpuTensor, dim: number, size: number): number[] {
  const n = numel(index.shape);
  const st = index.shape.length === 0 ? 0 : index.strides[0];
  const ib = index.buffer as IndexArray;
  const out = new Array<number>(n);
  for (let j = 0; j < n; j++) {
    const v = Number(ib[index.offset + j * st]);
    if (v < 0 || v >= size) badIndex(op, v, dim, size);
    out[j] = v;
  }
  return out;
}

function sliceView(t: CpuTensor, dim: number, i: number, strides: readonly number[], offset: number): CpuTensor {
  const shape = t.shape.slice();
  if (shape.length > 0) shape[dim] = 1;
  return { buffer: t.buffer, dtype: t.dtype, shape, strides, offset: offset + (shape.length > 0 ? i * strides[dim] : 0) };
}

/** indexSelect: out.select(dim, j) = input.select(dim, index[j]), one strided copy per index. */
export function indexSelectKernel(copy: AnyKernel): AnyKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const [x, index] = ins;
    const out = outs[0];
    const dim = x.shape.length === 0 ? 0 : attrs.dim;
    const size = x.shape.length === 0 ? 1 : x.shape[dim];
    const idx = checkIndex1d("indexSelect", index, dim, size);
    const os = contiguousStrides(out.shape);
    for (let j = 0; j < idx.length; j++)
      copy([sliceView(x, dim, idx[j], x.strides, x.offset)], [sliceView(out, dim, j, os, out.offset)], {});
  };
}

/** indexAdd: out = input, then out.select(dim, index[j]) += source.select(dim, j) (repeats accumulate). */
export function indexAddKernel(copy: AnyKernel, add: AnyKernel): AnyKernel {
  return (ins, outs, attrs: { dim: number }) => {
    const [x, index, source] = ins;
    const out = outs[0];
    copy([x], [out], {});
    const dim = x.shape.length === 0 ? 0 : attrs.dim;
    const size = x.shape.length === 0 ? 1 : x.shape[dim];
    const idx = checkIndex1d("indexAdd", index, dim, size);
    const os = contiguousStrides(out.shape);
    for (let j = 0; j < idx.length; j++) {
      const o = sliceView(out, dim, idx[j], os, out.offset);
      add([o, sliceView(source, dim, j, source.strides, source.offset)], [o], {});
    }
  };
}
