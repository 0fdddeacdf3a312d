// Tensor methods for math: elementwise, activations, reductions, matmul, in-place forms (torch.Tensor's, camelCased).

import type { DType } from "../backend/dtype.js";
import {
  BINARY_OPS,
  COMPARE_OPS,
  UNARY_FLOAT_OPS,
  UNARY_PREDICATE_OPS,
  UNARY_SAME_OPS,
  type BinaryOp,
  type CompareOp,
  type UnaryFloatOp,
  type UnaryPredicateOp,
  type UnarySameOp,
} from "../backend/ops.js";
import { Tensor } from "../tensor.js";
import type { TensorOrScalar } from "../internal/operands.js";
import * as E from "../ops/elementwise.js";
import * as A from "../ops/activations.js";
import * as R from "../ops/reduce.js";
import * as L from "../ops/linalg.js";
import { normalize } from "../ops/normalization.js";
import { copy_, inplace } from "../ops/convert.js";
import type { Scalar } from "../ops/creation.js";
import { rand, randn } from "../ops/random.js";
import type { Generator } from "../ops/random.js";

type Unary = () => Tensor;

// The methods of the elementwise primitive families, derived from the op catalogue: a new primitive of a family
// is a method here without another line (and binary ones need their function in ops/elementwise.ts, which the
// compiler asks for below).
type UnaryFamilyMethods = { [K in UnaryFloatOp | UnarySameOp | UnaryPredicateOp]: Unary };
type CompareMethods = { [K in CompareOp]: (other: TensorOrScalar) => Tensor };
/** A binary method is its function of ops/elementwise.ts with `this` as the first operand (`add`'s alpha, `div`'s roundingMode). */
type BinaryMethods = {
  [K in BinaryOp]: (typeof E)[K] extends (a: TensorOrScalar, b: TensorOrScalar, ...rest: infer R) => Tensor ? (other: TensorOrScalar, ...rest: R) => Tensor : never;
};

declare module "../tensor.js" {
  interface Tensor extends UnaryFamilyMethods, CompareMethods, BinaryMethods {
    log2: Unary; log10: Unary; square: Unary;
    /** `cond ? this : other`, as `Tensor.where(condition, other)`. */
    where(condition: Tensor, other: TensorOrScalar): Tensor;
    clamp(min?: TensorOrScalar | null, max?: TensorOrScalar | null): Tensor;
    clip(min?: TensorOrScalar | null, max?: TensorOrScalar | null): Tensor;
    clampMin(min: TensorOrScalar): Tensor;
    clampMax(max: TensorOrScalar): Tensor;
    relu: Unary; silu: Unary; mish: Unary;
    gelu(approximate?: "none" | "tanh"): Tensor;
    softplus(beta?: number, threshold?: number): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    elu(alpha?: number): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    sum(dim?: R.DimArg, keepdim?: boolean, opts?: { dtype?: DType }): Tensor;
    mean(dim?: R.DimArg, keepdim?: boolean, opts?: { dtype?: DType }): Tensor;
    prod(dim?: R.DimArg, keepdim?: boolean, opts?: { dtype?: DType }): Tensor;
    amax(dim?: R.DimArg, keepdim?: boolean): Tensor;
    amin(dim?: R.DimArg, keepdim?: boolean): Tensor;
    max(): Tensor;
    max(dim: number, keepdim?: boolean): R.ValuesIndices;
    min(): Tensor;
    min(dim: number, keepdim?: boolean): R.ValuesIndices;
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
    var(dim?: R.DimArg, opts?: R.VarOptions): Tensor;
    std(dim?: R.DimArg, opts?: R.VarOptions): Tensor;
    logsumexp(dim: R.DimArg, keepdim?: boolean): Tensor;
    norm(p?: number, dim?: R.DimArg, keepdim?: boolean): Tensor;
    any(dim?: R.DimArg, keepdim?: boolean): Tensor;
    all(dim?: R.DimArg, keepdim?: boolean): Tensor;
    cumsum(dim: number, opts?: { dtype?: DType }): Tensor;
    matmul(other: Tensor): Tensor; mm(other: Tensor): Tensor; bmm(other: Tensor): Tensor;
    mv(vec: Tensor): Tensor; dot(other: Tensor): Tensor; outer(other: Tensor): Tensor;
    normalize(p?: number, dim?: number, eps?: number): Tensor;
    /** In place: `this += alpha * other`. */
    add_(other: TensorOrScalar, opts?: { alpha?: number }): this;
    sub_(other: TensorOrScalar, opts?: { alpha?: number }): this;
    mul_(other: TensorOrScalar): this;
    div_(other: TensorOrScalar): this;
    pow_(other: TensorOrScalar): this;
    clamp_(min?: TensorOrScalar | null, max?: TensorOrScalar | null): this;
    neg_(): this; exp_(): this; sqrt_(): this; abs_(): this; relu_(): this; sigmoid_(): this; tanh_(): this;
    fill_(value: Scalar | Tensor): this;
    zero_(): this;
    copy_(src: Tensor | Scalar): this;
    /** Fills with uniform samples in [low, high), as `Tensor.uniform_`. */
    uniform_(low?: number, high?: number, opts?: { generator?: Generator }): this;
    /** Fills with normal samples, as `Tensor.normal_`. */
    normal_(mean?: number, std?: number, opts?: { generator?: Generator }): this;
  }
}

const families: UnaryFamilyMethods & CompareMethods = Tensor.prototype;
for (const op of UNARY_FLOAT_OPS)
  families[op] = function (this: Tensor) {
    return E.unaryFloat(op, this);
  };
for (const op of UNARY_SAME_OPS)
  families[op] = function (this: Tensor) {
    return E.unarySame(op, this);
  };
for (const op of UNARY_PREDICATE_OPS)
  families[op] = function (this: Tensor) {
    return E.predicate(op, this);
  };
for (const op of COMPARE_OPS)
  families[op] = function (this: Tensor, other: TensorOrScalar) {
    return E.compare(op, this, other);
  };
const binaries = Tensor.prototype as unknown as Record<BinaryOp, unknown>;
for (const op of BINARY_OPS) {
  // Indexing the module by op name makes the compiler ask for ops/elementwise.ts's function of a new binary primitive.
  const f = E[op] as (a: TensorOrScalar, b: TensorOrScalar, opts?: object) => Tensor;
  binaries[op] = function (this: Tensor, other: TensorOrScalar, opts?: object) {
    return f(this, other, opts);
  };
}

const logBase = (x: Tensor, base: number): Tensor => {
  using l = x.log();
  return l.div(Math.log(base));
};

Object.assign(Tensor.prototype, {
  log2(this: Tensor) { return logBase(this, 2); },
  log10(this: Tensor) { return logBase(this, 10); },
  square(this: Tensor) { return E.mul(this, this); },
  where(this: Tensor, cond: Tensor, other: TensorOrScalar) { return E.where(cond, this, other); },
  clamp(this: Tensor, min?: TensorOrScalar | null, max?: TensorOrScalar | null) { return E.clamp(this, min, max); },
  clip(this: Tensor, min?: TensorOrScalar | null, max?: TensorOrScalar | null) { return E.clamp(this, min, max); },
  clampMin(this: Tensor, min: TensorOrScalar) { return E.clamp(this, min, null); },
  clampMax(this: Tensor, max: TensorOrScalar) { return E.clamp(this, null, max); },
  relu(this: Tensor) { return A.relu(this); },
  silu(this: Tensor) { return A.silu(this); },
  mish(this: Tensor) { return A.mish(this); },
  gelu(this: Tensor, approximate?: "none" | "tanh") { return A.gelu(this, approximate); },
  softplus(this: Tensor, beta?: number, threshold?: number) { return A.softplus(this, beta, threshold); },
  leakyRelu(this: Tensor, s?: number) { return A.leakyRelu(this, s); },
  elu(this: Tensor, alpha?: number) { return A.elu(this, alpha); },
  softmax(this: Tensor, dim: number) { return A.softmax(this, dim); },
  logSoftmax(this: Tensor, dim: number) { return A.logSoftmax(this, dim); },
  sum(this: Tensor, dim?: R.DimArg, keepdim?: boolean, opts?: { dtype?: DType }) { return R.sum(this, dim, keepdim, opts); },
  mean(this: Tensor, dim?: R.DimArg, keepdim?: boolean, opts?: { dtype?: DType }) { return R.mean(this, dim, keepdim, opts); },
  prod(this: Tensor, dim?: R.DimArg, keepdim?: boolean, opts?: { dtype?: DType }) { return R.prod(this, dim, keepdim, opts); },
  amax(this: Tensor, dim?: R.DimArg, keepdim?: boolean) { return R.amax(this, dim, keepdim); },
  amin(this: Tensor, dim?: R.DimArg, keepdim?: boolean) { return R.amin(this, dim, keepdim); },
  max(this: Tensor, dim?: number, keepdim?: boolean) { return dim === undefined ? R.max(this) : R.max(this, dim, keepdim); },
  min(this: Tensor, dim?: number, keepdim?: boolean) { return dim === undefined ? R.min(this) : R.min(this, dim, keepdim); },
  argmax(this: Tensor, dim?: number | null, keepdim?: boolean) { return R.argmax(this, dim, keepdim); },
  argmin(this: Tensor, dim?: number | null, keepdim?: boolean) { return R.argmin(this, dim, keepdim); },
  var(this: Tensor, dim?: R.DimArg, opts?: R.VarOptions) { return R.variance(this, dim, opts); },
  std(this: Tensor, dim?: R.DimArg, opts?: R.VarOptions) { return R.std(this, dim, opts); },
  logsumexp(this: Tensor, dim: R.DimArg, keepdim?: boolean) { return R.logsumexp(this, dim, keepdim); },
  norm(this: Tensor, p?: number, dim?: R.DimArg, keepdim?: boolean) { return R.norm(this, p, dim, keepdim); },
  any(this: Tensor, dim?: R.DimArg, keepdim?: boolean) { return R.any(this, dim, keepdim); },
  all(this: Tensor, dim?: R.DimArg, keepdim?: boolean) { return R.all(this, dim, keepdim); },
  cumsum(this: Tensor, dim: number, opts?: { dtype?: DType }) { return R.cumsum(this, dim, opts); },
  matmul(this: Tensor, o: Tensor) { return L.matmul(this, o); },
  mm(this: Tensor, o: Tensor) { return L.mm(this, o); },
  bmm(this: Tensor, o: Tensor) { return L.bmm(this, o); },
  mv(this: Tensor, o: Tensor) { return L.mv(this, o); },
  dot(this: Tensor, o: Tensor) { return L.dot(this, o); },
  outer(this: Tensor, o: Tensor) { return L.outer(this, o); },
  normalize(this: Tensor, p?: number, dim?: number, eps?: number) { return normalize(this, p, dim, eps); },
  add_(this: Tensor, o: TensorOrScalar, opts?: { alpha?: number }) { return inplace(this, E.add(this, o, opts)); },
  sub_(this: Tensor, o: TensorOrScalar, opts?: { alpha?: number }) { return inplace(this, E.sub(this, o, opts)); },
  mul_(this: Tensor, o: TensorOrScalar) { return inplace(this, E.mul(this, o)); },
  div_(this: Tensor, o: TensorOrScalar) { return inplace(this, E.div(this, o)); },
  pow_(this: Tensor, o: TensorOrScalar) { return inplace(this, E.pow(this, o)); },
  clamp_(this: Tensor, min?: TensorOrScalar | null, max?: TensorOrScalar | null) { return inplace(this, E.clamp(this, min, max)); },
  neg_(this: Tensor) { return inplace(this, this.neg()); },
  exp_(this: Tensor) { return inplace(this, this.exp()); },
  sqrt_(this: Tensor) { return inplace(this, this.sqrt()); },
  abs_(this: Tensor) { return inplace(this, this.abs()); },
  relu_(this: Tensor) { return inplace(this, A.relu(this)); },
  sigmoid_(this: Tensor) { return inplace(this, this.sigmoid()); },
  tanh_(this: Tensor) { return inplace(this, this.tanh()); },
  fill_(this: Tensor, v: Scalar | Tensor) { return copy_(this, v); },
  zero_(this: Tensor) { return copy_(this, 0); },
  copy_(this: Tensor, src: Tensor | Scalar) { return copy_(this, src); },
  uniform_(this: Tensor, low = 0, high = 1, opts?: { generator?: Generator }) {
    const u = rand(this.shape, { dtype: this.dtype, device: this.device, generator: opts?.generator });
    // Scaled in place: one temporary the size of the tensor, not three (initialising a large model).
    if (high - low !== 1) u.mul_(high - low);
    if (low !== 0) u.add_(low);
    return inplace(this, u);
  },
  normal_(this: Tensor, mean = 0, std = 1, opts?: { generator?: Generator }) {
    const n = randn(this.shape, { dtype: this.dtype, device: this.device, generator: opts?.generator });
    if (std !== 1) n.mul_(std);
    if (mean !== 0) n.add_(mean);
    return inplace(this, n);
  },
});
