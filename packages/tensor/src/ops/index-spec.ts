// Python-style indexing `x[...]` for TypeScript: integers, slices (`sl(1, null, 2)`), null (new axis), "..." and one index tensor.

import { fmtShape } from "../backend/layout.js";
import { Tensor } from "../tensor.js";
import { scope } from "../memory.js";
import { indexWith } from "./indexing.js";
import { select, slice, unsqueeze, view } from "./shape.js";

/** A slice `start:end:step`; null bounds mean the ends, as Python's. */
export interface SliceSpec {
  readonly start: number | null;
  readonly end: number | null;
  readonly step: number;
  readonly kind: "slice";
}

/**
 * A Python slice for `index`: `sl()` is `:`, `sl(1)` is `1:`, `sl(null, -1)` is `:-1`, `sl(null, null, 2)` is `::2`.
 * @example x.index(null, sl(1, null, 2)) // x[:, 1::2]  (null first means a new axis: use sl() for ':')
 */
export function sl(start: number | null = null, end: number | null = null, step = 1): SliceSpec {
  return { start, end, step, kind: "slice" };
}

/** One entry of an index: an integer, a slice, null (new axis), "..." (all remaining dims), or an integer tensor. */
export type IndexSpec = number | SliceSpec | null | "..." | Tensor;

/**
 * `x[spec0, spec1, …]` with PyTorch's semantics: integers select (and drop the dim), slices are views, null inserts
 * a dim, "..." expands to the remaining dims, and one integer tensor does advanced indexing on its dim.
 * @example index(x, "...", sl(-3), sl(null, -1)) // x[..., -3:, :-1]
 */
export function index(x: Tensor, ...specs: IndexSpec[]): Tensor {
  const ellipses = specs.filter((s) => s === "...").length;
  if (ellipses > 1) throw new RangeError("index: an index can only have a single ellipsis ('...').");
  const consuming = specs.filter((s) => s !== null && s !== "...").length;
  if (consuming > x.ndim) throw new RangeError(`index: too many indices for tensor of dimension ${x.ndim} (got ${consuming}, shape ${fmtShape(x.shape)}).`);
  const tensors = specs.filter((s) => s instanceof Tensor);
  if (tensors.length > 1) throw new RangeError("index: only one tensor index is supported; combine indices with gather / indexSelect.");
  const expanded: IndexSpec[] = [];
  for (const s of specs) {
    if (s === "...") for (let i = 0; i < x.ndim - consuming; i++) expanded.push(sl());
    else expanded.push(s);
  }
  return scope(() => {
    let cur = x;
    let dim = 0;
    let tensorAt: { dim: number; index: Tensor } | null = null;
    for (const s of expanded) {
      if (s === null) {
        cur = unsqueeze(cur, dim);
        dim++;
      } else if (typeof s === "number") cur = select(cur, dim, s);
      else if (s instanceof Tensor) {
        tensorAt = { dim, index: s };
        dim++;
      } else if (typeof s === "object" && s.kind === "slice") {
        cur = slice(cur, dim, s.start, s.end, s.step);
        dim++;
      }
    }
    if (tensorAt) cur = indexWith(cur, tensorAt.index, tensorAt.dim);
    // Always hand back a tensor the caller owns (a view if nothing else happened).
    return cur === x ? view(x, [...x.shape]) : cur;
  });
}
