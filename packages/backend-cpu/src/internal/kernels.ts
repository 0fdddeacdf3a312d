// The native kernel table: float32 hot primitives (matmul, elementwise, sum, copy) on the addon, everything else
// (other dtypes, tiny tensors, rare ops) on the TypeScript CPU kernels over the very same typed arrays.

import type { Kernel, KernelTable, KernelTensor, PrimitiveOp, StorageArray } from "@tsorch/tensor/backend";
import type { NativeAddon } from "./addon.js";
import { contiguousStrides, metaPush, metaStart, metaViews, numelOf } from "./meta.js";

type KT = KernelTensor<StorageArray>;

/** Below this many elements the JavaScript loop beats the cost of crossing into C++ (about 0.3 µs a call). */
export const NATIVE_MIN_ELEMENTS = 512;
/** Below this many multiply-adds a matmul stays in JavaScript. */
export const NATIVE_MIN_MACS = 4096;
const MAX_RANK = 16;

const BINARY_CODES: Partial<Record<PrimitiveOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 };
const UNARY_CODES: Partial<Record<PrimitiveOp, number>> = {
  exp: 0, log: 1, sqrt: 2, rsqrt: 3, tanh: 4, sigmoid: 5, neg: 6, abs: 7, reciprocal: 8, sin: 9, cos: 10, erf: 11, expm1: 12, log1p: 13,
};

const COMPARE_CODES: Partial<Record<PrimitiveOp, number>> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };

const f32 = (t: KT): Float32Array => t.buffer as Float32Array;
const isBool = (t: KT): boolean => t.dtype === "bool" && t.buffer instanceof Uint8Array;
const allF32 = (ts: readonly KT[]): boolean => ts.every((t) => t.dtype === "float32" && t.buffer instanceof Float32Array);

/**
 * Wraps the TypeScript kernel table: float32 calls big enough to pay for the crossing go to the addon.
 * `minElements` / `minMacs` set where the addon takes over (0: always, as the tests run it).
 * @example const kernels = nativeKernels(addon, getBackend("cpu-ts").kernels);
 */
export function nativeKernels(
  addon: NativeAddon,
  base: KernelTable<StorageArray>,
  minElements = NATIVE_MIN_ELEMENTS,
  minMacs = NATIVE_MIN_MACS,
): KernelTable<StorageArray> {
  const table: Record<string, unknown> = { ...base };
  const big = (out: KT) => out.shape.length <= MAX_RANK && numelOf(out.shape) >= minElements;

  for (const [op, code] of Object.entries(BINARY_CODES) as [PrimitiveOp, number][]) {
    const fallback = base[op] as Kernel<"add", StorageArray>;
    table[op] = ((ins, outs, attrs) => {
      const [a, b] = ins;
      const o = outs[0];
      if (!big(o) || !allF32([a, b, o])) return fallback(ins, outs, attrs);
      addon.binary(code, f32(a), f32(b), f32(o), metaViews(o.shape, [a, b, o]));
    }) as Kernel<"add", StorageArray>;
  }
  for (const [op, code] of Object.entries(UNARY_CODES) as [PrimitiveOp, number][]) {
    const fallback = base[op] as Kernel<"exp", StorageArray>;
    table[op] = ((ins, outs, attrs) => {
      const x = ins[0];
      const o = outs[0];
      if (!big(o) || !allF32([x, o])) return fallback(ins, outs, attrs);
      addon.unary(code, f32(x), f32(o), metaViews(o.shape, [x, o]));
    }) as Kernel<"exp", StorageArray>;
  }

  // Comparisons of float32 operands into bool, and where() over float32 values: dropout masks and attention masks.
  for (const [op, code] of Object.entries(COMPARE_CODES) as [PrimitiveOp, number][]) {
    const fallback = base[op] as Kernel<"ge", StorageArray>;
    table[op] = ((ins, outs, attrs) => {
      const [a, b] = ins;
      const o = outs[0];
      if (!big(o) || !allF32([a, b]) || !isBool(o)) return fallback(ins, outs, attrs);
      addon.compare(code, f32(a), f32(b), o.buffer as Uint8Array, metaViews(o.shape, [a, b, o]));
    }) as Kernel<"ge", StorageArray>;
  }
  const where: Kernel<"where", StorageArray> = (ins, outs, attrs) => {
    const [c, a, b] = ins;
    const o = outs[0];
    if (!big(o) || !isBool(c) || !allF32([a, b, o])) return base.where(ins, outs, attrs);
    addon.where(c.buffer as Uint8Array, f32(a), f32(b), f32(o), metaViews(o.shape, [c, a, b, o]));
  };
  table.where = where;
  // The Philox stream in C++ (bit for bit the TypeScript fill: each value has 24 bits, exact in float32).
  const randUniform: Kernel<"randUniform", StorageArray> = (ins, outs, attrs) => {
    const o = outs[0];
    const n = numelOf(o.shape);
    if (n < minElements || !allF32([o])) return base.randUniform(ins, outs, attrs);
    const m = metaStart();
    metaPush(n, o.offset, attrs.key[0] >>> 0, attrs.key[1] >>> 0, attrs.offset);
    addon.randUniform(f32(o), m);
  };
  table.randUniform = randUniform;

  const copy: Kernel<"copy", StorageArray> = (ins, outs, attrs) => {
    const x = ins[0];
    const o = outs[0];
    if (!big(o) || !allF32([x, o])) return base.copy(ins, outs, attrs);
    addon.copy(f32(x), f32(o), metaViews(o.shape, [x, o]));
  };
  table.copy = copy;

  const sum: Kernel<"sum", StorageArray> = (ins, outs, attrs) => {
    const x = ins[0];
    const o = outs[0];
    if (x.shape.length > MAX_RANK || numelOf(x.shape) < minElements || !allF32([x, o])) return base.sum(ins, outs, attrs);
    const m = metaViews(x.shape, [x]);
    metaPush(o.offset);
    const red = new Set(attrs.dims);
    for (let d = 0; d < x.shape.length; d++) metaPush(red.has(d) ? 1 : 0);
    addon.sum(f32(x), f32(o), m);
  };
  table.sum = sum;

  const matmul: Kernel<"matmul", StorageArray> = (ins, outs, attrs) => {
    const [a, b] = ins;
    const o = outs[0];
    const [B, M, K] = a.shape;
    const N = b.shape[2];
    if (B * M * N * K < minMacs || !allF32([a, b, o])) return base.matmul(ins, outs, attrs);
    const m = metaStart();
    metaPush(B, M, N, K, a.offset, a.strides[0], a.strides[1], a.strides[2], b.offset, b.strides[0], b.strides[1], b.strides[2], o.offset);
    addon.matmul(f32(a), f32(b), f32(o), m);
  };
  table.matmul = matmul;

  return table as unknown as KernelTable<StorageArray>;
}

export { contiguousStrides };
