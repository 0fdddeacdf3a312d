// Reductions: sum, mean, prod, max/min (with indices), amax/amin, argmax/argmin, var/std, logsumexp, norm, any/all, cumsum.

import type { DType } from "../backend/dtype.js";
import { isFloatingPoint } from "../backend/dtype.js";
import { fmtShape, normDim, normDims } from "../backend/layout.js";
import type { ReduceOp } from "../backend/ops.js";
import { run1 } from "../dispatch/dispatcher.js";
import type { Tensor } from "../tensor.js";
import { Temps, castTo } from "../internal/operands.js";
import { disposing } from "../internal/disposing.js";
import { where } from "./elementwise.js";
import { gather } from "./indexing.js";
import { reshape, squeeze, view } from "./shape.js";

/** Dims to reduce: all when `dim` is undefined/null or an empty list (as PyTorch's sum(dim=[])). */
export type DimArg = number | readonly number[] | null | undefined;

function dimsOf(x: Tensor, dim: DimArg, op: string): number[] {
  if (dim === undefined || dim === null) return [...Array(x.ndim).keys()];
  const list = typeof dim === "number" ? [dim] : dim;
  if (list.length === 0) return [...Array(x.ndim).keys()];
  return normDims(list, x.ndim, op).sort((a, b) => a - b);
}

function keptShape(x: Tensor, dims: readonly number[]): number[] {
  return x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

/** Runs a reduce primitive and drops the reduced dims unless `keepdim`. */
function reduce(op: ReduceOp, x: Tensor, dims: number[], keepdim: boolean, dtype: DType): Tensor {
  if ((op === "max" || op === "min") && dims.some((d) => x.shape[d] === 0))
    throw new RangeError(`${op === "max" ? "amax" : "amin"}: expected reduction dim ${dims.find((d) => x.shape[d] === 0)} to have non-zero size (input shape ${fmtShape(x.shape)}).`);
  using temps = new Temps();
  const xi = temps.add(castTo(x, dtype), x);
  const r = run1(op, [xi], { dims }, { dtype, shape: keptShape(x, dims) });
  if (keepdim || x.ndim === 0) return r;
  using kept = r;
  return view(kept, x.shape.filter((_, i) => !dims.includes(i)));
}

/** Accumulation dtype of sum/prod/cumsum: integers and bools accumulate in int64, as PyTorch. */
function accDtype(x: Tensor, dtype?: DType): DType {
  return dtype ?? (isFloatingPoint(x.dtype) ? x.dtype : "int64");
}

/**
 * Sum over `dim` (all dims when omitted), as `torch.sum`.
 * @example x.sum(); x.sum(1, true); x.sum([0, 2])
 */
export function sum(x: Tensor, dim?: DimArg, keepdim = false, opts?: { dtype?: DType }): Tensor {
  return reduce("sum", x, dimsOf(x, dim, "sum"), keepdim, accDtype(x, opts?.dtype));
}

/** Product over `dim`, as `torch.prod`. @example x.prod(1) */
export function prod(x: Tensor, dim?: DimArg, keepdim = false, opts?: { dtype?: DType }): Tensor {
  return reduce("prod", x, dimsOf(x, dim, "prod"), keepdim, accDtype(x, opts?.dtype));
}

/** Mean over `dim`, as `torch.mean` (floating-point inputs only, as PyTorch). @example x.mean(-1) */
export function mean(x: Tensor, dim?: DimArg, keepdim = false, opts?: { dtype?: DType }): Tensor {
  const dtype = opts?.dtype ?? x.dtype;
  if (!isFloatingPoint(dtype))
    throw new TypeError(`mean: could not infer output dtype. Input dtype must be floating point, got ${x.dtype}. Use x.float().mean() or pass { dtype: "float32" }.`);
  const dims = dimsOf(x, dim, "mean");
  const count = dims.reduce((n, d) => n * x.shape[d], 1);
  using s = reduce("sum", x, dims, keepdim, dtype);
  return s.div(count);
}

/** Maximum over `dim` (all when omitted), as `torch.amax`; the gradient is shared evenly among ties. @example x.amax([1, 2]) */
export function amax(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  return reduce("max", x, dimsOf(x, dim, "amax"), keepdim, x.dtype);
}

/** Minimum over `dim`, as `torch.amin`. @example x.amin(-1) */
export function amin(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  return reduce("min", x, dimsOf(x, dim, "amin"), keepdim, x.dtype);
}

/** Index of the maximum along `dim` (of the flattened tensor when omitted), as `torch.argmax`. @example x.argmax(1) */
export function argmax(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argReduce("argmax", x, dim, keepdim);
}

/** Index of the minimum along `dim`, as `torch.argmin`. @example x.argmin(-1, true) */
export function argmin(x: Tensor, dim?: number | null, keepdim = false): Tensor {
  return argReduce("argmin", x, dim, keepdim);
}

function argReduce(op: "argmax" | "argmin", x: Tensor, dim: number | null | undefined, keepdim: boolean): Tensor {
  if (dim === undefined || dim === null) {
    if (x.numel() === 0) throw new RangeError(`${op}: expected reduction dim to be specified for input.numel() == 0.`);
    using flat = reshape(x, [-1]);
    using r = run1(op, [flat], { dim: 0 }, { dtype: "int64", shape: [1] });
    return keepdim ? reshape(r, x.shape.map(() => 1)) : reshape(r, []);
  }
  const d = normDim(dim, x.ndim, op);
  if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`${op}: expected reduction dim ${d} to have non-zero size.`);
  const r = run1(op, [x], { dim: d }, { dtype: "int64", shape: keptShape(x, [d]) });
  if (keepdim || x.ndim === 0) return r;
  using kept = r;
  return squeeze(kept, d);
}

/** Values and indices of a max/min along a dim. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

function valuesIndices(op: "argmax" | "argmin", x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normDim(dim, x.ndim, op === "argmax" ? "max" : "min");
  const idx = argReduce(op, x, d, true);
  // Values are gathered at the index, so the gradient goes to that one element, as PyTorch's max(dim) backward.
  const vals = gather(x, d, idx);
  if (keepdim || x.ndim === 0) return { values: vals, indices: idx };
  using kept = disposing({ vals, idx });
  return { values: squeeze(kept.vals, d), indices: squeeze(kept.idx, d) };
}

/**
 * The maximum of all elements, or `{ values, indices }` along `dim`, as `torch.max`.
 * @example x.max(); const { values, indices } = x.max(1)
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  if (dim === undefined) return amax(x);
  return valuesIndices("argmax", x, dim, keepdim);
}

/** The minimum of all elements, or `{ values, indices }` along `dim`, as `torch.min`. @example x.min(-1, true) */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  if (dim === undefined) return amin(x);
  return valuesIndices("argmin", x, dim, keepdim);
}

/** Options of var/std: `correction` (1 = unbiased, default) or `unbiased`, and `keepdim`. */
export interface VarOptions {
  correction?: number;
  unbiased?: boolean;
  keepdim?: boolean;
}

/**
 * Variance over `dim`, with Bessel's correction by default, as `torch.var`.
 * @example x.var(1); x.var(-1, { unbiased: false, keepdim: true })
 */
export function variance(x: Tensor, dim?: DimArg, opts: VarOptions = {}): Tensor {
  if (!isFloatingPoint(x.dtype)) throw new TypeError(`var: expected a floating-point input, got ${x.dtype}.`);
  const correction = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  const dims = dimsOf(x, dim, "var");
  const n = dims.reduce((a, d) => a * x.shape[d], 1);
  using m = mean(x, dims, true);
  using centered = x.sub(m);
  using sq = centered.mul(centered);
  using s = sum(sq, dims, opts.keepdim ?? false);
  return s.div(Math.max(0, n - correction));
}

/** Standard deviation, as `torch.std`. @example x.std(0) */
export function std(x: Tensor, dim?: DimArg, opts: VarOptions = {}): Tensor {
  using v = variance(x, dim, opts);
  return v.sqrt();
}

/**
 * log(sum(exp(x))) over `dim`, computed stably, as `torch.logsumexp`.
 * @example x.logsumexp(-1)
 */
export function logsumexp(x: Tensor, dim: DimArg, keepdim = false): Tensor {
  const dims = dimsOf(x, dim, "logsumexp");
  using detached = x.detach();
  using mRaw = amax(detached, dims, true);
  // An all -inf row would give inf - inf; PyTorch shifts by 0 there.
  using absMax = mRaw.abs();
  using isInf = absMax.eq(Infinity);
  using m = where(isInf, 0, mRaw);
  using shifted = x.sub(m);
  using e = shifted.exp();
  using s = sum(e, dims, true);
  using l = s.log();
  if (keepdim) return l.add(m);
  using out = l.add(m);
  return squeeze(out, dims);
}

/**
 * The p-norm over `dim` (all elements when omitted), as `torch.norm` / `torch.linalg.vector_norm`.
 * @example x.norm(2, -1); x.norm(Infinity)
 */
export function norm(x: Tensor, p: number = 2, dim?: DimArg, keepdim = false): Tensor {
  const dims = dimsOf(x, dim, "norm");
  using a = x.abs();
  if (p === Infinity) return amax(a, dims, keepdim);
  if (p === -Infinity) return amin(a, dims, keepdim);
  if (p === 1) return sum(a, dims, keepdim);
  if (p === 2) {
    using sq = x.mul(x);
    using s = sum(sq, dims, keepdim);
    return s.sqrt();
  }
  if (p === 0) {
    using nonzero = x.ne(0);
    using nz = nonzero.to(x.dtype);
    return sum(nz, dims, keepdim);
  }
  using pw = a.pow(p);
  using s = sum(pw, dims, keepdim);
  return s.pow(1 / p);
}

/** True where any element along `dim` is nonzero, as `torch.any` (bool out). @example mask.any() */
export function any(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  if (x.dtype === "bool") return reduce("max", x, dimsOf(x, dim, "any"), keepdim, "bool");
  using b = x.ne(0);
  return reduce("max", b, dimsOf(x, dim, "any"), keepdim, "bool");
}

/** True where all elements along `dim` are nonzero, as `torch.all`. @example x.isfinite().all() */
export function all(x: Tensor, dim?: DimArg, keepdim = false): Tensor {
  if (x.dtype === "bool") return reduce("min", x, dimsOf(x, dim, "all"), keepdim, "bool");
  using b = x.ne(0);
  return reduce("min", b, dimsOf(x, dim, "all"), keepdim, "bool");
}

/** Inclusive cumulative sum along `dim` (integers accumulate in int64), as `torch.cumsum`. @example mask.cumsum(-1) */
export function cumsum(x: Tensor, dim: number, opts?: { dtype?: DType }): Tensor {
  const d = normDim(dim, x.ndim, "cumsum");
  const dtype = accDtype(x, opts?.dtype);
  using temps = new Temps();
  const xi = temps.add(castTo(x, dtype), x);
  return run1("cumsum", [xi], { dim: x.ndim === 0 ? 0 : d }, { dtype, shape: x.shape });
}
