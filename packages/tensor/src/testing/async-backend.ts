// A test backend that can only read asynchronously: the CPU's kernels behind a device with no readSync and late reads.

import type { Backend, DType, StorageArray } from "../backend/index.js";
import { DTYPES } from "../backend/index.js";
import { createCpuBackend } from "../index.js";

/** Options of {@link createAsyncOnlyBackend}. */
export interface AsyncOnlyBackendOptions {
  /** Dtypes the device claims to hold (default: all); others are refused, as on a real accelerator. */
  readonly dtypes?: readonly DType[];
}

/**
 * A backend named `name` that runs the CPU backend's kernels but has no `readSync`, and whose `read` resolves only after
 * a macrotask (`setTimeout(0)`), as a GPU's buffer mapping does. It proves the tensor layer never leans on synchronous
 * reads: everything must work through `await t.data()`, and whatever needs `dataSync()` must fail with a clear error.
 * @example
 * registerBackend(createAsyncOnlyBackend());
 * const y = tensor([1, 2], { device: "async-cpu" }).mul(2);
 * await y.data(); // Float32Array [2, 4]
 */
export function createAsyncOnlyBackend(name = "async-cpu", options: AsyncOnlyBackendOptions = {}): Backend<StorageArray> {
  const cpu = createCpuBackend();
  return {
    name,
    dtypes: options.dtypes ?? DTYPES,
    alloc: (dtype, numel) => cpu.alloc(dtype, numel),
    free: (buffer) => cpu.free(buffer),
    write: (buffer, dtype, data, offset) => cpu.write(buffer, dtype, data, offset),
    read(buffer, dtype, offset, count) {
      // Copy now (the contents at the time of the call, as a queued GPU read), resolve on a later macrotask.
      const copy = buffer.slice(offset, offset + count);
      void dtype;
      return new Promise((resolve) => setTimeout(() => resolve(copy), 0));
    },
    kernels: cpu.kernels,
    sync: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    memory: () => cpu.memory!(),
    takeError: () => undefined,
  };
}
