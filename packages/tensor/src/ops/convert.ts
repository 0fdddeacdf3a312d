// Conversions and in-place writes: to(dtype | device), toAsync, detach, copy_, and the in-place forms of ops (PyTorch's `op_`).

import type { DType } from "../backend/dtype.js";
import { assertDType, DTYPES } from "../backend/dtype.js";
import { fmtShape } from "../backend/layout.js";
import { dispatch } from "../dispatch/dispatcher.js";
import { Tensor } from "../tensor.js";
import { Temps, castTo, expandTo } from "../internal/operands.js";
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
  const dtype = opts.dtype ?? x.dtype;
  if (opts.device === undefined || opts.device === x.device) return castTo(x, dtype);
  const moved = dispatch({ op: "transfer", inputs: [x], attrs: { device: opts.device } })[0];
  if (moved.dtype === dtype) return moved;
  using m = moved;
  return castTo(m, dtype);
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
  using temps = new Temps();
  const s0 = src instanceof Tensor ? src : temps.add(full([], src, { dtype: x.dtype, device: x.device }));
  const s = s0.device === x.device ? s0 : temps.add(dispatch({ op: "transfer", inputs: [s0], attrs: { device: x.device } })[0]);
  const e = temps.add(expandTo(s, x.shape), s);
  if (e.shape.length !== x.shape.length || e.shape.some((d, i) => d !== x.shape[i]))
    throw new RangeError(`copy_: source of shape ${fmtShape(s.shape)} cannot be broadcast to ${fmtShape(x.shape)}.`);
  dispatch({ op: "assign", inputs: [x, e], attrs: {} as Record<string, never> });
  return x;
}

/** Runs an out-of-place op and writes its result into `x` (the in-place form `op_`). */
export function inplace(x: Tensor, result: Tensor): Tensor {
  using r = result;
  if (r.shape.length !== x.shape.length || r.shape.some((d, i) => d !== x.shape[i]))
    throw new RangeError(`in-place op: output with shape ${fmtShape(x.shape)} doesn't match the broadcast shape ${fmtShape(r.shape)}.`);
  return copy_(x, r);
}
