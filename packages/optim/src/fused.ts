// The switch between a backend's fused optimizer kernels (FusedAttrs.adamwStep in the tensor layer) and the update written with tensor ops.

let enabled = true;

/**
 * Switches fused kernels on or off globally (off: every update runs as tensor ops), e.g. to compare both paths.
 * @example setFusedOptimizersEnabled(false)
 */
export function setFusedOptimizersEnabled(on: boolean): void {
  enabled = on;
}

/** Whether the backends' fused optimizer kernels may be used. @example fusedKernelsEnabled() */
export function fusedKernelsEnabled(): boolean {
  return enabled;
}
