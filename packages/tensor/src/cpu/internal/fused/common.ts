// Shared pieces of the CPU fused kernels (backend/ops.ts FusedAttrs): operand arrays, row geometry, reusable float64 scratch.

import type { KernelTensor, StorageArray } from "../../../backend/index.js";

export type KT = KernelTensor<StorageArray>;
/** The arrays of the float dtypes the fused kernels accept (float32, float64). */
export type FArr = Float32Array | Float64Array;

/** The typed array behind a float operand. */
export const arr = (t: KT): FArr => t.buffer as FArr;

/** Elements of a shape. */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Rows and row length of a tensor reduced over its last dim (a 0-d tensor is one row of one). */
export function rowsOf(x: KT): { rows: number; n: number } {
  const nd = x.shape.length;
  const n = nd === 0 ? 1 : x.shape[nd - 1];
  return { n, rows: n === 0 ? 0 : numelOf(x.shape) / n };
}

/** x's shape with the last dim 1: the shape of per-row statistics (mean, rstd). */
export const statShape = (x: KT): number[] => (x.shape.length === 0 ? [] : [...x.shape.slice(0, -1), 1]);

// Kernels run synchronously and never nest, so each slot is one growing array reused across calls: no per-call
// allocation (the point of fusing on the CPU is fewer allocations as much as fewer passes).
const slots: Float64Array[] = [];

/** Float64 scratch slot `slot` with room for `n` values (contents undefined). */
export function scratch(slot: number, n: number): Float64Array {
  let s = slots[slot];
  if (s === undefined || s.length < n) {
    s = new Float64Array(Math.max(n, 64, s ? s.length * 2 : 0));
    slots[slot] = s;
  }
  return s;
}
