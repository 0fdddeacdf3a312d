// Indexing: gather, scatter, scatterAdd, indexSelect, indexAdd, maskedFill, advanced indexing, sort / topk / argsort (torch.*).

import { isFloatingPoint } from "../backend/dtype.js";
import { fmtShape, normDim } from "../backend/layout.js";
import { dispatch, run1 } from "../dispatch/dispatcher.js";
import { Tensor } from "../tensor.js";
import type { TensorOrScalar } from "../internal/operands.js";
import { Temps, castTo } from "../internal/operands.js";
import { where } from "./elementwise.js";
import type { Scalar } from "./creation.js";
import { arange, full } from "./creation.js";
import { expand, narrow, reshape } from "./shape.js";

function checkIndex(op: string, index: Tensor): void {
  if (index.dtype !== "int64" && index.dtype !== "int32")
    throw new TypeError(`${op}: expected index to be an int64 (or int32) tensor, got ${index.dtype} (shape ${fmtShape(index.shape)}). Convert it with .long().`);
}

function checkSameRank(op: string, x: Tensor, index: Tensor, d: number, src?: Tensor): void {
  if (index.ndim !== x.ndim && !(x.ndim === 0 && index.ndim <= 1))
    throw new RangeError(`${op}: index tensor must have the same number of dimensions as input tensor (input ${fmtShape(x.shape)}, index ${fmtShape(index.shape)}).`);
  for (let i = 0; i < index.ndim; i++) {
    if (i !== d && index.shape[i] > x.shape[i])
      throw new RangeError(`${op}: size ${index.shape[i]} of index does not fit the input's size ${x.shape[i]} at dim ${i} (index ${fmtShape(index.shape)}, input ${fmtShape(x.shape)}).`);
    if (src && index.shape[i] > src.shape[i])
      throw new RangeError(`${op}: size ${index.shape[i]} of index does not fit src's size ${src.shape[i]} at dim ${i}.`);
  }
}

/**
 * out[i][j] = x[i][index[i][j]] along `dim`, as `torch.gather`.
 * @example gather(x, 1, idx)
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex("gather", index);
  const d = normDim(dim, x.ndim, "gather");
  checkSameRank("gather", x, index, d);
  return run1("gather", [x, index], { dim: d }, { dtype: x.dtype, shape: index.shape });
}

/**
 * A copy of `x` with `src` written at `index` along `dim`, as `torch.scatter` (out of place).
 * @example scatter(x, 1, idx, src); scatter(x, 1, idx, 0)
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: TensorOrScalar): Tensor {
  checkIndex("scatter", index);
  const d = normDim(dim, x.ndim, "scatter");
  using temps = new Temps();
  const s = temps.add(src instanceof Tensor ? castTo(src, x.dtype) : expandScalar(src, x, index.shape), src);
  checkSameRank("scatter", x, index, d, s);
  return run1("scatter", [x, index, s], { dim: d }, { dtype: x.dtype, shape: x.shape });
}

function expandScalar(v: Scalar, like: Tensor, shape: readonly number[]): Tensor {
  using s = full([], v, { dtype: like.dtype, device: like.device });
  return expand(s, shape);
}

/**
 * A copy of `x` with `src` added at `index` along `dim` (duplicates accumulate), as `torch.scatter_add`.
 * @example scatterAdd(x, 0, idx, src)
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkIndex("scatterAdd", index);
  const d = normDim(dim, x.ndim, "scatterAdd");
  using temps = new Temps();
  const s = temps.add(castTo(src, x.dtype), src);
  checkSameRank("scatterAdd", x, index, d, s);
  return run1("scatterAdd", [x, index, s], { dim: d }, { dtype: x.dtype, shape: x.shape });
}

/**
 * The slices of `x` at the positions of a 1-D `index` along `dim`, as `torch.index_select`.
 * @example indexSelect(x, 0, tensor([2, 0, 2]))
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex("indexSelect", index);
  if (index.ndim > 1) throw new RangeError(`indexSelect: index must be 0-D or 1-D, got shape ${fmtShape(index.shape)}.`);
  const d = normDim(dim, x.ndim, "indexSelect");
  using temps = new Temps();
  const idx = temps.add(index.ndim === 0 ? reshape(index, [1]) : index, index);
  const shape = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? idx.shape[0] : s));
  return run1("indexSelect", [x, idx], { dim: d }, { dtype: x.dtype, shape });
}

/**
 * A copy of `x` with the slices of `source` added at `index` along `dim`, as `torch.index_add`.
 * @example indexAdd(zeros([5, 3]), 0, tensor([0, 4, 0]), ones([3, 3]))
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor {
  checkIndex("indexAdd", index);
  const d = normDim(dim, x.ndim, "indexAdd");
  using temps = new Temps();
  const src0 = temps.add(opts?.alpha !== undefined && opts.alpha !== 1 ? source.mul(opts.alpha) : source, source);
  const src = temps.add(castTo(src0, x.dtype), src0);
  return run1("indexAdd", [x, index, src], { dim: d }, { dtype: x.dtype, shape: x.shape });
}

/**
 * `value` where `mask` is true, else `x` (mask broadcasts), as `Tensor.masked_fill`.
 * @example scores.maskedFill(mask, -Infinity)
 */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorOrScalar): Tensor {
  if (mask.dtype !== "bool") throw new TypeError(`maskedFill: expected a bool mask, got ${mask.dtype}. Use mask.bool() or a comparison.`);
  using temps = new Temps();
  const v = value instanceof Tensor ? temps.add(castTo(value, x.dtype), value) : value;
  const out = where(mask, v, x);
  if (out.dtype === x.dtype) return out;
  using wide = out;
  return castTo(wide, x.dtype);
}

/** Wraps negative indices by the dim size without reading them (valid range is checked by the kernel). */
function wrapNegative(index: Tensor, size: number): Tensor {
  using neg = index.lt(0);
  using shifted = index.add(size);
  return where(neg, shifted, index);
}

/**
 * `x[index]` for an integer tensor index on dim `dim` (negative indices count from the end), as advanced indexing:
 * the result's shape is `x.shape[:dim] + index.shape + x.shape[dim+1:]`.
 * @example indexWith(x, tensor([[0, 2], [1, 1]]))
 */
export function indexWith(x: Tensor, index: Tensor, dim = 0): Tensor {
  if (index.dtype === "bool") throw new TypeError("index: boolean mask indexing needs the number of true elements; use maskedSelect (CPU) or where().");
  checkIndex("index", index);
  const d = normDim(dim, x.ndim, "index");
  using wrapped = wrapNegative(index, x.shape[d]);
  using flat = reshape(wrapped, [-1]);
  using picked = indexSelect(x, d, flat);
  return reshape(picked, [...x.shape.slice(0, d), ...index.shape, ...x.shape.slice(d + 1)]);
}

/** Sorted values and their original indices. */
export interface SortResult {
  values: Tensor;
  indices: Tensor;
}

/**
 * Sorts along `dim` (stable; NaN last ascending), as `torch.sort`.
 * @example const { values, indices } = sort(x, 1, true)
 */
export function sort(x: Tensor, dim = -1, descending = false): SortResult {
  const d = x.ndim === 0 ? 0 : normDim(dim, x.ndim, "sort");
  const [values, indices] = dispatch({
    op: "sort",
    inputs: [x],
    attrs: { dim: d, descending },
    outputs: [
      { dtype: x.dtype, shape: x.shape },
      { dtype: "int64", shape: x.shape },
    ],
  });
  // Values come from gather so autograd routes each gradient back to its source element.
  using unused = values;
  return { values: gather(x, d, indices), indices };
}

/** Indices that sort `x` along `dim`, as `torch.argsort`. @example argsort(x, -1) */
export function argsort(x: Tensor, dim = -1, descending = false): Tensor {
  const { values, indices } = sort(x, dim, descending);
  using unused = values;
  return indices;
}

/**
 * The `k` largest (or smallest) values along `dim` and their indices, as `torch.topk`.
 * @example const { values, indices } = topk(logits, 5)
 */
export function topk(x: Tensor, k: number, dim = -1, largest = true, sorted = true): SortResult {
  const d = x.ndim === 0 ? 0 : normDim(dim, x.ndim, "topk");
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`topk: k (${k}) is out of range for dimension ${d} of size ${n}.`);
  void sorted;
  using idxAll = argsort(x, d, largest);
  using indices = narrow(idxAll, d, 0, k);
  // A copy even when the narrowed view is contiguous: the result must own its storage apart from `indices`.
  const idx = indices.clone();
  return { values: gather(x, d, idx), indices: idx };
}

/** Lower triangle (elements with col - row <= diagonal), as `torch.tril`. @example tril(x, -1) */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, "tril");
}

/** Upper triangle (elements with col - row >= diagonal), as `torch.triu`. @example triu(x, 1) */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle(x, diagonal, "triu");
}

function triangle(x: Tensor, diagonal: number, op: "tril" | "triu"): Tensor {
  if (x.ndim < 2) throw new RangeError(`${op}: input tensor must have at least 2 dimensions, got shape ${fmtShape(x.shape)}.`);
  const [r, c] = x.shape.slice(-2);
  using rowIds = arange(0, r, 1, { device: x.device });
  using colIds = arange(0, c, 1, { device: x.device });
  using rows = rowIds.view(r, 1); // [r, 1]
  using cols = colIds.view(1, c); // [1, c]
  using diff = cols.sub(rows);
  using keepMask = op === "tril" ? diff.le(diagonal) : diff.ge(diagonal);
  const zero = isFloatingPoint(x.dtype) ? 0 : x.dtype === "bool" ? false : 0;
  return where(keepMask, x, zero);
}
