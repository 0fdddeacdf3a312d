// @tsorch/backend-cpu where no Node addon can load (browsers, bundles for the web): the TypeScript backend keeps "cpu".
import type { NativeCpuStatus } from "./register.js";

const status: NativeCpuStatus = { native: false, reason: 'no native addon in a browser: the TypeScript backend serves "cpu"' };

/** In a browser the native backend cannot load; "cpu" stays with the TypeScript backend. @example registerNativeCpu().native // false */
export function registerNativeCpu(): NativeCpuStatus {
  return status;
}

/** Why the native backend is not in use here. @example nativeCpuStatus().reason */
export function nativeCpuStatus(): NativeCpuStatus {
  return status;
}

/** Thread count of the native backend; a no-op here (the TypeScript backend is single-threaded). @example setNumThreads(2) */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}.`);
}

/** Always 1 here. @example getNumThreads() // 1 */
export function getNumThreads(): number {
  return 1;
}

export type { NativeCpuStatus } from "./register.js";
