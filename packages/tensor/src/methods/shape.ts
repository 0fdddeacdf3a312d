// Tensor methods for shapes, indexing and conversion (torch.Tensor's view, permute, gather, to, float, …, camelCased).

import type { DType } from "../backend/dtype.js";
import { Tensor } from "../tensor.js";
import type { TensorOrScalar } from "../internal/operands.js";
import * as S from "../ops/shape.js";
import * as X from "../ops/shape-extra.js";
import * as I from "../ops/indexing.js";
import { index } from "../ops/index-spec.js";
import type { IndexSpec } from "../ops/index-spec.js";
import { detach, inplace, to, toAsync } from "../ops/convert.js";
import type { ToOptions } from "../ops/convert.js";

type Dims = number[];

declare module "../tensor.js" {
  interface Tensor {
    view(...shape: Dims): Tensor;
    view(shape: readonly number[]): Tensor;
    reshape(...shape: Dims): Tensor;
    reshape(shape: readonly number[]): Tensor;
    viewAs(other: Tensor): Tensor;
    reshapeAs(other: Tensor): Tensor;
    permute(...dims: Dims): Tensor;
    permute(dims: readonly number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    swapaxes(dim0: number, dim1: number): Tensor;
    /** Transpose of a ≤ 2-D tensor, as `Tensor.t()`. */
    t(): Tensor;
    /** All dims reversed, as `Tensor.T`. */
    readonly T: Tensor;
    /** The last two dims swapped, as `Tensor.mT`. */
    readonly mT: Tensor;
    expand(...shape: Dims): Tensor;
    expand(shape: readonly number[]): Tensor;
    expandAs(other: Tensor): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
    /** Python-style indexing: `x.index(sl(), 0, null, "...")` is `x[:, 0, None, ...]`. */
    index(...specs: IndexSpec[]): Tensor;
    contiguous(): Tensor;
    clone(): Tensor;
    flip(...dims: Dims): Tensor;
    flip(dims: readonly number[]): Tensor;
    repeat(...sizes: Dims): Tensor;
    repeat(sizes: readonly number[]): Tensor;
    tile(reps: readonly number[]): Tensor;
    movedim(source: number, destination: number): Tensor;
    split(sizeOrSections: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: TensorOrScalar): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    indexAdd(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor;
    maskedFill(mask: Tensor, value: TensorOrScalar): Tensor;
    maskedFill_(mask: Tensor, value: TensorOrScalar): this;
    sort(dim?: number, descending?: boolean): I.SortResult;
    argsort(dim?: number, descending?: boolean): Tensor;
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): I.SortResult;
    triu(diagonal?: number): Tensor;
    tril(diagonal?: number): Tensor;
    to(target: DType | string | ToOptions): Tensor;
    toAsync(device: string): Promise<Tensor>;
    type(dtype: DType): Tensor;
    float(): Tensor; double(): Tensor; half(): Tensor; bfloat16(): Tensor;
    int(): Tensor; long(): Tensor; bool(): Tensor; byte(): Tensor;
    cpu(): Tensor;
    detach(): Tensor;
  }
}

const shapeArgs = (args: unknown[]): number[] => (args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as number[])] : (args as number[]));

Object.assign(Tensor.prototype, {
  view(this: Tensor, ...s: unknown[]) { return S.view(this, shapeArgs(s)); },
  reshape(this: Tensor, ...s: unknown[]) { return S.reshape(this, shapeArgs(s)); },
  viewAs(this: Tensor, o: Tensor) { return S.view(this, o.shape); },
  reshapeAs(this: Tensor, o: Tensor) { return S.reshape(this, o.shape); },
  permute(this: Tensor, ...d: unknown[]) { return S.permute(this, shapeArgs(d)); },
  transpose(this: Tensor, a: number, b: number) { return S.transpose(this, a, b); },
  swapaxes(this: Tensor, a: number, b: number) { return S.transpose(this, a, b); },
  t(this: Tensor) {
    if (this.ndim > 2) throw new RangeError(`t: expects a tensor with <= 2 dimensions, but self is ${this.ndim}D. Use .transpose(dim0, dim1) or .mT.`);
    return this.ndim < 2 ? S.view(this, this.shape) : S.transpose(this, 0, 1);
  },
  expand(this: Tensor, ...s: unknown[]) { return S.expand(this, shapeArgs(s)); },
  expandAs(this: Tensor, o: Tensor) { return X.expandAs(this, o); },
  squeeze(this: Tensor, dim?: number | readonly number[]) { return S.squeeze(this, dim); },
  unsqueeze(this: Tensor, dim: number) { return S.unsqueeze(this, dim); },
  flatten(this: Tensor, a?: number, b?: number) { return S.flatten(this, a, b); },
  unflatten(this: Tensor, dim: number, sizes: readonly number[]) { return S.unflatten(this, dim, sizes); },
  narrow(this: Tensor, dim: number, start: number, length: number) { return S.narrow(this, dim, start, length); },
  select(this: Tensor, dim: number, i: number) { return S.select(this, dim, i); },
  slice(this: Tensor, dim: number, start?: number | null, end?: number | null, step?: number) { return S.slice(this, dim, start, end, step); },
  index(this: Tensor, ...specs: IndexSpec[]) { return index(this, ...specs); },
  contiguous(this: Tensor) { return S.contiguous(this); },
  clone(this: Tensor) { return S.clone(this); },
  flip(this: Tensor, ...d: unknown[]) { return S.flip(this, shapeArgs(d)); },
  repeat(this: Tensor, ...s: unknown[]) { return S.repeat(this, shapeArgs(s)); },
  tile(this: Tensor, reps: readonly number[]) { return X.tile(this, reps); },
  movedim(this: Tensor, a: number, b: number) { return X.movedim(this, a, b); },
  split(this: Tensor, s: number | readonly number[], dim?: number) { return S.split(this, s, dim); },
  chunk(this: Tensor, c: number, dim?: number) { return S.chunk(this, c, dim); },
  unbind(this: Tensor, dim?: number) { return S.unbind(this, dim); },
  gather(this: Tensor, dim: number, idx: Tensor) { return I.gather(this, dim, idx); },
  scatter(this: Tensor, dim: number, idx: Tensor, src: TensorOrScalar) { return I.scatter(this, dim, idx, src); },
  scatterAdd(this: Tensor, dim: number, idx: Tensor, src: Tensor) { return I.scatterAdd(this, dim, idx, src); },
  indexSelect(this: Tensor, dim: number, idx: Tensor) { return I.indexSelect(this, dim, idx); },
  indexAdd(this: Tensor, dim: number, idx: Tensor, src: Tensor, opts?: { alpha?: number }) { return I.indexAdd(this, dim, idx, src, opts); },
  maskedFill(this: Tensor, m: Tensor, v: TensorOrScalar) { return I.maskedFill(this, m, v); },
  maskedFill_(this: Tensor, m: Tensor, v: TensorOrScalar) { return inplace(this, I.maskedFill(this, m, v)); },
  sort(this: Tensor, dim?: number, desc?: boolean) { return I.sort(this, dim, desc); },
  argsort(this: Tensor, dim?: number, desc?: boolean) { return I.argsort(this, dim, desc); },
  topk(this: Tensor, k: number, dim?: number, largest?: boolean, sorted?: boolean) { return I.topk(this, k, dim, largest, sorted); },
  triu(this: Tensor, d?: number) { return I.triu(this, d); },
  tril(this: Tensor, d?: number) { return I.tril(this, d); },
  to(this: Tensor, target: DType | string | ToOptions) { return to(this, target); },
  toAsync(this: Tensor, device: string) { return toAsync(this, device); },
  type(this: Tensor, dtype: DType) { return to(this, { dtype }); },
  float(this: Tensor) { return to(this, { dtype: "float32" }); },
  double(this: Tensor) { return to(this, { dtype: "float64" }); },
  half(this: Tensor) { return to(this, { dtype: "float16" }); },
  bfloat16(this: Tensor) { return to(this, { dtype: "bfloat16" }); },
  int(this: Tensor) { return to(this, { dtype: "int32" }); },
  long(this: Tensor) { return to(this, { dtype: "int64" }); },
  bool(this: Tensor) { return to(this, { dtype: "bool" }); },
  byte(this: Tensor) { return to(this, { dtype: "uint8" }); },
  cpu(this: Tensor) { return to(this, { device: "cpu" }); },
  detach(this: Tensor) { return detach(this); },
});

Object.defineProperty(Tensor.prototype, "T", {
  get(this: Tensor) {
    return S.permute(this, [...Array(this.ndim).keys()].reverse());
  },
});
Object.defineProperty(Tensor.prototype, "mT", {
  get(this: Tensor) {
    if (this.ndim < 2) throw new RangeError(`mT: tensor.mT is only supported on matrices or batches of matrices. Got ${this.ndim}-D tensor.`);
    return S.transpose(this, -2, -1);
  },
});
