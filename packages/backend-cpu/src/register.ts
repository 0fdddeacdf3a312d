// Puts the native backend on "cpu" (the TypeScript backend stays as "cpu-ts"), the thread count, and the status report.

import { getBackend, hasBackend, registerBackend, type Backend, type StorageArray } from "@tsorch/tensor/backend";
import { loadAddon } from "./internal/addon.js";
import { physicalCores } from "./internal/cores.js";
import { createNativeCpuBackend } from "./native-backend.js";

/** Which backend serves "cpu" and why. */
export interface NativeCpuStatus {
  /** True when the addon serves "cpu". */
  readonly native: boolean;
  /** Why: "native addon loaded (avx512)", or what kept it out (not built, failed to load, turned off). */
  readonly reason: string;
  /** Kernel instruction set in use ("avx512", "avx2", "neon", "generic"), when native. */
  readonly isa?: string;
  /** Worker threads of the addon, when native. */
  readonly threads?: number;
}

let status: NativeCpuStatus | undefined;

/**
 * Registers the native backend as "cpu" when the addon loads; otherwise leaves the TypeScript backend there and
 * records why. Idempotent. Needs `@tsorch/tensor` loaded first (it registers the TypeScript backend as "cpu-ts").
 * @example
 * // after the tensor package has loaded (it registers "cpu" and "cpu-ts"):
 * registerNativeCpu(); // { native: true, reason: "native addon loaded (avx512)", ... }
 */
export function registerNativeCpu(): NativeCpuStatus {
  if (status) return status;
  const { addon, reason } = loadAddon();
  if (!addon) return (status = { native: false, reason });
  if (!hasBackend("cpu-ts"))
    return (status = { native: false, reason: 'the TypeScript backend "cpu-ts" is not registered: load the tensor package before registering the native backend' });
  const env = Number(process.env.TSORCH_NUM_THREADS);
  if (addon.info().threads === 1) addon.setNumThreads(Number.isInteger(env) && env > 0 ? env : physicalCores());
  registerBackend(createNativeCpuBackend(addon, getBackend("cpu-ts") as Backend<StorageArray>));
  const i = addon.info();
  return (status = { native: true, reason, isa: i.isa, threads: i.threads });
}

/**
 * What serves "cpu" (after {@link registerNativeCpu}); `{ native: false }` with the reason before it ran.
 * @example nativeCpuStatus().reason
 */
export function nativeCpuStatus(): NativeCpuStatus {
  return status ?? { native: false, reason: loadAddon().reason + " (registerNativeCpu() has not run)" };
}

/**
 * Sets the addon's worker threads, as `torch.set_num_threads` (default: physical cores, or `TSORCH_NUM_THREADS`).
 * No-op without the addon.
 * @example setNumThreads(1)
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}.`);
  loadAddon().addon?.setNumThreads(n);
}

/**
 * The addon's worker threads (1 without the addon: the TypeScript backend is single-threaded), as `torch.get_num_threads`.
 * @example getNumThreads() // 2
 */
export function getNumThreads(): number {
  return loadAddon().addon?.info().threads ?? 1;
}
