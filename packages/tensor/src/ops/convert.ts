// Conversions and in-place writes: to(dtype | device), toAsync, detach, copy_, and the in-place forms of ops (PyTorch's `op_`).

import type { DType } from "../backend/dtype.js";
import { assertDType, DTYPES } from "../backend/dtype.js";
import { fmtShape } from "../backend/layout.js";
import { dispatch } from "../dispatch/dispatcher.js";
import { Tensor } from "../tensor.js";
import { castTo, expandTo } from "../internal/operands.js";
import type { Scalar } from "./creation.js";
import { fromTypedArray, full } from "./creation.js";

/** Where `to()` sends a tensor. */
export interface ToOptions {
  dtype?: DType;
  device?: string;
}

/**
 * Converts dtype and/or moves to a device; returns `x` itself when nothing changes, as `Tensor.to`.
 * Moving off a device that cannot be read synchronously needs `toAsync`.
 * @example x.to("float64"); x.to("webgpu"); x.to({ device: "cpu", dtype: "float16" })
 */
export function to(x: Tensor, target: DType | string | ToOptions): Tensor {
  const opts: ToOptions =
    typeof target === "string" ? ((DTYPES as readonly string[]).includes(target) ? { dtype: target as DType } : { device: target }) : target;
  if (opts.dtype !== undefined) assertDType(opts.dtype, "to");
  let out = x;
  if (opts.device !== undefined && opts.device !== x.device) out = dispatch({ op: "transfer", inputs: [x], attrs: { device: opts.device } })[0];
  if (opts.dtype !== undefined && opts.dtype !== out.dtype) {
    const c = castTo(out, opts.dtype);
    if (out !== x) out.dispose();
    out = c;
  }
  return out;
}

/**
 * Moves to a device on every backend, waiting for the source to be read (the result is a new leaf: no gradient
 * flows back through an asynchronous move).
 * @example const onCpu = await gpuTensor.toAsync("cpu")
 */
export async function toAsync(x: Tensor, device: string): Promise<Tensor> {
  if (device === x.device) return x;
  if (x.storage.backend.readSync) return to(x, { device });
  const data = await x.data();
  return fromTypedArray(data, x.shape, { dtype: x.dtype, device });
}

/** A tensor sharing storage with `x` but outside the autograd graph, as `Tensor.detach`. @example x.detach() */
export function detach(x: Tensor): Tensor {
  x.assertAlive("detach");
  return new Tensor(x.storage, x.shape, x.strides, x.offset);
}

/**
 * Writes `src` (broadcast and cast) into `x` in place and returns `x`, as `Tensor.copy_`. Bumps the version counter
 * that autograd checks.
 * @example w.copy_(loaded)
 */
export function copy_(x: Tensor, src: Tensor | Scalar): Tensor {
  const s0 = src instanceof Tensor ? src : full([], src, { dtype: x.dtype, device: x.device });
  let s = s0;
  if (s.device !== x.device) s = dispatch({ op: "transfer", inputs: [s], attrs: { device: x.device } })[0];
  const e = expandTo(s, x.shape);
  try {
    if (e.shape.length !== x.shape.length || e.shape.some((d, i) => d !== x.shape[i]))
      throw new RangeError(`copy_: source of shape ${fmtShape(s.shape)} cannot be broadcast to ${fmtShape(x.shape)}.`);
    dispatch({ op: "assign", inputs: [x, e], attrs: {} as Record<string, never> });
    return x;
  } finally {
    if (e !== s) e.dispose();
    if (s !== s0) s.dispose();
    if (s0 !== src) s0.dispose();
  }
}

/** Runs an out-of-place op and writes its result into `x` (the in-place form `op_`). */
export function inplace(x: Tensor, result: Tensor): Tensor {
  try {
    if (result.shape.length !== x.shape.length || result.shape.some((d, i) => d !== x.shape[i]))
      throw new RangeError(`in-place op: output with shape ${fmtShape(x.shape)} doesn't match the broadcast shape ${fmtShape(result.shape)}.`);
    return copy_(x, result);
  } finally {
    result.dispose();
  }
}
