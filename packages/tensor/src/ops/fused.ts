// Routing composites to a backend's fused kernels (DESIGN.md "Fused kernels are optional"); the composites import this, never the reverse.

import type { DType } from "../backend/dtype.js";
import type { FusedAttrs, FusedOp } from "../backend/ops.js";
import { getBackend } from "../backend/registry.js";
import { dispatch } from "../dispatch/dispatcher.js";
import type { Tensor } from "../tensor.js";
import { ContextVar } from "../internal/context.js";

const fusedMode = new ContextVar<boolean>(true);

/**
 * Runs `fn` with fused kernels turned off, so every composite runs on primitives (autograd's recompute path uses it;
 * also handy to compare a backend's fused kernels with the composites).
 * @example const reference = withoutFused(() => softmax(x, -1));
 */
export function withoutFused<R>(fn: () => R): R {
  return fusedMode.run(false, fn);
}

/** True when `device` has a fused kernel for `op` accepting `dtype` (default float32), and fused kernels are not turned off here. */
export function hasFused(op: FusedOp, device: string, dtype: DType = "float32"): boolean {
  if (!fusedMode.get()) return false;
  const k = getBackend(device).fused?.[op];
  return k !== undefined && (k.dtypes ?? ["float32"]).includes(dtype);
}

/** Runs a fused op through the dispatcher (so autograd records it). */
export function runFused<K extends FusedOp>(op: K, inputs: readonly Tensor[], attrs: FusedAttrs[K]): Tensor[] {
  return dispatch({ op, inputs, attrs } as never);
}

/** True when every tensor is contiguous and of the first one's floating dtype (what fused kernels accept). */
export function fusable(...ts: (Tensor | null | undefined)[]): boolean {
  const dtype = ts.find((t) => t)?.dtype;
  return ts.every((t) => !t || (t.isContiguous() && t.isFloatingPoint && t.dtype === dtype));
}

/**
 * One AdamW update in place with the device's fused kernel, when it has one (returns false otherwise, and the
 * caller runs the update written with tensor ops). All four tensors: contiguous float32 on one device.
 * @example if (!fusedAdamwStep(p, p.grad!, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step, maximize: false })) slowPath();
 */
export function fusedAdamwStep(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, attrs: FusedAttrs["adamwStep"]): boolean {
  if (!hasFused("adamwStep", param.device, param.dtype)) return false;
  if (![param, grad, expAvg, expAvgSq].every((t) => t.dtype === "float32" && t.isContiguous() && t.device === param.device)) return false;
  runFused("adamwStep", [param, grad, expAvg, expAvgSq], attrs);
  return true;
}
