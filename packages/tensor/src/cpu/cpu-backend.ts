// The reference CPU backend: host typed arrays as buffers, a caching allocator, and a kernel for every primitive (backend/backend.ts contract).

import {
  ARG_REDUCE_OPS,
  BINARY_OPS,
  COMPARE_OPS,
  DTYPES,
  PRIMITIVE_OPS,
  REDUCE_OPS,
  UNARY_FLOAT_OPS,
  UNARY_PREDICATE_OPS,
  UNARY_SAME_OPS,
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
  whereKernel,
} from "./internal/elementwise-kernels.js";
import { fillKernel, randKernel } from "./internal/fill-kernels.js";
import type { AnyKernel } from "./internal/half-wrap.js";
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterAddKernel, scatterKernel } from "./internal/index-kernels.js";
import { matmulKernel } from "./internal/matmul-kernel.js";
import { CachingAllocator, DEFAULT_POOL_CAP_BYTES } from "./internal/pool.js";
import { argReduceKernel, cumsumKernel, reduceKernel } from "./internal/reduce-kernels.js";
import { sortKernel } from "./internal/sort-kernel.js";

/** Options of {@link createCpuBackend}. */
export interface CpuBackendOptions {
  /** Bytes of freed arrays kept for reuse (default 256 MB); the oldest are dropped beyond it. */
  readonly poolCapBytes?: number;
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
 * const cpu = createCpuBackend();
 * const a = cpu.alloc("float32", 3);
 * cpu.kernels.fill([], [{ buffer: a, dtype: "float32", shape: [3], strides: [1], offset: 0 }], { value: 1 });
 * cpu.readSync!(a, "float32", 0, 3); // Float32Array [1, 1, 1]
 */
export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  const pool = new CachingAllocator(options.poolCapBytes ?? DEFAULT_POOL_CAP_BYTES);
  const k: Record<string, AnyKernel> = {};
  for (const op of UNARY_FLOAT_OPS) k[op] = elementwiseKernel(pool, op, 1, UNARY_FLOAT_EXPRS[op]);
  for (const op of UNARY_SAME_OPS) k[op] = elementwiseKernel(pool, op, 1, UNARY_SAME_EXPRS[op]);
  for (const op of UNARY_PREDICATE_OPS) k[op] = elementwiseKernel(pool, op, 1, PREDICATE_EXPRS[op]);
  for (const op of BINARY_OPS) k[op] = elementwiseKernel(pool, op, 2, BINARY_EXPRS[op]);
  for (const op of COMPARE_OPS) k[op] = elementwiseKernel(pool, op, 2, COMPARE_EXPRS[op]);
  for (const op of REDUCE_OPS) k[op] = reduceKernel(pool, op);
  for (const op of ARG_REDUCE_OPS) k[op] = argReduceKernel(pool, op);
  const copy = copyKernel();
  k.copy = copy;
  k.where = whereKernel();
  k.fill = fillKernel();
  k.matmul = matmulKernel(pool);
  k.cumsum = cumsumKernel(pool);
  k.sort = sortKernel(pool);
  k.gather = gatherKernel();
  k.scatter = scatterKernel(copy);
  k.scatterAdd = scatterAddKernel(pool, copy);
  k.indexSelect = indexSelectKernel(copy);
  k.indexAdd = indexAddKernel(copy, k.add);
  k.randUniform = randKernel(pool, "uniform");
  k.randNormal = randKernel(pool, "normal");
  // The table is built from the op lists, so the compiler cannot see it is complete: check it once here.
  for (const op of PRIMITIVE_OPS) if (typeof k[op] !== "function") throw new Error(`cpu backend: no kernel for primitive "${op}"; add one in src/cpu.`);
  const kernels = k as unknown as KernelTable<StorageArray>;

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
    sync: () => Promise.resolve(),
    memory: () => ({ allocatedBytes: pool.allocatedBytes, pooledBytes: pool.pooledBytes }),
    emptyCache: () => pool.emptyCache(),
  };
}
