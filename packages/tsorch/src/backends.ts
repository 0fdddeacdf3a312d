// Which backend serves each device and why (torch.backends-style report), the native CPU backend's registration
// at import, and torch.set_num_threads / get_num_threads.

import { listBackends } from "@tsorch/tensor";
import { getNumThreads, nativeCpuStatus, registerNativeCpu, setNumThreads } from "@tsorch/backend-cpu";

registerNativeCpu();

/** One device and the backend behind it. */
export interface BackendReport {
  /** Device name tensors use. */
  readonly device: string;
  /** What implements it: "native" (C++ addon), "typescript", or the registered backend's own kind. */
  readonly backend: string;
  /** Why this backend serves the device (for "cpu": the addon loaded, or why it did not). */
  readonly reason: string;
}

/**
 * Every registered device and which backend serves it, with the reason (e.g. why the native CPU addon is absent).
 * @example
 * torch.backends(); // [{ device: "cpu", backend: "native", reason: "native addon loaded (avx512)" }, { device: "cpu-ts", ... }]
 */
export function backends(): BackendReport[] {
  const cpu = nativeCpuStatus();
  return listBackends().map((device) => {
    if (device === "cpu")
      return cpu.native
        ? { device, backend: "native", reason: `${cpu.reason}, ${cpu.threads} thread(s)` }
        : { device, backend: "typescript", reason: `native CPU backend not in use: ${cpu.reason}` };
    if (device === "cpu-ts") return { device, backend: "typescript", reason: "the reference TypeScript CPU backend (always registered)" };
    return { device, backend: device, reason: "registered by its package" };
  });
}

export { setNumThreads, getNumThreads };
