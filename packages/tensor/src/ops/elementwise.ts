// Elementwise ops with broadcasting and type promotion: unary math, binary arithmetic, comparisons, where, clamp (torch.*).

import type { DType } from "../backend/dtype.js";
import { isFloatingPoint, toFloating } from "../backend/dtype.js";
import type { BinaryOp, CompareOp, UnaryFloatOp, UnaryPredicateOp, UnarySameOp } from "../backend/ops.js";
import { run1 } from "../dispatch/dispatcher.js";
import { Tensor } from "../tensor.js";
import { getDefaultDtype } from "../defaults.js";
import type { TensorOrScalar } from "../internal/operands.js";
import { Temps, castTo, prepare, resultType } from "../internal/operands.js";

const NONE = {} as Record<string, never>;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A unary float op (exp, log, sin, …): integer inputs compute in the default float dtype, as PyTorch. */
export function unaryFloat(op: UnaryFloatOp, x: Tensor): Tensor {
  const dtype = toFloating(x.dtype, getDefaultDtype());
  if (x.dtype === dtype) return run1(op, [x], NONE, { dtype, shape: x.shape });
  using xi = castTo(x, dtype);
  return run1(op, [xi], NONE, { dtype, shape: x.shape });
}

/** A unary op that keeps the dtype (neg, abs, floor, …). */
export function unarySame(op: UnarySameOp, x: Tensor): Tensor {
  if (x.dtype === "bool" && (op === "neg" || op === "sign"))
    throw new TypeError(`${op}: not supported for bool tensors; use logicalNot, or convert with .int() first.`);
  // Rounding an integer is the identity.
  if (!isFloatingPoint(x.dtype) && (op === "floor" || op === "ceil" || op === "round" || op === "trunc")) return x.clone();
  return run1(op, [x], NONE, { dtype: x.dtype, shape: x.shape });
}

/** A predicate (isnan, isfinite, …): bool out. */
export function predicate(op: UnaryPredicateOp, x: Tensor): Tensor {
  return run1(op, [x], NONE, { dtype: "bool", shape: x.shape });
}

/** A binary arithmetic op with broadcasting and promotion; `float` ops (div, atan2) compute in a float dtype. */
export function binary(op: BinaryOp, a: TensorOrScalar, b: TensorOrScalar, floatOnly = false): Tensor {
  // Fast path for the common case: two tensors of one numeric dtype and one shape need no promotion or broadcast.
  if (a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype && a.dtype !== "bool" && sameShape(a.shape, b.shape) && (!floatOnly || isFloatingPoint(a.dtype)))
    return run1(op, [a, b], NONE, { dtype: a.dtype, shape: a.shape });
  let dtype: DType = resultType([a, b]);
  if (floatOnly) dtype = toFloating(dtype, getDefaultDtype());
  if (dtype === "bool" && op !== "maximum" && op !== "minimum") {
    if (op === "add") return compare("logicalOr", a, b);
    if (op === "mul") return compare("logicalAnd", a, b);
    throw new TypeError(`${op}: not supported for bool tensors; convert them with .int() or .float() first.`);
  }
  using temps = new Temps();
  const { inputs, shape } = prepare(op, [a, b], dtype, temps);
  return run1(op, inputs, NONE, { dtype, shape });
}

/** A comparison or logical op: bool out. */
export function compare(op: CompareOp, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const dtype = op.startsWith("logical") ? "bool" : resultType([a, b]);
  using temps = new Temps();
  const { inputs, shape } = prepare(op, [a, b], dtype, temps);
  return run1(op, inputs, NONE, { dtype: "bool", shape });
}

/**
 * `a + alpha * b` with broadcasting, as `torch.add`.
 * @example add(x, 1); add(x, y, { alpha: 2 })
 */
export function add(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number }): Tensor {
  if (opts?.alpha !== undefined && opts.alpha !== 1) {
    using scaled = binary("mul", b, opts.alpha);
    return binary("add", a, scaled);
  }
  return binary("add", a, b);
}

/** `a - alpha * b`, as `torch.sub`. @example sub(x, y) */
export function sub(a: TensorOrScalar, b: TensorOrScalar, opts?: { alpha?: number }): Tensor {
  if (opts?.alpha !== undefined && opts.alpha !== 1) {
    using scaled = binary("mul", b, opts.alpha);
    return binary("sub", a, scaled);
  }
  return binary("sub", a, b);
}

/** Elementwise product, as `torch.mul`. @example mul(x, 2) */
export function mul(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary("mul", a, b);
}

/**
 * True division (integers give floats), or rounded with `roundingMode` "trunc" / "floor", as `torch.div`.
 * @example div(x, 2); div(a, b, { roundingMode: "floor" })
 */
export function div(a: TensorOrScalar, b: TensorOrScalar, opts?: { roundingMode?: "trunc" | "floor" | null }): Tensor {
  const mode = opts?.roundingMode ?? null;
  if (mode === null) return binary("div", a, b, true);
  const dtype = resultType([a, b]);
  if (mode === "floor") return binary("floorDivide", a, b);
  if (isFloatingPoint(dtype)) {
    using q = binary("div", a, b);
    return q.trunc();
  }
  // Integer truncating division: floor division corrected where the signs differ and there is a remainder.
  using q = binary("floorDivide", a, b);
  using r = binary("remainder", a, b);
  using nonzero = r.ne(0);
  using negative = q.lt(0);
  using fix = nonzero.logicalAnd(negative);
  using step = fix.to(dtype);
  return q.add(step);
}

/** `a ** b`, as `torch.pow`. @example pow(x, 2) */
export function pow(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary("pow", a, b);
}

/** Elementwise maximum (NaN propagates), as `torch.maximum`. @example maximum(x, y) */
export function maximum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary("maximum", a, b);
}

/** Elementwise minimum (NaN propagates), as `torch.minimum`. @example minimum(x, y) */
export function minimum(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary("minimum", a, b);
}

/** Python-style remainder (sign of the divisor), as `torch.remainder`. @example remainder(x, 3) */
export function remainder(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary("remainder", a, b);
}

/** Floor division, as `torch.floor_divide`. @example floorDivide(x, 2) */
export function floorDivide(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary("floorDivide", a, b);
}

/** Quadrant-aware arctangent of a / b, as `torch.atan2`. @example atan2(y, x) */
export function atan2(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  return binary("atan2", a, b, true);
}

/**
 * Picks from `a` where `cond` is true, else from `b`, with broadcasting, as `torch.where`.
 * @example where(x.gt(0), x, 0)
 */
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (cond.dtype !== "bool") {
    using c = cond.ne(0);
    return where(c, a, b);
  }
  const dtype = resultType([a, b]);
  using temps = new Temps();
  const { inputs, shape } = prepare("where", [cond, a, b], ["bool", dtype, dtype], temps);
  return run1("where", inputs, NONE, { dtype, shape });
}

/**
 * Limits values to [min, max] (either may be omitted), as `torch.clamp`; the gradient passes inside the range.
 * @example clamp(x, -1, 1); clamp(x, { min: 0 })
 */
export function clamp(x: Tensor, min?: TensorOrScalar | null, max?: TensorOrScalar | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null))
    throw new TypeError("clamp: at least one of 'min' or 'max' must not be None.");
  if (max === undefined || max === null) return clampBelow(x, min!);
  if (min === undefined || min === null) return clampAbove(x, max);
  using low = clampBelow(x, min);
  return clampAbove(low, max);
}

function clampBelow(x: Tensor, min: TensorOrScalar): Tensor {
  using below = x.lt(min);
  return where(below, min, x);
}

function clampAbove(x: Tensor, max: TensorOrScalar): Tensor {
  using above = x.gt(max);
  return where(above, max, x);
}
