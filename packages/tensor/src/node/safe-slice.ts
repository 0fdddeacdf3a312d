// Lazy slices of one tensor in a safetensors file (Python's safe_open(...).get_slice(name)[a:b, ...]): reads only the rows asked for.

import { arrayFromBytes, itemSize, type DType, type StorageArray } from "../backend/dtype.js";
import type { Tensor } from "../tensor.js";
import { SafetensorsError } from "../safetensors/errors.js";
import type { SafetensorsEntry } from "../safetensors/format.js";
import { tensorFromSafetensors } from "../safetensors/tensors.js";

/**
 * One index of `getSlice(...).get(...)`: an integer picks one position and drops the dim (as `t[i]`), a
 * `[start, stop]` pair keeps the dim (as `t[start:stop]`, negatives count from the end, clamped as Python),
 * `null` keeps the whole dim. Dims not indexed are kept whole.
 */
export type SliceIndex = number | readonly [start?: number | null, stop?: number | null] | null;

/**
 * A tensor of an open file that can be read in parts.
 * @example
 * const s = f.getSlice("lm_head.weight"); // nothing read yet
 * const rows = await s.get([0, 1000]); // reads only rows 0..999
 */
export class SafeSlice {
  /** Internal: use `SafeOpen.getSlice(name)`. */
  constructor(
    readonly entry: SafetensorsEntry,
    private readonly readRange: (position: number, length: number) => Promise<Uint8Array>,
    private readonly device: string | undefined,
  ) {}

  /** The tensor's full shape (Python's `get_shape()`). */
  getShape(): number[] {
    return [...this.entry.shape];
  }

  /** The tensor's dtype (Python's `get_dtype()`, in tsorch names). */
  getDtype(): DType {
    return this.entry.dtype;
  }

  /** Reads the elements selected by `index` as a fresh StorageArray, with the resulting shape. */
  async getData(...index: SliceIndex[]): Promise<{ data: StorageArray; shape: number[] }> {
    const { entry } = this;
    const shape = entry.shape;
    if (index.length > shape.length)
      throw new SafetensorsError(
        `getSlice(${JSON.stringify(entry.name)}): ${index.length} indices for a tensor of ${shape.length} dims (shape [${shape.join(", ")}]).`,
      );
    const ranges = shape.map((size, d) => normalize(index[d] ?? null, size, d, entry.name));
    const outShape = ranges.filter((r) => r.keep).map((r) => r.stop - r.start);
    const size = itemSize(entry.dtype);
    const outCount = ranges.reduce((n, r) => n * (r.stop - r.start), 1);
    const out = new Uint8Array(outCount * size);
    if (outCount > 0) {
      // Read the contiguous block of the selected outer rows only, then gather the inner dims in memory.
      const rowBytes = shape.slice(1).reduce((n, d) => n * d, 1) * size;
      const first = ranges.length ? ranges[0] : { start: 0, stop: 1 };
      const block = await this.readRange(entry.byteOffset + first.start * rowBytes, (first.stop - first.start) * rowBytes);
      gather(block, out, shape, ranges, size);
    }
    return { data: arrayFromBytes(entry.dtype, out.buffer, 0, outCount), shape: outShape };
  }

  /** Reads the elements selected by `index` as a Tensor (Python's `get_slice(name)[...]`). */
  async get(...index: SliceIndex[]): Promise<Tensor> {
    const { data, shape } = await this.getData(...index);
    return tensorFromSafetensors({ ...this.entry, shape }, data, this.device);
  }
}

interface Range {
  start: number;
  stop: number;
  keep: boolean;
}

function normalize(index: SliceIndex, size: number, dim: number, name: string): Range {
  if (index === null) return { start: 0, stop: size, keep: true };
  if (typeof index === "number") {
    if (!Number.isInteger(index) || index < -size || index >= size)
      throw new SafetensorsError(`getSlice(${JSON.stringify(name)}): index ${index} is out of range for dim ${dim} of size ${size}.`);
    const i = index < 0 ? index + size : index;
    return { start: i, stop: i + 1, keep: false };
  }
  if (!Array.isArray(index))
    throw new SafetensorsError(`getSlice(${JSON.stringify(name)}): index for dim ${dim} must be a number, [start, stop] or null.`);
  const clamp = (v: number | null | undefined, fallback: number): number => {
    if (v === null || v === undefined) return fallback;
    if (!Number.isInteger(v)) throw new SafetensorsError(`getSlice(${JSON.stringify(name)}): slice bound ${v} for dim ${dim} must be an integer.`);
    return Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  };
  const start = clamp(index[0], 0);
  const stop = Math.max(start, clamp(index[1], size));
  return { start, stop, keep: true };
}

// Copies the selected box out of `block`, which holds rows ranges[0].start..stop of a row-major tensor.
function gather(block: Uint8Array, out: Uint8Array, shape: readonly number[], ranges: Range[], size: number): void {
  const n = shape.length;
  if (n === 0) {
    out.set(block.subarray(0, size));
    return;
  }
  const strides = new Array<number>(n);
  strides[n - 1] = size;
  for (let d = n - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const runBytes = (ranges[n - 1].stop - ranges[n - 1].start) * size;
  const counter = ranges.map((r) => r.start);
  let at = 0;
  for (;;) {
    let src = (counter[0] - ranges[0].start) * strides[0];
    for (let d = 1; d < n; d++) src += counter[d] * strides[d];
    out.set(block.subarray(src, src + runBytes), at);
    at += runBytes;
    // Advance the odometer over every dim but the last (the last is one contiguous run).
    let d = n - 2;
    for (; d >= 0; d--) {
      if (++counter[d] < ranges[d].stop) break;
      counter[d] = ranges[d].start;
    }
    if (d < 0) return;
  }
}
