// What every WGSL kernel module shares: the kernel type over GPU buffers, an operand's GPUBuffer, the unsupported-dtype error.

import type { DType, KernelTensor } from "@tsorch/tensor/backend";
import type { GpuBuffer } from "./pool.js";

/** A kernel over GPU buffers (attrs typed per op where the kernel table is built). */
export type GpuKernel = (ins: readonly KernelTensor<GpuBuffer>[], outs: readonly KernelTensor<GpuBuffer>[], attrs: any) => void;

/** The GPU buffer of a kernel operand. */
export function gbuf(t: KernelTensor<GpuBuffer>): GPUBuffer {
  return t.buffer.buffer;
}

/** The error for a dtype a kernel has no WGSL form for. */
export function unsupported(op: string, d: DType): never {
  if (d === "float64")
    throw new TypeError(`${op}: float64 cannot live on the webgpu device (WebGPU has no 64-bit floats). Move the tensor to the CPU with .to("cpu"), or cast it to float32 first.`);
  throw new TypeError(`${op}: dtype ${d} is not supported by this op on the webgpu backend (WGSL has no 64-bit integer arithmetic for it). Cast to int32 or float32 first, or run it on the CPU.`);
}
