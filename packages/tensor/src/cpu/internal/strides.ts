// Strided-view helpers the CPU kernels share: contiguity tests that do not allocate, dim collapsing, storage spans (numel and contiguousStrides come from backend/layout.ts).

import type { KernelTensor, StorageArray } from "../../backend/index.js";

/** A kernel operand on the CPU: the buffer is the host array itself. */
export type CpuTensor = KernelTensor<StorageArray>;

/** True when `t` walks its elements row-major with no gaps (size-1 dims ignored). */
export function isDense(t: { readonly shape: readonly number[]; readonly strides: readonly number[] }): boolean {
  const { shape, strides } = t;
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i];
    if (s === 1) continue;
    if (strides[i] !== acc) return false;
    acc *= s;
  }
  return true;
}

/** 0 when dense, 1 when every element is the same one (a broadcast scalar), 2 otherwise. */
export function accessKind(t: CpuTensor): number {
  const { shape, strides } = t;
  let acc = 1;
  let dense = true;
  let scalar = true;
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i];
    if (s === 1) continue;
    const st = strides[i];
    if (st !== acc) dense = false;
    if (st !== 0) scalar = false;
    acc *= s;
  }
  return dense ? 0 : scalar ? 1 : 2;
}

/** Shape and per-operand strides after dropping size-1 dims and merging dims every operand walks contiguously. */
export interface Collapsed {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Merges dims so the innermost loop is as long as possible: dims i and i+1 merge when every operand has
 * stride[i] = stride[i+1] * shape[i+1]. The result has at least one dim.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Collapsed {
  const m = strides.length;
  const outShape: number[] = [];
  const outStrides: number[][] = [];
  for (let k = 0; k < m; k++) outStrides.push([]);
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d];
    if (s === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    if (merge)
      for (let k = 0; k < m; k++)
        if (outStrides[k][last] !== strides[k][d] * s) {
          merge = false;
          break;
        }
    if (merge) {
      outShape[last] *= s;
      for (let k = 0; k < m; k++) outStrides[k][last] = strides[k][d];
    } else {
      outShape.push(s);
      for (let k = 0; k < m; k++) outStrides[k].push(strides[k][d]);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (let k = 0; k < m; k++) outStrides[k].push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/** Lowest and highest storage index a view touches (numel must be > 0). */
export function spanOf(t: { readonly shape: readonly number[]; readonly strides: readonly number[]; readonly offset: number }): [number, number] {
  let lo = t.offset;
  let hi = t.offset;
  for (let i = 0; i < t.shape.length; i++) {
    const ext = (t.shape[i] - 1) * t.strides[i];
    if (ext < 0) lo += ext;
    else hi += ext;
  }
  return [lo, hi];
}
