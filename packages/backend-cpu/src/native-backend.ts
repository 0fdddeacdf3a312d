// The native CPU backend: the TypeScript CPU backend's storage (host typed arrays, its pool) with the addon's kernels.

import type { Backend, StorageArray } from "@tsorch/tensor/backend";
import type { NativeAddon } from "./internal/addon.js";
import { nativeFused } from "./internal/fused.js";
import { nativeKernels } from "./internal/kernels.js";

/** Options of {@link createNativeCpuBackend}. */
export interface NativeCpuBackendOptions {
  /** Device name (default "cpu"). */
  readonly name?: string;
  /**
   * Smallest output (elements) an elementwise / copy / sum call must have to run in C++, and smallest matmul
   * (multiply-adds); smaller calls stay in JavaScript, which is faster there. 0 sends every float32 call to C++.
   */
  readonly minElements?: number;
  readonly minMacs?: number;
}

/**
 * Builds a backend over `base` (a CPU backend whose buffers are typed arrays, e.g. the one registered as "cpu-ts"):
 * same alloc / free / read / readSync / pool, so `dataSync()`, `itemSync()` and zero-copy `fromTypedArray` work
 * unchanged, and tensors of both devices share memory; float32 hot kernels run in C++.
 * @example
 * const cpu = createNativeCpuBackend(addon, getBackend("cpu-ts"));
 * registerBackend(cpu); // now serves "cpu"
 */
export function createNativeCpuBackend(addon: NativeAddon, base: Backend<StorageArray>, options: NativeCpuBackendOptions = {}): Backend<StorageArray> {
  return {
    ...base,
    name: options.name ?? "cpu",
    kernels: nativeKernels(addon, base.kernels, options.minElements, options.minMacs),
    ...(base.fused ? { fused: nativeFused(addon, base.fused) } : {}),
  };
}
