// Helpers the CPU backend's tests share: building strided KernelTensors by hand and reading them back in logical order.

import { allocArray, bfloat16BitsToFloat, halfBitsToFloat, type DType, type KernelTensor, type StorageArray } from "../backend/index.js";

/** A test operand on the CPU. */
export type TT = KernelTensor<StorageArray>;

/** Row-major strides. */
export function rowMajor(shape: readonly number[]): number[] {
  const s: number[] = [];
  let a = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = a;
    a *= shape[i];
  }
  return s;
}

/** A dense tensor over `buffer`. */
export function dense(buffer: StorageArray, dtype: DType, shape: readonly number[], offset = 0): TT {
  return { buffer, dtype, shape, strides: rowMajor(shape), offset };
}

/** A view with explicit strides. */
export function view(buffer: StorageArray, dtype: DType, shape: readonly number[], strides: readonly number[], offset = 0): TT {
  return { buffer, dtype, shape, strides, offset };
}

/** A fresh dense output. */
export function out(dtype: DType, shape: readonly number[]): TT {
  let n = 1;
  for (const s of shape) n *= s;
  return dense(allocArray(dtype, n), dtype, shape);
}

/** The storage index of each logical element, row-major. */
export function positions(t: TT): number[] {
  const res: number[] = [];
  const nd = t.shape.length;
  const idx = new Array<number>(nd).fill(0);
  let n = 1;
  for (const s of t.shape) n *= s;
  for (let e = 0; e < n; e++) {
    let p = t.offset;
    for (let d = 0; d < nd; d++) p += idx[d] * t.strides[d];
    res.push(p);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
  return res;
}

/** Logical values as numbers (half decoded, int64 via Number). */
export function values(t: TT): number[] {
  return positions(t).map((p) => {
    const v = t.buffer[p];
    if (t.dtype === "float16") return halfBitsToFloat(v as number);
    if (t.dtype === "bfloat16") return bfloat16BitsToFloat(v as number);
    return Number(v);
  });
}

/** Deterministic pseudo-random numbers in [lo, hi). */
export function rng(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0;
  return (lo = -1, hi = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 16777216) * (hi - lo);
  };
}

/** Same numbers, NaN equal to NaN, within a relative + absolute tolerance. */
export function close(a: number, b: number, rtol = 1e-6, atol = 1e-6): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}
