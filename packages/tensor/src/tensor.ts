// Tensor: a strided view of a storage on a device, with autograd's slots; ops are methods installed from ops/ (PyTorch's torch.Tensor).

import type { DType, StorageArray } from "./backend/dtype.js";
import { assertDType, isFloatingPoint, itemSize } from "./backend/dtype.js";
import { bfloat16BitsToFloat, halfBitsToFloat } from "./backend/half.js";
import { contiguousStrides, fmtShape, isContiguous, normDim, numel } from "./backend/layout.js";
import { getBackend } from "./backend/registry.js";
import { Storage } from "./storage.js";
import { trackTensor, untrackTensor } from "./memory.js";
import { formatTensor } from "./internal/format.js";
import { withAllocLimit } from "./internal/alloc-limit.js";

/** What autograd records on a non-leaf tensor: at least the op's name (`AddBackward0` style). */
export interface GradFn {
  readonly name: string;
}

/** Options of `backward()`, as `torch.Tensor.backward`. */
export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  inputs?: Tensor[];
}

/** The autograd engine `@tsorch/autograd` installs; the tensor layer only forwards `backward()` to it. */
export interface AutogradEngine {
  backward(t: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void;
  /** Called when user code sets `requiresGrad` so the engine can validate (e.g. non-leaf). */
  onRequiresGrad?(t: Tensor, value: boolean): void;
}

let engine: AutogradEngine | null = null;

/** Installs the autograd engine (done by importing `@tsorch/autograd`). */
export function setAutogradEngine(e: AutogradEngine | null): void {
  engine = e;
}

/** A nested array of numbers (or booleans / bigints), as `tolist()` returns. */
export type NestedArray<T> = T | NestedArray<T>[];

declare global {
  /**
   * Methods other packages install on `Tensor` (e.g. `@tsorch/autograd`'s `registerHook`). A module augmentation of
   * "@tsorch/tensor" cannot reach the class through the package's re-export, so packages extend this global instead:
   * `declare global { interface TsorchTensorExtensions { registerHook(...): RemovableHandle } }`.
   */
  // eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type
  interface TsorchTensorExtensions {}
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-unsafe-declaration-merging
export interface Tensor extends TsorchTensorExtensions {}

/**
 * An n-dimensional array on a device. Create with `tensor`, `zeros`, `randn`, …; read with `await t.data()`.
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * const y = x.matmul(x.T).softmax(-1);
 * console.log(await y.tolist());
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly storage: Storage;
  /** Gradient accumulated by `backward()` (leaves, and non-leaves after `retainGrad()`). */
  grad: Tensor | null = null;
  /** The autograd node that made this tensor, or null for leaves. */
  gradFn: GradFn | null = null;
  /** Set by `retainGrad()`: keep `grad` on this non-leaf. */
  retainsGrad = false;
  /** The tensor this one is a view of (autograd uses it for in-place ops on views). */
  base: Tensor | null = null;
  /** Autograd's private slot (hooks, accumulators); the tensor layer never reads it. */
  autogradMeta: unknown = undefined;
  private _requiresGrad = false;
  private _disposed = false;

  /** Internal: wrap a storage. Use the creation functions instead. */
  constructor(storage: Storage, shape: readonly number[], strides: readonly number[], offset: number) {
    this.storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    storage.retain();
    trackTensor(this, storage);
  }

  /**
   * Internal: an uninitialised contiguous tensor on a device. Every new storage (creation ops, op results) comes
   * through here, so `op` (the op whose result this is) names it when the device refuses the memory.
   */
  static empty(shape: readonly number[], dtype: DType, device: string, op = "empty"): Tensor {
    assertDType(dtype, "dtype");
    const backend = getBackend(device);
    if (!backend.dtypes.includes(dtype))
      throw new TypeError(
        `device "${device}" cannot hold ${dtype} tensors (it supports ${backend.dtypes.join(", ")}). ` +
          `Keep this tensor on "cpu" or convert it with .to("float32") first.`,
      );
    const n = numel(shape);
    const storage = new Storage(backend, withAllocLimit(op, shape, dtype, device, () => backend.alloc(dtype, n)), dtype, n);
    return new Tensor(storage, [...shape], contiguousStrides(shape), 0);
  }

  /** Internal: another view of the same storage. */
  viewOf(shape: readonly number[], strides: readonly number[], offset: number): Tensor {
    const t = new Tensor(this.storage, shape, strides, offset);
    t.base = this.base ?? this;
    return t;
  }

  get dtype(): DType {
    return this.storage.dtype;
  }

  /** Device name (`"cpu"`, `"webgpu"`, …). */
  get device(): string {
    return this.storage.device;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of dims (as `Tensor.dim()`). */
  dim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  numel(): number {
    return numel(this.shape);
  }

  /** The shape, or one dim's size (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this.shape] : this.shape[normDim(dim, this.ndim, "size")];
  }

  /** Strides in elements, as `Tensor.stride()`. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    return dim === undefined ? [...this.strides] : this.strides[normDim(dim, this.ndim, "stride")];
  }

  /** Bytes per element. */
  elementSize(): number {
    return itemSize(this.dtype);
  }

  /** True when the elements are laid out row-major without gaps. */
  isContiguous(): boolean {
    return isContiguous(this);
  }

  get isFloatingPoint(): boolean {
    return isFloatingPoint(this.dtype);
  }

  /** Whether autograd records ops on this tensor. Only floating-point tensors can require gradients. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(v: boolean) {
    if (v && !isFloatingPoint(this.dtype))
      throw new TypeError(
        `requiresGrad: only tensors of floating point dtype can require gradients, but this one is ${this.dtype} ` +
          `(shape ${fmtShape(this.shape)}). Convert it first: t.to("float32").requiresGrad_()`,
      );
    engine?.onRequiresGrad?.(this, v);
    this._requiresGrad = v;
  }

  /** Internal: sets the flag without validation (autograd marks outputs). */
  setRequiresGradUnchecked(v: boolean): void {
    this._requiresGrad = v;
  }

  /** Sets `requiresGrad` in place and returns this tensor, as `requires_grad_()`. */
  requiresGrad_(v = true): this {
    this.requiresGrad = v;
    return this;
  }

  /** True for tensors not made by a recorded op (user-created, or detached). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Keeps `grad` on this non-leaf tensor after `backward()`. */
  retainGrad(): void {
    if (!this._requiresGrad) throw new Error("retainGrad: can't retain grad on a tensor that has requiresGrad=false.");
    this.retainsGrad = true;
  }

  /**
   * Computes gradients of this tensor with respect to the graph's leaves, as `torch.Tensor.backward`.
   * Needs `@tsorch/autograd` to be imported (the `tsorch` umbrella does it).
   * @example const loss = w.mul(x).sum(); loss.backward(); w.grad
   */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    if (!engine)
      throw new Error(
        'backward: no autograd engine is installed. Import "@tsorch/autograd" (or use the "tsorch" package, which installs it) before calling backward().',
      );
    engine.backward(this, gradient, options);
  }

  /** True once `dispose()` ran. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Releases this tensor's reference to its storage; the buffer is freed when no view uses it. Idempotent. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    untrackTensor(this);
    this.storage.release();
    this.grad = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Internal: throws a clear error when the tensor was disposed. */
  assertAlive(op: string): void {
    if (this._disposed || this.storage.freed)
      throw new Error(
        `${op}: this tensor (shape ${fmtShape(this.shape)}, ${this.dtype}, "${this.device}") was disposed and cannot be used. ` +
          `Keep it alive: return it from the scope, or call keep(t), or don't call dispose() on it yet.`,
      );
  }

  // Reads go through a contiguous copy when the view has gaps or another order.
  private readArgs(op: string): { src: Tensor; temp: boolean } {
    this.assertAlive(op);
    if (this.isContiguous()) return { src: this, temp: false };
    return { src: (this as unknown as { contiguous(): Tensor }).contiguous(), temp: true };
  }

  /**
   * The elements in row-major order as a fresh host array (Float32Array, BigInt64Array for int64, Uint8Array for bool, …).
   * Waits for the device. Works on every backend.
   * @example const values = await x.data();
   */
  async data(): Promise<StorageArray> {
    const { src, temp } = this.readArgs("data");
    try {
      return await src.storage.backend.read(src.storage.buffer, src.dtype, src.offset, src.numel());
    } finally {
      if (temp) src.dispose();
    }
  }

  /** Synchronous `data()`, only on devices that can read synchronously (the CPU). */
  dataSync(): StorageArray {
    const backend = this.storage.backend;
    if (!backend.readSync)
      throw new Error(
        `dataSync: device "${this.device}" cannot be read synchronously (its work runs asynchronously). Use "await t.data()" instead.`,
      );
    const { src, temp } = this.readArgs("dataSync");
    try {
      return backend.readSync(src.storage.buffer, src.dtype, src.offset, src.numel());
    } finally {
      if (temp) src.dispose();
    }
  }

  /** The value of a one-element tensor, as `item()`: a number (boolean for bool; bigint for int64 beyond 2^53). */
  async item(): Promise<number | boolean | bigint> {
    this.checkItem("item");
    return scalarOf(await this.data(), this.dtype);
  }

  /** Synchronous `item()` (CPU). */
  itemSync(): number | boolean | bigint {
    this.checkItem("itemSync");
    return scalarOf(this.dataSync(), this.dtype);
  }

  private checkItem(op: string): void {
    if (this.numel() !== 1)
      throw new RangeError(`${op}: a Tensor with ${this.numel()} elements (shape ${fmtShape(this.shape)}) cannot be converted to a scalar.`);
  }

  /** The elements as nested arrays, as `tolist()`. */
  async tolist(): Promise<NestedArray<number | boolean | bigint>> {
    return nest(await this.data(), this.shape, this.dtype);
  }

  /** Synchronous `tolist()` (CPU). */
  tolistSync(): NestedArray<number | boolean | bigint> {
    return nest(this.dataSync(), this.shape, this.dtype);
  }

  /** PyTorch's repr: `tensor([[1., 2.]], requires_grad=True)`. Needs a synchronous device; others print their shape. */
  toString(): string {
    if (this._disposed) return `tensor(<disposed>, shape=${fmtShape(this.shape)}, dtype=${this.dtype})`;
    if (!this.storage.backend.readSync)
      return `tensor(<on ${this.device}: await t.data() to read>, size=${fmtShape(this.shape)}, dtype=${this.dtype})`;
    return formatTensor(this.dataSync(), this.shape, this.dtype, {
      device: this.device,
      requiresGrad: this._requiresGrad && this.gradFn === null,
      gradFn: this.gradFn?.name,
    });
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function scalarOf(a: StorageArray, dtype: DType): number | boolean | bigint {
  const v = a[0];
  if (dtype === "bool") return v !== 0;
  if (typeof v === "bigint") return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  if (dtype === "float16" || dtype === "bfloat16") return decodeHalf(v as number, dtype);
  return v as number;
}

function decodeHalf(bits: number, dtype: DType): number {
  return dtype === "float16" ? halfBitsToFloat(bits) : bfloat16BitsToFloat(bits);
}

function nest(a: StorageArray, shape: readonly number[], dtype: DType): NestedArray<number | boolean | bigint> {
  const conv = (i: number) => scalarOf(a.subarray(i, i + 1) as StorageArray, dtype);
  if (shape.length === 0) return conv(0);
  const build = (d: number, off: number): NestedArray<number | boolean | bigint> => {
    const n = shape[d];
    const out: NestedArray<number | boolean | bigint>[] = new Array(n);
    if (d === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = conv(off + i);
      return out;
    }
    const step = numel(shape.slice(d + 1));
    for (let i = 0; i < n; i++) out[i] = build(d + 1, off + i * step);
    return out;
  };
  return build(0, 0);
}
