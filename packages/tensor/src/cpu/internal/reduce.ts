// Reductions (sum, prod, max, min over dims), argmax / argmin and cumsum on the CPU, generated per dtype.

import { numel, contiguousStrides, type ArgReduceOp, type DType, type ReduceOp, type StorageArray } from "../../backend/index.js";
import { dtIndex } from "./elementwise.js";
import { viaF32, type AnyKernel } from "./half-wrap.js";
import { forEachLine } from "./lines.js";
import type { CachingAllocator } from "./pool.js";
import { collapse, type CpuTensor } from "./strides.js";

type ReduceFn = (acc: StorageArray, accStrides: readonly number[], x: CpuTensor, n: number) => void;

const COMBINE: { readonly [K in ReduceOp]: { num: string; i32?: string; big: string } } = {
  sum: { num: "s + a0", big: "s + a0" },
  prod: { num: "s * a0", i32: "Math.imul(s, a0)", big: "BigInt.asIntN(64, s * a0)" },
  max: { num: "(a0 > s || a0 !== a0 ? a0 : s)", big: "(a0 > s ? a0 : s)" },
  min: { num: "(a0 < s || a0 !== a0 ? a0 : s)", big: "(a0 < s ? a0 : s)" },
};

// Identity of each reduction per dtype (max/min of ints start at the dtype's extreme).
function initOf(op: string, d: DType): number | bigint {
  const big = d === "int64";
  if (op === "sum") return big ? 0n : 0;
  if (op === "prod") return big ? 1n : 1;
  const isMax = op === "max";
  switch (d) {
    case "int64": return isMax ? -(2n ** 63n) : 2n ** 63n - 1n;
    case "int32": return isMax ? -2147483648 : 2147483647;
    case "uint8": return isMax ? 0 : 255;
    case "bool": return isMax ? 0 : 1;
    default: return isMax ? -Infinity : Infinity;
  }
}

// Walks x over its (collapsed) shape; the accumulator has stride 0 on reduced dims. When the innermost
// dim is reduced, the partial result stays in a local (a double, even for float32 inputs).
function compileReduce(combine: string): ReduceFn {
  const src = `
"use strict";
return function reduce(acc, accStrides, x, n) {
  const b = x.buffer;
  const C = collapse(x.shape, [accStrides, x.strides]);
  const cs = C.shape, sa = C.strides[0], sx = C.strides[1];
  const last = cs.length - 1, inner = cs[last], ia = sa[last], ix = sx[last];
  const idx = new Int32Array(cs.length);
  let pa = 0, px = x.offset;
  const outer = n / inner;
  for (let it = 0; it < outer; it++) {
    if (ia === 0) {
      let s = acc[pa];
      let q = px;
      for (let j = 0; j < inner; j++) { const a0 = b[q]; s = ${combine}; q += ix; }
      acc[pa] = s;
    } else {
      let q = px, qa = pa;
      for (let j = 0; j < inner; j++) { const a0 = b[q]; const s = acc[qa]; acc[qa] = ${combine}; q += ix; qa += ia; }
    }
    for (let d = last - 1; d >= 0; d--) {
      if (++idx[d] < cs[d]) { pa += sa[d]; px += sx[d]; break; }
      idx[d] = 0; pa -= sa[d] * (cs[d] - 1); px -= sx[d] * (cs[d] - 1);
    }
  }
};`;
  return new Function("collapse", src)(collapse) as ReduceFn;
}

/** sum / prod / max / min over `attrs.dims`; the output keeps size 1 there. */
export function reduceKernel(pool: CachingAllocator, op: ReduceOp): AnyKernel {
  const cache: (ReduceFn | undefined)[] = new Array(8).fill(undefined);
  const run: AnyKernel = (ins, outs, attrs: { dims: readonly number[] }) => {
    const x = ins[0];
    const out = outs[0];
    const d = x.dtype;
    const n = numel(x.shape);
    const m = numel(out.shape);
    if (m === 0) return;
    if (n === 0 && (op === "max" || op === "min"))
      throw new RangeError(`${op}: cannot reduce over a zero-size dimension (input shape [${x.shape.join(", ")}]); max/min of an empty tensor has no identity.`);
    const i = dtIndex(d);
    let f = cache[i];
    if (f === undefined) {
      const c = COMBINE[op];
      f = compileReduce(d === "int64" ? c.big : d === "int32" || d === "uint8" || d === "bool" ? (c.i32 ?? c.num) : c.num);
      cache[i] = f;
    }
    const accStrides = contiguousStrides(out.shape);
    for (const dim of attrs.dims) accStrides[dim] = 0;
    // float32 accumulates in float64 so long sums over outer dims do not drift.
    const useF64 = d === "float32";
    const acc = useF64 ? (pool.alloc("float64", m) as Float64Array) : out.offset === 0 ? out.buffer : out.buffer.subarray(out.offset, out.offset + m);
    (acc as Float64Array).fill(initOf(op, d) as number);
    if (n > 0) f(acc, accStrides, x, n);
    if (useF64) {
      (out.buffer as Float32Array).set(acc as Float64Array, out.offset);
      pool.free(acc);
    }
  };
  return viaF32(pool, run);
}

type ArgFn = (b: StorageArray, p: number, len: number, st: number) => number;

function compileArg(better: string): ArgFn {
  const src = `
"use strict";
return function argLine(b, p, len, st) {
  let best = b[p], bi = 0;
  for (let j = 1; j < len; j++) { p += st; const a0 = b[p]; if (${better}) { best = a0; bi = j; } }
  return bi;
};`;
  return new Function(src)() as ArgFn;
}

/** argmax / argmin along `attrs.dim`: first occurrence wins; NaN counts as the extreme (PyTorch). */
export function argReduceKernel(pool: CachingAllocator, op: ArgReduceOp): AnyKernel {
  const cache: (ArgFn | undefined)[] = new Array(8).fill(undefined);
  const cmp = op === "argmax" ? ">" : "<";
  const run: AnyKernel = (ins, outs, attrs: { dim: number }) => {
    const x = ins[0];
    const out = outs[0];
    const o = out.buffer as BigInt64Array;
    const nd = x.shape.length;
    const dim = nd === 0 ? 0 : attrs.dim;
    const len = nd === 0 ? 1 : x.shape[dim];
    if (len === 0 && numel(out.shape) > 0)
      throw new RangeError(`${op}: cannot take ${op} over dim ${dim} of size 0 (input shape [${x.shape.join(", ")}]).`);
    const i = dtIndex(x.dtype);
    let f = cache[i];
    if (f === undefined) {
      f = compileArg(x.dtype === "int64" ? `a0 ${cmp} best` : `a0 ${cmp} best || (a0 !== a0 && best === best)`);
      cache[i] = f;
    }
    if (nd === 0) {
      o[out.offset] = 0n;
      return;
    }
    const st = x.strides[dim];
    let q = out.offset;
    const fn = f;
    forEachLine(x.shape, dim, [x.strides], [x.offset], (pos) => {
      o[q++] = BigInt(fn(x.buffer, pos[0], len, st));
    });
  };
  return viaF32(pool, run);
}

type ScanFn = (b: StorageArray, p: number, st: number, o: StorageArray, q: number, ost: number, len: number) => void;

function compileScan(step: string, zero: string): ScanFn {
  const src = `
"use strict";
return function scanLine(b, p, st, o, q, ost, len) {
  let s = ${zero};
  for (let j = 0; j < len; j++) { const a0 = b[p]; s = ${step}; o[q] = s; p += st; q += ost; }
};`;
  return new Function(src)() as ScanFn;
}

/** Inclusive prefix sum along `attrs.dim`, output dtype = input dtype (float32 runs its sum in double). */
export function cumsumKernel(pool: CachingAllocator): AnyKernel {
  const cache: (ScanFn | undefined)[] = new Array(8).fill(undefined);
  const run: AnyKernel = (ins, outs, attrs: { dim: number }) => {
    const x = ins[0];
    const out = outs[0];
    const d = x.dtype;
    const i = dtIndex(d);
    let f = cache[i];
    if (f === undefined) {
      const step = d === "int64" ? "s + a0" : d === "int32" ? "(s + a0) | 0" : d === "uint8" ? "(s + a0) & 255" : d === "bool" ? "(s + a0 ? 1 : 0)" : "s + a0";
      f = compileScan(step, d === "int64" ? "0n" : "0");
      cache[i] = f;
    }
    const nd = x.shape.length;
    if (nd === 0) {
      if (numel(out.shape) > 0) f(x.buffer, x.offset, 0, out.buffer, out.offset, 0, 1);
      return;
    }
    const dim = attrs.dim;
    const len = x.shape[dim];
    const ostr = contiguousStrides(out.shape);
    const st = x.strides[dim];
    const ost = ostr[dim];
    const fn = f;
    forEachLine(x.shape, dim, [x.strides, ostr], [x.offset, out.offset], (pos) => fn(x.buffer, pos[0], st, out.buffer, pos[1], ost, len));
  };
  return viaF32(pool, run);
}
