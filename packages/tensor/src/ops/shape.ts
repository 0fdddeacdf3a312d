// Shape ops: views that share storage (view, permute, expand, slice, …) and copies (contiguous, cat, pad, repeat), as torch.*.

import { fmtShape, inferShape, normDim, normDims, numel, viewStrides } from "../backend/layout.js";
import { dispatch, run1 } from "../dispatch/dispatcher.js";
import type { Tensor } from "../tensor.js";
import { Temps } from "../internal/operands.js";
import { disposing } from "../internal/disposing.js";

const NONE = {} as Record<string, never>;

/**
 * A view with a new shape (one dim may be -1); fails when the strides do not allow it, as `Tensor.view`.
 * @example x.view(-1, 4)
 */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferShape(shape, x.numel(), "view");
  const strides = viewStrides(x, s);
  if (!strides)
    throw new RangeError(
      `view: size ${fmtShape(s)} is not compatible with the input's size ${fmtShape(x.shape)} and stride ${fmtShape(x.strides)} ` +
        `(at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.`,
    );
  return dispatch({ op: "view", inputs: [x], attrs: { shape: s, strides } })[0];
}

/**
 * A view when possible, else a contiguous copy, as `Tensor.reshape`.
 * @example x.reshape(2, -1)
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferShape(shape, x.numel(), "reshape");
  const strides = viewStrides(x, s);
  if (strides) return dispatch({ op: "view", inputs: [x], attrs: { shape: s, strides } })[0];
  using c = contiguous(x);
  return view(c, s);
}

/** Reorders dims, as `Tensor.permute`. @example x.permute(0, 2, 1) */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim)
    throw new RangeError(`permute: number of dims don't match: the input has ${x.ndim} dims but ${dims.length} were given (${fmtShape(dims)}).`);
  return dispatch({ op: "permute", inputs: [x], attrs: { dims: normDims(dims, x.ndim, "permute") } })[0];
}

/** Swaps two dims, as `Tensor.transpose`. @example x.transpose(-2, -1) */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const d0 = normDim(dim0, x.ndim, "transpose");
  const d1 = normDim(dim1, x.ndim, "transpose");
  const dims = [...Array(x.ndim).keys()];
  dims[d0] = d1;
  dims[d1] = d0;
  return dispatch({ op: "permute", inputs: [x], attrs: { dims } })[0];
}

/**
 * Broadcasts size-1 dims (and new leading dims) without copying; -1 keeps a size, as `Tensor.expand`.
 * @example x.expand(3, -1, -1)
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const k = shape.length - x.ndim;
  if (k < 0)
    throw new RangeError(`expand: the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim}).`);
  const out = shape.map((s, i) => {
    const cur = i < k ? undefined : x.shape[i - k];
    if (s === -1) {
      if (cur === undefined) throw new RangeError(`expand: -1 is not allowed in a leading, non-existing dimension (${fmtShape(shape)}).`);
      return cur;
    }
    if (cur !== undefined && cur !== 1 && cur !== s)
      throw new RangeError(
        `expand: the expanded size of the tensor (${s}) must match the existing size (${cur}) at non-singleton dimension ${i}. Target sizes: ${fmtShape(shape)}. Tensor sizes: ${fmtShape(x.shape)}.`,
      );
    return s;
  });
  return dispatch({ op: "expand", inputs: [x], attrs: { shape: out } })[0];
}

/** Removes size-1 dims (all, or the given ones), as `Tensor.squeeze`. @example x.squeeze(1) */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims = dim === undefined ? [...Array(x.ndim).keys()] : normDims(typeof dim === "number" ? [dim] : dim, x.ndim, "squeeze");
  const shape = x.shape.filter((s, i) => !(s === 1 && dims.includes(i)));
  return view(x, shape);
}

/** Inserts a size-1 dim, as `Tensor.unsqueeze`. @example x.unsqueeze(-1) */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim(dim, x.ndim + 1, "unsqueeze");
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return view(x, shape);
}

/** Merges dims start..end into one, as `torch.flatten`. @example x.flatten(1) */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim(startDim, x.ndim, "flatten");
  const e = normDim(endDim, x.ndim, "flatten");
  if (s > e) throw new RangeError(`flatten: start_dim (${startDim}) cannot come after end_dim (${endDim}).`);
  const shape = [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

/** Splits one dim into `sizes` (one may be -1), as `Tensor.unflatten`. @example x.unflatten(-1, [4, -1]) */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normDim(dim, x.ndim, "unflatten");
  const inner = inferShape(sizes, x.shape[d], "unflatten");
  return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

/**
 * Elements start, start+step, … before end along `dim`, Python-style (negative and out-of-range bounds clamp), as `x[..., a:b:c]`.
 * @example slice(x, 1, 1, null, 2) // x[:, 1::2]
 */
export function slice(x: Tensor, dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
  const d = normDim(dim, x.ndim, "slice");
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}.`);
  const n = x.shape[d];
  const clampIdx = (v: number | null, dflt: number) => (v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n));
  const s = clampIdx(start, 0);
  const e = Math.max(clampIdx(end, n), s);
  return dispatch({ op: "slice", inputs: [x], attrs: { dim: d, start: s, end: e, step } })[0];
}

/** `length` elements from `start` along `dim`, as `Tensor.narrow` (bounds are checked, not clamped). @example x.narrow(2, 1, 3) */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim(dim, x.ndim, "narrow");
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (s < 0 || length < 0 || s + length > n)
    throw new RangeError(`narrow: start (${start}) + length (${length}) exceeds dimension size (${n}) of dim ${dim}.`);
  return dispatch({ op: "slice", inputs: [x], attrs: { dim: d, start: s, end: s + length, step: 1 } })[0];
}

/** The slice at `index` of `dim`, with that dim removed, as `Tensor.select` / `x[i]`. @example x.select(0, -1) */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normDim(dim, x.ndim, "select");
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n)
    throw new RangeError(`select: index ${index} is out of bounds for dimension ${dim} with size ${n}.`);
  const i = index < 0 ? index + n : index;
  using s = dispatch({ op: "slice", inputs: [x], attrs: { dim: d, start: i, end: i + 1, step: 1 } })[0];
  return squeeze(s, d);
}

/** A copy (recorded by autograd), as `Tensor.clone`. @example const y = x.clone() */
export function clone(x: Tensor): Tensor {
  return run1("copy", [x], NONE, { dtype: x.dtype, shape: x.shape });
}

/** `x` itself when contiguous, else a contiguous copy, as `Tensor.contiguous`. @example x.T.contiguous() */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : clone(x);
}

/** Reverses the order along `dims` (a copy, as PyTorch). @example flip(x, [0, 2]) */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  using v = dispatch({ op: "flip", inputs: [x], attrs: { dims: normDims(dims, x.ndim, "flip") } })[0];
  return clone(v);
}

/**
 * Joins tensors along an existing dim, as `torch.cat`.
 * @example cat([a, b], 1)
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("cat: expected a non-empty list of tensors.");
  // PyTorch skips 1-D empty tensors in cat (legacy behaviour).
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return clone(tensors[0]);
  const ref = parts[0];
  const d = normDim(dim, ref.ndim, "cat");
  for (const [k, t] of parts.entries()) {
    if (t.ndim !== ref.ndim || t.shape.some((s, i) => i !== d && s !== ref.shape[i]))
      throw new RangeError(
        `cat: sizes of tensors must match except in dimension ${d}: expected ${fmtShape(ref.shape)} (except dim ${d}) but got ${fmtShape(t.shape)} for tensor number ${k} in the list.`,
      );
    if (t.dtype !== ref.dtype)
      throw new TypeError(`cat: expected all tensors to have dtype ${ref.dtype}, but tensor number ${k} is ${t.dtype}. Convert them with .to(dtype) first.`);
  }
  return dispatch({ op: "cat", inputs: parts, attrs: { dim: d } })[0];
}

/** Joins tensors along a new dim, as `torch.stack`. @example stack([a, b], 0) */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("stack: expected a non-empty list of tensors.");
  for (const [k, t] of tensors.entries())
    if (t.shape.length !== tensors[0].shape.length || t.shape.some((s, i) => s !== tensors[0].shape[i]))
      throw new RangeError(`stack: expects each tensor to be equal size, but got ${fmtShape(tensors[0].shape)} at entry 0 and ${fmtShape(t.shape)} at entry ${k}.`);
  const d = normDim(dim, tensors[0].ndim + 1, "stack");
  using us = disposing(tensors.map((t) => unsqueeze(t, d)));
  return cat(us, d);
}

/**
 * Splits into pieces of `size` (the last may be smaller) or of the listed sizes, as `torch.split`; the pieces are views.
 * @example split(x, 2, -1); split(x, [2, 1, 1], 1)
 */
export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  const d = normDim(dim, x.ndim, "split");
  const n = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSections === "number") {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections <= 0) throw new RangeError(`split: split_size must be a positive integer, got ${sizeOrSections}.`);
    sizes = [];
    for (let at = 0; at < n; at += sizeOrSections) sizes.push(Math.min(sizeOrSections, n - at));
    if (n === 0) sizes.push(0);
  } else {
    sizes = [...sizeOrSections];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw new RangeError(`split: split_with_sizes expects split_sizes to sum exactly to ${n} (input size along dim ${d}), but got split_sizes=${fmtShape(sizes)}.`);
  }
  let at = 0;
  return sizes.map((s) => {
    const part = narrow(x, d, at, s);
    at += s;
    return part;
  });
}

/** Splits into `chunks` near-equal pieces (as `torch.chunk`: ceil-sized, possibly fewer). @example chunk(x, 3, -1) */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks}.`);
  const d = normDim(dim, x.ndim, "chunk");
  const size = Math.max(1, Math.ceil(x.shape[d] / chunks));
  return split(x, size, d);
}

/** The slices along `dim`, each without that dim, as `torch.unbind`. @example const [a, b] = unbind(pair) */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  const d = normDim(dim, x.ndim, "unbind");
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}

/**
 * Tiles the tensor, as `Tensor.repeat` (sizes may add leading dims).
 * @example x.repeat(2, 1, 3)
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.ndim)
    throw new RangeError(`repeat: number of repeat dims (${sizes.length}) can not be smaller than number of tensor dims (${x.ndim}).`);
  const k = sizes.length - x.ndim;
  const base = [...Array(k).fill(1), ...x.shape];
  // [.., 1, d_i, ..] expanded to [.., r_i, d_i, ..] then merged: each dim is repeated whole, r_i times.
  const inter = base.flatMap((d) => [1, d]);
  const expanded = base.flatMap((d, i) => [sizes[i], d]);
  using v = reshape(x, inter);
  using e = expand(v, expanded);
  return reshape(e, base.map((d, i) => d * sizes[i]));
}

/**
 * Constant padding, as `F.pad(x, pad, value=…)`: `pad` lists (before, after) pairs from the last dim backwards;
 * negative amounts crop.
 * @example pad(x, [1, 2], 0.5) // last dim: 1 before, 2 after
 */
export function pad(x: Tensor, padding: readonly number[], value = 0): Tensor {
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim)
    throw new RangeError(`pad: padding length must be even and at most 2 × ${x.ndim} (the input's dims), got ${padding.length}.`);
  using temps = new Temps();
  let src = x;
  const shape = [...x.shape];
  const before = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < padding.length / 2; i++) {
    const d = x.ndim - 1 - i;
    let [b, a] = [padding[2 * i], padding[2 * i + 1]];
    if (b < 0 || a < 0) {
      src = temps.add(slice(src, d, Math.max(0, -b), src.shape[d] - Math.max(0, -a)));
      b = Math.max(0, b);
      a = Math.max(0, a);
    }
    before[d] = b;
    shape[d] = src.shape[d] + b + a;
  }
  const outStrides: number[] = [];
  let acc = 1;
  for (let d = x.ndim - 1; d >= 0; d--) {
    outStrides[d] = acc;
    acc *= shape[d];
  }
  const offset = before.reduce((o, b, d) => o + b * outStrides[d], 0);
  return dispatch({ op: "embed", inputs: [src], attrs: { shape, strides: outStrides, offset, value } })[0];
}
