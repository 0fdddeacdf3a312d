// The WebGPU backend: storage in pooled GPU buffers, async staged reads, and a WGSL kernel for every primitive (the Backend contract of @tsorch/tensor/backend).
/// <reference types="@webgpu/types" />

import {
  ARG_REDUCE_OPS,
  BINARY_OPS,
  COMPARE_OPS,
  REDUCE_OPS,
  UNARY_FLOAT_OPS,
  UNARY_PREDICATE_OPS,
  UNARY_SAME_OPS,
  arrayFromBytes,
  itemSize,
  kernelFamily as family,
  registerBackend,
  markBackendUnavailable,
  type Backend,
  type DType,
  type KernelTable,
  type StorageArray,
} from "@tsorch/tensor/backend";
import { requestDevice } from "./acquire.js";
import {
  BINARY,
  COMPARE,
  PREDICATE,
  UNARY_FLOAT,
  UNARY_SAME,
  copyKernel,
  fillKernel,
  tableKernel,
  whereKernel,
} from "./internal/elementwise.js";
import { unsupported } from "./internal/kernel.js";
import { fusedKernels } from "./internal/fused/kernels.js";
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterKernel } from "./internal/indexing.js";
import { matmulKernel } from "./internal/matmul.js";
import type { GpuBuffer } from "./internal/pool.js";
import { randKernel } from "./internal/random.js";
import { argReduceKernel, cumsumKernel, reduceKernel } from "./internal/reduce.js";
import { GpuRuntime } from "./internal/runtime.js";
import { sortKernel } from "./internal/sort.js";

/** Options of {@link createWebGPUBackend}. */
export interface WebGPUBackendOptions {
  /** A `GPU` object (navigator.gpu, or `create([])` of the webgpu package); found automatically when omitted. */
  readonly gpu?: GPU;
  /** A device to use as is (its limits and features decide what fits). */
  readonly device?: GPUDevice;
  /** Device name to register under (default "webgpu"). */
  readonly name?: string;
  /** Bytes of freed buffers kept for reuse (default 512 MB). */
  readonly poolCapBytes?: number;
}

/** The WebGPU backend with its runtime exposed (pool, device, flushing) for tests and benchmarks. */
export interface WebGPUBackend extends Backend<GpuBuffer> {
  readonly device: GPUDevice;
  /** True when float16 arithmetic runs natively (shader-f16); float16 storage works either way. */
  readonly shaderF16: boolean;
  /** Submits recorded work now (it is otherwise submitted at the next microtask). */
  flush(): void;
  /** Destroys pooled buffers. */
  emptyCache(): void;
  /** Kernel launches and compiled pipelines so far. */
  stats(): { dispatches: number; pipelines: number };
  /** Destroys the device; tensors on it become unusable. */
  destroy(): void;
}

/** Dtypes the device holds: no float64 (WGSL has no f64); int64 is stored as pairs of 32-bit words. */
export const WEBGPU_DTYPES: readonly DType[] = ["float32", "float16", "bfloat16", "int32", "int64", "uint8", "bool"];

/**
 * Creates the WebGPU backend on a device (given, or requested from `gpu`, or from the GPU found automatically).
 * Rejects with the reason when no adapter exists.
 * @example
 * const webgpu = await createWebGPUBackend();
 * registerBackend(webgpu);
 * const y = tensor([1, 2, 3]).to("webgpu").exp();
 * console.log(await y.data());
 */
export async function createWebGPUBackend(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
  let device = options.device;
  if (!device) {
    const r = await requestDevice(options.gpu);
    if (!r.device) throw new Error(`webgpu: cannot create the backend: ${r.reason}`);
    device = r.device;
  }
  return makeBackend(device, options);
}

function makeBackend(device: GPUDevice, options: WebGPUBackendOptions): WebGPUBackend {
  const rt = new GpuRuntime(device, options.poolCapBytes ?? 512 * 1024 * 1024);
  const copy = copyKernel(rt);
  // One object literal typed KernelTable: the compiler refuses a table missing a primitive.
  const kernels: KernelTable<GpuBuffer> = {
    ...family(UNARY_FLOAT_OPS, (op) => tableKernel(rt, op, UNARY_FLOAT[op], false)),
    ...family(UNARY_SAME_OPS, (op) => tableKernel(rt, op, UNARY_SAME[op], false)),
    ...family(UNARY_PREDICATE_OPS, (op) => tableKernel(rt, op, PREDICATE[op], true)),
    ...family(BINARY_OPS, (op) => tableKernel(rt, op, BINARY[op], false)),
    ...family(COMPARE_OPS, (op) => tableKernel(rt, op, COMPARE[op], true)),
    ...family(REDUCE_OPS, (op) => reduceKernel(rt, op)),
    ...family(ARG_REDUCE_OPS, (op) => argReduceKernel(rt, op)),
    copy,
    where: whereKernel(rt),
    fill: fillKernel(rt),
    matmul: matmulKernel(rt),
    cumsum: cumsumKernel(rt),
    sort: sortKernel(rt),
    gather: gatherKernel(rt),
    scatter: scatterKernel(rt, false, copy),
    scatterAdd: scatterKernel(rt, true, copy),
    indexSelect: indexSelectKernel(rt),
    indexAdd: indexAddKernel(rt),
    randUniform: randKernel(rt, "uniform"),
    randNormal: randKernel(rt, "normal"),
  };

  const backend: WebGPUBackend = {
    name: options.name ?? "webgpu",
    dtypes: WEBGPU_DTYPES,
    device,
    shaderF16: device.features.has("shader-f16"),
    alloc(dtype: DType, numel: number): GpuBuffer {
      if (dtype === "float64") unsupported("alloc", dtype);
      return rt.pool.alloc(numel * itemSize(dtype), `a ${dtype} tensor of ${numel} elements`);
    },
    free(buffer: GpuBuffer): void {
      rt.pool.release(buffer);
    },
    write(buffer: GpuBuffer, dtype: DType, data: StorageArray, offset: number): void {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const at = offset * itemSize(dtype);
      if (bytes.byteLength === 0) return;
      if (at % 4 === 0 && bytes.byteLength % 4 === 0) {
        rt.writeBytes(buffer.buffer, at, bytes);
        return;
      }
      // Unaligned: upload to a padded temporary and copy element-wise into place.
      const padded = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
      padded.set(bytes);
      const tmp = rt.pool.alloc(padded.byteLength, "a staging upload");
      rt.writeBytes(tmp.buffer, 0, padded);
      const n = data.length;
      copy([{ buffer: tmp, dtype, shape: [n], strides: [1], offset: 0 }], [{ buffer, dtype, shape: [n], strides: [1], offset }], {});
      rt.pool.release(tmp);
    },
    async read(buffer: GpuBuffer, dtype: DType, offset: number, count: number): Promise<StorageArray> {
      const sz = itemSize(dtype);
      const bytes = await rt.readBytes(buffer.buffer, offset * sz, count * sz);
      const copyOut = new ArrayBuffer(count * sz);
      new Uint8Array(copyOut).set(bytes);
      return arrayFromBytes(dtype, copyOut, 0, count);
    },
    kernels,
    fused: fusedKernels(rt),
    sync: () => rt.sync(),
    memory: () => ({ allocatedBytes: rt.pool.allocatedBytes, pooledBytes: rt.pool.pooledBytes }),
    takeError: () => rt.takeError(),
    flush: () => rt.flush(),
    emptyCache: () => {
      rt.flush();
      rt.pool.emptyCache();
    },
    stats: () => ({ dispatches: rt.dispatches, pipelines: rt.pipelineCount }),
    destroy: () => device.destroy(),
  };
  return backend;
}

/**
 * Creates the WebGPU backend and registers it (as "webgpu" unless named otherwise). Where no adapter exists,
 * marks the device unavailable with the reason (so `.to("webgpu")` says why) and resolves to null.
 * @example
 * const b = await registerWebGPU();
 * if (b) { const x = randn([4, 4]).to("webgpu"); console.log(await x.matmul(x).data()); }
 */
export async function registerWebGPU(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend | null> {
  try {
    const b = await createWebGPUBackend(options);
    registerBackend(b);
    return b;
  } catch (e) {
    markBackendUnavailable(options.name ?? "webgpu", e instanceof Error ? e.message : String(e));
    return null;
  }
}
