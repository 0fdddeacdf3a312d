// Runs a float32 kernel for float16 / bfloat16 operands: decode inputs to float32, compute, encode outputs back.

import { numel, contiguousStrides, type DType, type KernelTensor, type StorageArray } from "../../backend/index.js";
import type { CachingAllocator } from "./pool.js";
import { f32ToHalf, halfToF32 } from "./half-convert.js";
import { isDense, spanOf, type CpuTensor } from "./strides.js";

/** A kernel as the CPU backend stores it (attrs typed loosely). */
export type AnyKernel = (inputs: readonly CpuTensor[], outputs: readonly CpuTensor[], attrs: any) => void;

function isHalf(d: DType): boolean {
  return d === "float16" || d === "bfloat16";
}

/**
 * Wraps a float32 kernel for half operands. Inputs are decoded over the storage span they touch (a
 * broadcast scalar decodes one element); dense outputs are computed in a float32 scratch and encoded.
 */
export function viaF32(pool: CachingAllocator, kernel: AnyKernel): AnyKernel {
  return (inputs, outputs, attrs) => {
    const temps: StorageArray[] = [];
    const ins = inputs.map((t) => (isHalf(t.dtype) ? decodeView(pool, t, temps) : t));
    const outs = outputs.map((t) => {
      if (!isHalf(t.dtype)) return t;
      // A strided half output: compute over a decoded span, keeping the elements the view skips.
      if (!isDense(t)) return decodeView(pool, t, temps);
      const buf = pool.alloc("float32", Math.max(numel(t.shape), 1)) as Float32Array;
      temps.push(buf);
      return { buffer: buf, dtype: "float32", shape: t.shape, strides: contiguousStrides(t.shape), offset: 0 } as CpuTensor;
    });
    try {
      kernel(ins, outs, attrs);
      for (let k = 0; k < outputs.length; k++) {
        const t = outputs[k];
        if (!isHalf(t.dtype)) continue;
        const src = outs[k];
        encodeInto(t, src);
      }
    } finally {
      for (const b of temps) pool.free(b);
    }
  };
}

/** A float32 copy of the storage span a half view touches, with the same strides. */
function decodeView(pool: CachingAllocator, t: CpuTensor, temps: StorageArray[]): CpuTensor {
  const n = numel(t.shape);
  if (n === 0) return { buffer: new Float32Array(0), dtype: "float32", shape: t.shape, strides: t.strides, offset: 0 };
  const [lo, hi] = spanOf(t);
  const len = hi - lo + 1;
  const buf = pool.alloc("float32", len) as Float32Array;
  temps.push(buf);
  halfToF32(t.dtype === "bfloat16", t.buffer as Uint16Array, lo, buf, 0, len);
  return { buffer: buf, dtype: "float32", shape: t.shape, strides: t.strides, offset: t.offset - lo };
}

/** Encodes a float32 result (dense at offset 0, or a decoded span view) into the half output view. */
function encodeInto(t: KernelTensor<StorageArray>, src: CpuTensor): void {
  const bf16 = t.dtype === "bfloat16";
  const n = numel(t.shape);
  if (n === 0) return;
  if (isDense(t)) {
    f32ToHalf(bf16, src.buffer as Float32Array, src.offset, t.buffer as Uint16Array, t.offset, n);
    return;
  }
  const [lo, hi] = spanOf(t);
  f32ToHalf(bf16, src.buffer as Float32Array, src.offset - (t.offset - lo), t.buffer as Uint16Array, lo, hi - lo + 1);
}
