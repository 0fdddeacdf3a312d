// The reference CPU backend: host typed arrays as buffers, a caching allocator, and a kernel for every primitive (backend/backend.ts contract).

import {
  ARG_REDUCE_OPS,
  BINARY_OPS,
  COMPARE_OPS,
  DTYPES,
  REDUCE_OPS,
  UNARY_FLOAT_OPS,
  UNARY_PREDICATE_OPS,
  UNARY_SAME_OPS,
  kernelFamily as family,
  type Backend,
  type DType,
  type KernelTable,
  type StorageArray,
} from "../backend/index.js";
import {
  BINARY_EXPRS,
  COMPARE_EXPRS,
  PREDICATE_EXPRS,
  UNARY_FLOAT_EXPRS,
  UNARY_SAME_EXPRS,
  copyKernel,
  elementwiseKernel,
  fillKernel,
  whereKernel,
} from "./internal/elementwise.js";
import { randKernel } from "./internal/random.js";
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterAddKernel, scatterKernel } from "./internal/indexing.js";
import { matmulKernel } from "./internal/matmul.js";
import { cpuFusedKernels } from "./internal/fused/kernels.js";
import { CachingAllocator, DEFAULT_POOL_CAP_BYTES } from "./internal/pool.js";
import { argReduceKernel, cumsumKernel, reduceKernel } from "./internal/reduce.js";
import { sortKernel } from "./internal/sort.js";

/** Options of {@link createCpuBackend}. */
export interface CpuBackendOptions {
  /** Bytes of freed arrays kept for reuse (default 256 MB); the oldest are dropped beyond it. */
  readonly poolCapBytes?: number;
  /**
   * Fused kernels for softmax, log-softmax, layer / RMS norm, GELU, attention, cross-entropy and the AdamW step
   * (default true). `false` gives the plain backend on which every composite runs on primitives (the conformance
   * suite's reference, so that fused kernels are compared with the composites).
   */
  readonly fused?: boolean;
}

/** The CPU backend with its pool exposed (for tests and `emptyCache`). */
export interface CpuBackend extends Backend<StorageArray> {
  /** Drops every pooled array (memory held for reuse goes back to the garbage collector). */
  emptyCache(): void;
}

/**
 * Creates the reference CPU backend: buffers are host typed arrays (float16 / bfloat16 as raw bits),
 * kernels are plain TypeScript loops compiled per dtype.
 * @example
 * const cpu = createCpuBackend(); // createCpuBackend({ fused: false }): composites on primitives only
 * const a = cpu.alloc("float32", 3);
 * cpu.kernels.fill([], [{ buffer: a, dtype: "float32", shape: [3], strides: [1], offset: 0 }], { value: 1 });
 * cpu.readSync!(a, "float32", 0, 3); // Float32Array [1, 1, 1]
 */
export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  const pool = new CachingAllocator(options.poolCapBytes ?? DEFAULT_POOL_CAP_BYTES);
  const copy = copyKernel();
  const add = elementwiseKernel(pool, "add", 2, BINARY_EXPRS.add);
  // Spelled out as one object literal typed KernelTable, so the compiler refuses a table missing a primitive.
  const kernels: KernelTable<StorageArray> = {
    ...family(UNARY_FLOAT_OPS, (op) => elementwiseKernel(pool, op, 1, UNARY_FLOAT_EXPRS[op])),
    ...family(UNARY_SAME_OPS, (op) => elementwiseKernel(pool, op, 1, UNARY_SAME_EXPRS[op])),
    ...family(UNARY_PREDICATE_OPS, (op) => elementwiseKernel(pool, op, 1, PREDICATE_EXPRS[op])),
    ...family(BINARY_OPS, (op) => (op === "add" ? add : elementwiseKernel(pool, op, 2, BINARY_EXPRS[op]))),
    ...family(COMPARE_OPS, (op) => elementwiseKernel(pool, op, 2, COMPARE_EXPRS[op])),
    ...family(REDUCE_OPS, (op) => reduceKernel(pool, op)),
    ...family(ARG_REDUCE_OPS, (op) => argReduceKernel(pool, op)),
    copy,
    where: whereKernel(),
    fill: fillKernel(),
    matmul: matmulKernel(pool),
    cumsum: cumsumKernel(pool),
    sort: sortKernel(pool),
    gather: gatherKernel(),
    scatter: scatterKernel(copy),
    scatterAdd: scatterAddKernel(pool, copy),
    indexSelect: indexSelectKernel(copy),
    indexAdd: indexAddKernel(copy, add),
    randUniform: randKernel(pool, "uniform"),
    randNormal: randKernel(pool, "normal"),
  };

  return {
    name: "cpu",
    dtypes: DTYPES,
    alloc: (dtype: DType, numel: number) => pool.alloc(dtype, numel),
    free: (buffer: StorageArray) => pool.free(buffer),
    write(buffer: StorageArray, _dtype: DType, data: StorageArray, offset: number): void {
      (buffer as Float32Array).set(data as Float32Array, offset);
    },
    read(buffer: StorageArray, _dtype: DType, offset: number, count: number): Promise<StorageArray> {
      return Promise.resolve(buffer.slice(offset, offset + count));
    },
    readSync(buffer: StorageArray, _dtype: DType, offset: number, count: number): StorageArray {
      return buffer.slice(offset, offset + count);
    },
    kernels,
    ...(options.fused === false ? {} : { fused: cpuFusedKernels() }),
    sync: () => Promise.resolve(),
    memory: () => ({ allocatedBytes: pool.allocatedBytes, pooledBytes: pool.pooledBytes }),
    emptyCache: () => pool.emptyCache(),
  };
}
