// Packs kernel views (shape, strides, offset) into the one reusable Float64Array the addon reads its arguments from.

import type { KernelTensor } from "@tsorch/tensor/backend";

const META = new Float64Array(1024);
let n = 0;

/** Starts a new argument record and returns the shared array (valid until the next call). */
export function metaStart(): Float64Array {
  n = 0;
  return META;
}

/** Appends numbers to the current record. */
export function metaPush(...xs: number[]): void {
  for (const x of xs) META[n++] = x;
}

/** Appends [ndim, shape...] then, per view, [offset, strides...] (the layout native/addon.cc read_views expects). */
export function metaViews(shape: readonly number[], views: readonly KernelTensor<unknown>[], outStrides?: readonly number[]): Float64Array {
  metaStart();
  META[n++] = shape.length;
  for (const s of shape) META[n++] = s;
  for (const v of views) {
    META[n++] = v.offset;
    for (const s of v.strides) META[n++] = s;
  }
  if (outStrides) for (const s of outStrides) META[n++] = s;
  return META;
}

/** Contiguous strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    st[d] = s;
    s *= shape[d];
  }
  return st;
}

/** Elements of a shape. */
export function numelOf(shape: readonly number[]): number {
  let k = 1;
  for (const s of shape) k *= s;
  return k;
}
