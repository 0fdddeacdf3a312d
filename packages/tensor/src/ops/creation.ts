// Creation functions: tensor, fromTypedArray, zeros, ones, full, empty, arange, linspace, eye and the *Like forms (torch.*).

import type { DType, StorageArray } from "../backend/dtype.js";
import { allocArray, assertDType, isFloatingPoint } from "../backend/dtype.js";
import { floatToBfloat16Bits, floatToHalfBits } from "../backend/half.js";
import { checkShape, fmtShape, numel } from "../backend/layout.js";
import { run1 } from "../dispatch/dispatcher.js";
import { Tensor } from "../tensor.js";
import { withAllocLimit } from "../internal/alloc-limit.js";
import { getDefaultDevice, getDefaultDtype } from "../defaults.js";

/** Options shared by creation functions. */
export interface CreateOptions {
  dtype?: DType;
  device?: string;
  requiresGrad?: boolean;
}

/** A scalar a tensor can hold. */
export type Scalar = number | boolean | bigint;

/** Nested arrays of scalars, or a typed array, or one scalar. */
export type TensorData = Scalar | StorageArray | readonly TensorData[];

function finish(t: Tensor, opts: CreateOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Writes host values of `dtype` (numbers, booleans, bigints) into a host array of that dtype. */
export function toStorageArray(values: ArrayLike<Scalar>, dtype: DType): StorageArray {
  const n = values.length;
  const out = allocArray(dtype, n);
  if (dtype === "int64") {
    const o = out as BigInt64Array;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      o[i] = typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v)));
    }
  } else if (dtype === "float16" || dtype === "bfloat16") {
    const conv = dtype === "float16" ? floatToHalfBits : floatToBfloat16Bits;
    for (let i = 0; i < n; i++) out[i] = conv(Number(values[i]));
  } else if (dtype === "bool") {
    for (let i = 0; i < n; i++) out[i] = values[i] ? 1 : 0;
  } else {
    const o = out as Float64Array;
    for (let i = 0; i < n; i++) o[i] = Number(values[i]);
  }
  return out;
}

function inferDtype(flat: Scalar[]): DType {
  let kind = 0; // 0 bool, 1 int, 2 float
  if (flat.length === 0) return getDefaultDtype();
  for (const v of flat) {
    if (typeof v === "boolean") continue;
    if (typeof v === "bigint") kind = Math.max(kind, 1);
    else if (typeof v === "number") kind = Number.isInteger(v) ? Math.max(kind, 1) : 2;
    else throw new TypeError(`tensor: could not infer dtype of ${typeof v} ${String(v)}: elements must be numbers, booleans or bigints.`);
  }
  return kind === 2 ? getDefaultDtype() : kind === 1 ? "int64" : "bool";
}

function typedDtype(a: StorageArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof BigInt64Array) return "int64";
  if (a instanceof Uint8Array) return "uint8";
  throw new TypeError("tensor: a Uint16Array is ambiguous (float16 or bfloat16 bits); use fromTypedArray(array, shape, { dtype }).");
}

function flatten(data: TensorData, shape: number[], flat: Scalar[], depth: number, path: string): void {
  if (ArrayBuffer.isView(data)) {
    const arr = data as unknown as ArrayLike<Scalar>;
    if (depth === shape.length) shape.push(arr.length);
    else if (shape[depth] !== arr.length)
      throw new RangeError(`tensor: expected sequence of length ${shape[depth]} at dim ${depth} (got ${arr.length}) at ${path}.`);
    for (let i = 0; i < arr.length; i++) flat.push(arr[i]);
    return;
  }
  if (Array.isArray(data)) {
    if (depth === shape.length) shape.push(data.length);
    else if (shape[depth] !== data.length)
      throw new RangeError(`tensor: expected sequence of length ${shape[depth]} at dim ${depth} (got ${data.length}) at ${path}.`);
    for (let i = 0; i < data.length; i++) flatten(data[i] as TensorData, shape, flat, depth + 1, `${path}[${i}]`);
    return;
  }
  if (depth !== shape.length) throw new RangeError(`tensor: expected a sequence at ${path} (dim ${depth}), got the scalar ${String(data)}.`);
  flat.push(data as Scalar);
}

/**
 * A tensor from nested arrays, a typed array (1-D) or a scalar (0-d), as `torch.tensor`. Integers infer int64,
 * floats the default float dtype, booleans bool.
 * @example tensor([[1, 2], [3, 4]], { dtype: "float32" })
 */
export function tensor(data: TensorData, opts?: CreateOptions): Tensor {
  const device = opts?.device ?? getDefaultDevice();
  if (opts?.dtype !== undefined) assertDType(opts.dtype, "tensor");
  if (ArrayBuffer.isView(data) && !opts?.dtype) {
    const a = data as StorageArray;
    return finish(fromTypedArray(a.slice() as StorageArray, [a.length], { dtype: typedDtype(a), device }), opts);
  }
  const shape: number[] = [];
  const flat: Scalar[] = [];
  flatten(data, shape, flat, 0, "data");
  const dtype = opts?.dtype ?? inferDtype(flat);
  return finish(fromTypedArray(toStorageArray(flat, dtype), shape, { dtype, device }), opts);
}

/**
 * Wraps a host array (taking ownership of it) as a tensor of `shape`, as `torch.from_numpy` / `torch.frombuffer`.
 * float16 / bfloat16 take a Uint16Array of raw bits.
 * @example fromTypedArray(new Float32Array([1, 2, 3, 4]), [2, 2])
 */
export function fromTypedArray(array: StorageArray, shape: readonly number[], opts: CreateOptions = {}): Tensor {
  const dtype = opts.dtype ?? typedDtype(array);
  const device = opts.device ?? getDefaultDevice();
  checkShape(shape, "fromTypedArray");
  if (numel(shape) !== array.length)
    throw new RangeError(`fromTypedArray: shape ${fmtShape(shape)} needs ${numel(shape)} elements but the array has ${array.length}.`);
  const t = Tensor.empty(shape, dtype, device);
  if (array.length) t.storage.backend.write(t.storage.buffer, dtype, array, 0);
  return finish(t, opts);
}

/** Normalises `(2, 3)`-style rest arguments or one array to a shape. */
export function shapeArg(args: readonly (number | readonly number[])[], op: string): number[] {
  const s = args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as number[])] : (args as number[]);
  checkShape(s, op);
  return [...s];
}

/**
 * A tensor filled with `value`, as `torch.full`. Its dtype follows the value (bool, int64 or the default float).
 * @example full([2, 3], 0.5)
 */
export function full(shape: readonly number[], value: Scalar, opts?: CreateOptions): Tensor {
  return fullAs("full", shape, value, opts);
}

function fullAs(op: string, shape: readonly number[], value: Scalar, opts?: CreateOptions): Tensor {
  checkShape(shape, op);
  const dtype = opts?.dtype ?? (typeof value === "boolean" ? "bool" : typeof value === "bigint" || Number.isInteger(value) ? "int64" : getDefaultDtype());
  const device = opts?.device ?? getDefaultDevice();
  const v = dtype === "int64" ? (typeof value === "bigint" ? value : BigInt(Math.trunc(Number(value)))) : dtype === "bool" ? Boolean(value) : Number(value);
  return finish(withAllocLimit(op, shape, dtype, device, () => run1("fill", [], { value: v }, { dtype, shape }, device)), opts);
}

function filled(op: string, shape: number[], value: number, opts?: CreateOptions): Tensor {
  checkShape(shape, op);
  return fullAs(op, shape, value, { ...opts, dtype: opts?.dtype ?? getDefaultDtype() });
}

/**
 * Zeros of the default float dtype (or `dtype`), as `torch.zeros`.
 * @example zeros([2, 3]); zeros([4], { dtype: "int64" })
 */
export function zeros(shape: readonly number[], opts?: CreateOptions): Tensor {
  return filled("zeros", [...shape], 0, opts);
}

/** Ones, as `torch.ones`. @example ones([3]) */
export function ones(shape: readonly number[], opts?: CreateOptions): Tensor {
  return filled("ones", [...shape], 1, opts);
}

/** Uninitialised memory, as `torch.empty` (values are whatever the allocator had). @example empty([2, 2]) */
export function empty(shape: readonly number[], opts?: CreateOptions): Tensor {
  checkShape(shape, "empty");
  const dtype = opts?.dtype ?? getDefaultDtype();
  const device = opts?.device ?? getDefaultDevice();
  return finish(withAllocLimit("empty", shape, dtype, device, () => Tensor.empty(shape, dtype, device)), opts);
}

const likeOpts = (t: Tensor, opts?: CreateOptions): CreateOptions => ({ dtype: t.dtype, device: t.device, ...opts });

/** Zeros with the shape, dtype and device of `t`. @example zerosLike(x) */
export function zerosLike(t: Tensor, opts?: CreateOptions): Tensor {
  return zeros(t.shape, likeOpts(t, opts));
}

/** Ones with the shape, dtype and device of `t`. @example onesLike(x) */
export function onesLike(t: Tensor, opts?: CreateOptions): Tensor {
  return ones(t.shape, likeOpts(t, opts));
}

/** `value` with the shape, dtype and device of `t`. @example fullLike(x, 7) */
export function fullLike(t: Tensor, value: Scalar, opts?: CreateOptions): Tensor {
  return full(t.shape, value, likeOpts(t, opts));
}

/** Uninitialised, with the shape, dtype and device of `t`. @example emptyLike(x) */
export function emptyLike(t: Tensor, opts?: CreateOptions): Tensor {
  return empty(t.shape, likeOpts(t, opts));
}

/**
 * Values from `start` to `end` (exclusive) by `step`, as `torch.arange`: int64 when all arguments are integers.
 * @example arange(5) // [0, 1, 2, 3, 4]; arange(0, 1, 0.25)
 */
export function arange(start: number, end?: number, step = 1, opts?: CreateOptions): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0) throw new RangeError("arange: step must be nonzero.");
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`arange: unsupported range: ${start} -> ${end}.`);
  if ((end - start) / step < 0) throw new RangeError(`arange: upper bound and larger bound inconsistent with step sign (start ${start}, end ${end}, step ${step}).`);
  const allInt = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = opts?.dtype ?? (allInt ? "int64" : getDefaultDtype());
  const n = Math.ceil((end - start) / step);
  const vals = new Float64Array(n);
  for (let i = 0; i < n; i++) vals[i] = start + i * step;
  return finish(fromTypedArray(toStorageArray(vals, dtype), [n], { dtype, device: opts?.device }), opts);
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive, as `torch.linspace` (computed from both ends, as PyTorch).
 * @example linspace(-1, 1, 5) // [-1, -0.5, 0, 0.5, 1]
 */
export function linspace(start: number, end: number, steps: number, opts?: CreateOptions): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: number of steps must be a non-negative integer, got ${steps}.`);
  const dtype = opts?.dtype ?? getDefaultDtype();
  const f = dtype === "float64" ? (x: number) => x : Math.fround;
  const vals = new Float64Array(steps);
  const step = steps > 1 ? f((end - start) / (steps - 1)) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) vals[i] = i < half ? f(start + step * i) : f(end - step * (steps - i - 1));
  if (steps === 1) vals[0] = start;
  return finish(fromTypedArray(toStorageArray(vals, dtype), [steps], { dtype, device: opts?.device }), opts);
}

/**
 * The identity matrix (n × m), as `torch.eye`.
 * @example eye(3)
 */
export function eye(n: number, m = n, opts?: CreateOptions): Tensor {
  checkShape([n, m], "eye");
  const dtype = opts?.dtype ?? getDefaultDtype();
  const vals = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) vals[i * m + i] = 1;
  return finish(fromTypedArray(toStorageArray(vals, dtype), [n, m], { dtype, device: opts?.device }), opts);
}

/** True for dtypes that `requiresGrad` accepts. */
export const canRequireGrad = isFloatingPoint;
