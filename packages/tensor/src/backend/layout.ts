// Strided layouts (shape, strides in elements, offset) and the shape arithmetic every backend shares: broadcasting, contiguity, dims.

/** Where a tensor's elements sit in its storage: element `i_0..i_n` is at `offset + Σ i_k * strides[k]`. */
export interface Layout {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Number of elements of a shape (1 for a 0-d shape). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides for a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** A contiguous layout at offset 0. */
export function contiguousLayout(shape: readonly number[]): Layout {
  return { shape: [...shape], strides: contiguousStrides(shape), offset: 0 };
}

/** True when the layout walks its elements in row-major order with no gaps (size-1 dims ignored). */
export function isContiguous(layout: Layout): boolean {
  let acc = 1;
  const { shape, strides } = layout;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== acc) return false;
    acc *= shape[i];
  }
  return true;
}

/** Formats a shape as PyTorch prints it in errors: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The broadcast of two shapes, as `torch.broadcast_shapes`.
 * @example broadcastShapes([3, 1, 5], [4, 1]) // [3, 4, 5]
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], op = "broadcast"): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1)
      throw new RangeError(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast: the size of dim ${i - n} is ${da} in one and ${db} in the other (sizes must be equal or 1).`,
      );
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a tensor of `layout` as if it had the (broadcast) `shape`: 0 on broadcast dims. */
export function broadcastStrides(layout: Layout, shape: readonly number[]): number[] {
  const n = shape.length;
  const k = layout.shape.length;
  const s = new Array<number>(n).fill(0);
  for (let i = 0; i < k; i++) {
    const j = n - k + i;
    s[j] = layout.shape[i] === 1 && shape[j] !== 1 ? 0 : layout.strides[i];
  }
  return s;
}

/**
 * Normalises a possibly negative dim against `ndim`, as PyTorch (`-1` is the last dim).
 * A 0-d tensor accepts dims -1 and 0, as PyTorch does.
 */
export function normDim(dim: number, ndim: number, op: string): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n)
    throw new RangeError(`${op}: dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim}).`);
  return dim < 0 ? dim + n : dim;
}

/** Normalises a list of dims, refusing repeats. */
export function normDims(dims: readonly number[], ndim: number, op: string): number[] {
  const out = dims.map((d) => normDim(d, ndim, op));
  if (new Set(out).size !== out.length) throw new RangeError(`${op}: dim ${fmtShape(dims)} appears multiple times in the list of dims.`);
  return out;
}

/** Checks a shape: non-negative integer sizes. */
export function checkShape(shape: readonly number[], op: string): void {
  for (const d of shape)
    if (!Number.isInteger(d) || d < 0)
      throw new RangeError(`${op}: invalid shape ${fmtShape(shape)}: every size must be a non-negative integer.`);
}

/**
 * Resolves a `-1` in a requested shape for `n` elements, as `view` / `reshape`.
 * @example inferShape([-1, 4], 12, "view") // [3, 4]
 */
export function inferShape(shape: readonly number[], n: number, op: string): number[] {
  let neg = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === -1) {
      if (neg >= 0) throw new RangeError(`${op}: only one dimension can be inferred (-1) in shape ${fmtShape(shape)}.`);
      neg = i;
    } else if (!Number.isInteger(d) || d < 0) throw new RangeError(`${op}: invalid shape dimension ${d} in ${fmtShape(shape)}.`);
    else known *= d;
  }
  const out = [...shape];
  if (neg >= 0) {
    if (known === 0 || n % known !== 0)
      throw new RangeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${n}.`);
    out[neg] = n / known;
  } else if (known !== n) throw new RangeError(`${op}: shape ${fmtShape(shape)} is invalid for input of size ${n}.`);
  return out;
}

/**
 * Strides for viewing `layout` with `newShape` without copying, or null when the strides do not allow it
 * (PyTorch's `computeStride`: each group of merged/split dims must be contiguous within itself).
 */
export function viewStrides(layout: Layout, newShape: readonly number[]): number[] | null {
  const oldShape = layout.shape;
  const oldStrides = layout.strides;
  const n = numel(oldShape);
  if (n === 0 || oldShape.length === 0) return contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBaseStride = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}
