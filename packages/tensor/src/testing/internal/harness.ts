// The conformance suite's harness: deterministic inputs in strided layouts, runs on the device and on the reference CPU, comparisons.

import { bfloat16BitsToFloat, halfBitsToFloat, isFloatingPoint, type Backend, type DType, type StorageArray } from "../../backend/index.js";
import { Tensor, fromTypedArray, tensor, type TensorData } from "../../index.js";
import { toStorageArray } from "../../ops/creation.js";

/** A relative and absolute tolerance: |got - want| <= atol + rtol * |want|. */
export interface Tol {
  readonly rtol: number;
  readonly atol: number;
}

/** Floating dtypes a tolerance can be set for. */
export type FloatDType = "float32" | "float64" | "float16" | "bfloat16";

/** Tolerances of the comparisons with the CPU reference, per float dtype, optionally per op (or case label prefix). */
export interface ConformanceTolerance {
  readonly float32?: Tol;
  readonly float64?: Tol;
  readonly float16?: Tol;
  readonly bfloat16?: Tol;
  /** Per op (the test's name, as `exp` or `matmul`): overrides for some dtypes. */
  readonly ops?: Readonly<Record<string, Partial<Record<FloatDType, Tol>>>>;
  /** Compare `randn` float32 within the float32 tolerance instead of bitwise (devices whose sin/cos/log differ from V8's). */
  readonly randnApproximate?: boolean;
}

/** Default tolerances: a few units in the last place of each float format. */
export const DEFAULT_TOLERANCE: Record<FloatDType, Tol> = {
  float32: { rtol: 1e-5, atol: 1e-5 },
  float64: { rtol: 1e-12, atol: 1e-12 },
  float16: { rtol: 2e-3, atol: 2e-3 },
  bfloat16: { rtol: 1.6e-2, atol: 1.6e-2 },
};

/** How an input is laid out in its storage: the kernels must accept every one of them. */
export type Layout = "contiguous" | "transposed" | "broadcast" | "offset" | "stepped";
export const LAYOUTS: readonly Layout[] = ["contiguous", "transposed", "broadcast", "offset", "stepped"];

/** Options of a generated input. */
export interface GenOptions {
  readonly layout?: Layout;
  /** Values in [lo, hi) (integers for integer dtypes). */
  readonly lo?: number;
  readonly hi?: number;
  /** Keep |value| >= this (divisors). */
  readonly minAbs?: number;
  /** Whole numbers even for float dtypes (ties for comparisons, sorts and arg-reductions). */
  readonly integers?: boolean;
  readonly seed?: number;
}

function lcg(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) / 16777216;
  };
}

/** Deterministic host values for `n` elements of `dtype`. */
export function genValues(n: number, dtype: DType, o: GenOptions = {}): number[] {
  const r = lcg(o.seed ?? 1);
  const int = !isFloatingPoint(dtype) || o.integers === true;
  const lo = o.lo ?? (dtype === "bool" || dtype === "uint8" ? 0 : int ? -20 : -2);
  const hi = o.hi ?? (dtype === "bool" ? 2 : dtype === "uint8" ? 40 : int ? 20 : 2);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let tries = 0; tries < 50; tries++) {
      v = lo + r() * (hi - lo);
      if (int) v = Math.floor(v);
      if (Math.abs(v) >= (o.minAbs ?? 0)) break;
    }
    out.push(v);
  }
  return out;
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Tensors on one device: the device under test or the CPU reference. Both get the same values. */
export class Dev {
  constructor(readonly device: string) {}

  /** A tensor of `shape` with generated values, laid out as `o.layout` says (a view into a larger or smaller storage). */
  gen(shape: readonly number[], dtype: DType, o: GenOptions = {}): Tensor {
    const layout = o.layout ?? "contiguous";
    const nd = shape.length;
    const base = (s: readonly number[]) => this.raw(genValues(prod(s), dtype, o), s, dtype);
    if (prod(shape) === 0 || layout === "contiguous") return base(shape);
    if (nd === 0) {
      // A 0-d view at a non-zero offset.
      const b = base([3]);
      return b.select(0, 1);
    }
    switch (layout) {
      case "transposed": {
        // A 1-D column of a row-major matrix: stride 2, offset 1.
        if (nd === 1) return base([shape[0], 2]).select(1, 1);
        const s = [...shape];
        [s[nd - 1], s[nd - 2]] = [s[nd - 2], s[nd - 1]];
        return base(s).transpose(-1, -2);
      }
      case "broadcast": {
        // Stride 0 on the first dim larger than 1 (or a new leading dim).
        const d = shape.findIndex((x) => x > 1);
        if (d < 0) return base([1, ...shape]).expand([1, ...shape]).select(0, 0);
        const s = [...shape];
        s[d] = 1;
        return base(s).expand([...shape]);
      }
      case "offset": {
        const s = [...shape];
        s[0] += 3;
        return base(s).slice(0, 2, 2 + shape[0]);
      }
      case "stepped": {
        const s = [...shape];
        s[nd - 1] = 2 * shape[nd - 1] + 1;
        return base(s).slice(nd - 1, 1, null, 2);
      }
    }
    return base(shape);
  }

  /** A contiguous tensor from host values. */
  raw(values: readonly number[] | readonly bigint[] | readonly boolean[], shape: readonly number[], dtype: DType): Tensor {
    return fromTypedArray(toStorageArray(values as readonly number[], dtype), shape, { dtype, device: this.device });
  }

  /** `tensor(data, { dtype, device })`. */
  t(data: TensorData, dtype?: DType): Tensor {
    return tensor(data, { dtype, device: this.device });
  }
}

/** What a case's run function returns: one tensor, several, or `{ values, indices }` (sort, max along a dim). */
export type Outputs = Tensor | readonly Tensor[] | { readonly values: Tensor; readonly indices: Tensor };

export function outputList(o: Outputs): Tensor[] {
  if (o instanceof Tensor) return [o];
  if (Array.isArray(o)) return [...(o as Tensor[])];
  const vi = o as { values: Tensor; indices: Tensor };
  return [vi.values, vi.indices];
}

/** Host values in logical order as numbers (half decoded) or bigints (int64). */
export function decode(a: StorageArray, dtype: DType): (number | bigint)[] {
  if (dtype === "float16") return Array.from(a as Uint16Array, halfBitsToFloat);
  if (dtype === "bfloat16") return Array.from(a as Uint16Array, bfloat16BitsToFloat);
  return Array.from(a as ArrayLike<number | bigint>);
}

function fmt(v: number | bigint): string {
  return typeof v === "bigint" ? `${v}n` : Object.is(v, -0) ? "-0" : String(v);
}

/** Index of the first element outside tolerance (NaN equals NaN, infinities must match exactly), or -1. */
export function firstMismatch(got: readonly (number | bigint)[], want: readonly (number | bigint)[], tol: Tol | null): number {
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (typeof g === "bigint" || typeof w === "bigint") {
      if (BigInt(g) !== BigInt(w)) return i;
      continue;
    }
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (!(Number.isNaN(w) && Number.isNaN(g))) return i;
      continue;
    }
    if (g === w) continue;
    if (!tol || !Number.isFinite(w) || !Number.isFinite(g)) return i;
    if (Math.abs(g - w) > tol.atol + tol.rtol * Math.abs(w)) return i;
  }
  return -1;
}

/** Describes a mismatch with the surrounding values, for failure messages. */
export function describeMismatch(i: number, got: readonly (number | bigint)[], want: readonly (number | bigint)[]): string {
  const lo = Math.max(0, i - 2);
  const hi = Math.min(want.length, i + 3);
  return (
    `first mismatch at flat index ${i} of ${want.length}: got ${fmt(got[i])}, expected ${fmt(want[i])}` +
    ` (got [${got.slice(lo, hi).map(fmt).join(", ")}], expected [${want.slice(lo, hi).map(fmt).join(", ")}] from index ${lo})`
  );
}

/** Raises a device's pending asynchronous error, if any (GPU validation errors surface here). */
export async function drainDevice(backend: Backend): Promise<void> {
  await backend.sync?.();
  const e = backend.takeError?.();
  if (e) throw e;
}
