// Fused optimizer kernels: a device may supply one update kernel per algorithm; the tensor-op update is the fallback.

import type { Tensor } from "@tsorch/tensor";
import type { AdamUpdateOptions, AdamUpdateState } from "./functional/adam.js";

/** The fused kernels a device may register, by algorithm. Each returns false to decline (the fallback runs). */
export interface FusedOptimizerKernels {
  adam: (params: Tensor[], grads: Tensor[], state: AdamUpdateState, opts: AdamUpdateOptions) => boolean;
}

// Empty by default: AdamW reaches every backend's own fused `adamwStep` kernel through the tensor layer; this registry
// is for other algorithms a device wants to fuse (kernels must work through the backend interface, not its buffers).
const kernels = new Map<string, Partial<FusedOptimizerKernels>>();
let enabled = true;

/**
 * Registers fused update kernels for a device (a backend's name), replacing earlier ones.
 * @example registerFusedOptimizerKernels("webgpu", { adam: myWgslAdam })
 */
export function registerFusedOptimizerKernels(device: string, k: Partial<FusedOptimizerKernels>): void {
  kernels.set(device, { ...kernels.get(device), ...k });
}

/**
 * Switches fused kernels on or off globally (off: every update runs as tensor ops), e.g. to compare both paths.
 * @example setFusedOptimizersEnabled(false)
 */
export function setFusedOptimizersEnabled(on: boolean): void {
  enabled = on;
}

/** Whether fused kernels (the backends' and this registry's) may be used. @example fusedKernelsEnabled() */
export function fusedKernelsEnabled(): boolean {
  return enabled;
}

/**
 * The fused kernel for an algorithm on a device, if any.
 * @example const k = fusedKernel("adam", "cpu")
 */
export function fusedKernel<K extends keyof FusedOptimizerKernels>(name: K, device: string): FusedOptimizerKernels[K] | undefined {
  return enabled ? kernels.get(device)?.[name] : undefined;
}
