// The backend contract: storage (alloc, free, write, async read), a kernel per primitive, optional fused kernels.

import type { DType, StorageArray } from "./dtype.js";
import type { FusedAttrs, FusedOp, PrimitiveAttrs, PrimitiveOp } from "./ops.js";

/** A strided view of a backend buffer, as kernels receive their inputs and outputs. */
export interface KernelTensor<Buf = unknown> {
  readonly buffer: Buf;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Strides in elements; 0 on broadcast dims. Negative only on the input of `copy` (it reads `flip` views) or in views a backend made itself. */
  readonly strides: readonly number[];
  /** Offset in elements from the start of the buffer. */
  readonly offset: number;
}

/** One primitive's kernel: reads `inputs`, writes `outputs` (allocated by the dispatcher). Returns at once on async devices. */
export type Kernel<K extends PrimitiveOp, Buf = unknown> = (
  inputs: readonly KernelTensor<Buf>[],
  outputs: readonly KernelTensor<Buf>[],
  attrs: PrimitiveAttrs[K],
) => void;

/** A kernel for every primitive: the compiler refuses a backend that forgot one. */
export type KernelTable<Buf = unknown> = { readonly [K in PrimitiveOp]: Kernel<K, Buf> };

/**
 * A fused replacement for a composite. The dispatcher allocates the outputs `outputs()` describes and calls `forward`.
 * Autograd differentiates a fused op with `backward` when the backend has one (gradInputs allocated like the inputs,
 * null where no gradient is needed; only output 0 carries a gradient), and otherwise by re-running the composite on
 * the saved inputs, so a forward-only fused kernel is correct too.
 */
export interface FusedKernel<K extends FusedOp, Buf = unknown> {
  /** Float dtypes of the main input this kernel accepts (default: float32 only); other dtypes take the composite. */
  readonly dtypes?: readonly DType[];
  /** Output specs for the given inputs, so the dispatcher can allocate them. */
  outputs(inputs: readonly KernelTensor<Buf>[], attrs: FusedAttrs[K]): { dtype: DType; shape: readonly number[] }[];
  forward(inputs: readonly KernelTensor<Buf>[], outputs: readonly KernelTensor<Buf>[], attrs: FusedAttrs[K]): void;
  /** Optional: writes the gradients of the inputs from the gradient of output 0. */
  backward?(
    inputs: readonly KernelTensor<Buf>[],
    outputs: readonly KernelTensor<Buf>[],
    gradOutput: KernelTensor<Buf>,
    gradInputs: readonly (KernelTensor<Buf> | null)[],
    attrs: FusedAttrs[K],
  ): void;
}

export type FusedKernelTable<Buf = unknown> = { readonly [K in FusedOp]?: FusedKernel<K, Buf> };

/** Bytes a backend holds, for the memory report. */
export interface BackendMemoryInfo {
  /** Bytes in buffers handed out and not yet freed. */
  readonly allocatedBytes: number;
  /** Bytes kept in the backend's pool for reuse. */
  readonly pooledBytes: number;
}

/**
 * A device. Implement this (storage + a kernel per primitive), register it with `registerBackend`,
 * and every tensor op, autograd and nn run on it. Buffers are opaque to tsorch: `Buf` is the backend's own type.
 * @example
 * registerBackend(myBackend); // then: tensor([1, 2]).to(myBackend.name)
 */
export interface Backend<Buf = any> {
  /** Device name tensors use (`"cpu"`, `"webgpu"`, or any name a third party picks). */
  readonly name: string;
  /** Dtypes this device can hold; others are refused with an error naming the device and the fix. */
  readonly dtypes: readonly DType[];
  /** A buffer for `numel` elements of `dtype` (contents undefined). */
  alloc(dtype: DType, numel: number): Buf;
  /** Returns a buffer to the device (or to its pool). */
  free(buffer: Buf): void;
  /** Writes host elements at element offset `offset`. Enqueued on async devices. */
  write(buffer: Buf, dtype: DType, data: StorageArray, offset: number): void;
  /** Reads `count` elements from element `offset`; waits for enqueued work. Returns a fresh host array. */
  read(buffer: Buf, dtype: DType, offset: number, count: number): Promise<StorageArray>;
  /** Synchronous read, only where the device can (CPU). */
  readSync?(buffer: Buf, dtype: DType, offset: number, count: number): StorageArray;
  /** Kernels for every primitive. */
  readonly kernels: KernelTable<Buf>;
  /** Optional fused kernels for composites. */
  readonly fused?: FusedKernelTable<Buf>;
  /** Resolves once all enqueued work is done (and rejects with the device's error if any). */
  sync?(): Promise<void>;
  /** Bytes held, for `memoryReport()`. */
  memory?(): BackendMemoryInfo;
  /** An error raised asynchronously by the device (uncaptured GPU error, device loss), reported on the next op. */
  takeError?(): Error | undefined;
}
