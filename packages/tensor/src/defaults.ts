// Process-wide defaults: the CPU backend registered at load, the default device and float dtype (torch.set_default_*).

import type { DType } from "./backend/dtype.js";
import { isFloatingPoint } from "./backend/dtype.js";
import { getBackend, hasBackend, registerBackend } from "./backend/registry.js";
import { createCpuBackend } from "./cpu/cpu-backend.js";

// The TypeScript backend is also registered as "cpu-ts": a native backend (@tsorch/backend-cpu) may take "cpu" over
// and builds on this one's storage; "cpu-ts" keeps the reference reachable for comparisons.
if (!hasBackend("cpu")) {
  const cpu = createCpuBackend();
  registerBackend(cpu);
  registerBackend({ ...cpu, name: "cpu-ts" });
}

let defaultDevice = "cpu";
let defaultFloat: DType = "float32";

/**
 * Device new tensors are created on when no `device` is given, as `torch.set_default_device`.
 * @example setDefaultDevice("webgpu")
 */
export function setDefaultDevice(device: string): void {
  getBackend(device);
  defaultDevice = device;
}

export function getDefaultDevice(): string {
  return defaultDevice;
}

/**
 * The float dtype of new float tensors, as `torch.set_default_dtype` (float32 or float64).
 * @example setDefaultDtype("float64")
 */
export function setDefaultDtype(dtype: DType): void {
  if (!isFloatingPoint(dtype)) throw new TypeError(`setDefaultDtype: only floating-point dtypes are allowed as the default, got ${dtype}.`);
  defaultFloat = dtype;
}

export function getDefaultDtype(): DType {
  return defaultFloat;
}
