// Printing tensors the way PyTorch's repr does (torch/_tensor_str.py): fixed or scientific floats, aligned columns, summaries.

import type { DType, StorageArray } from "../backend/dtype.js";
import { bfloat16BitsToFloat, halfBitsToFloat } from "../backend/half.js";

export interface FormatOptions {
  device: string;
  requiresGrad: boolean;
  gradFn?: string;
}

const EDGE = 3;
const THRESHOLD = 1000;

function values(a: StorageArray, dtype: DType): (number | bigint)[] {
  const out: (number | bigint)[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    out[i] = dtype === "float16" ? halfBitsToFloat(v as number) : dtype === "bfloat16" ? bfloat16BitsToFloat(v as number) : v;
  }
  return out;
}

function floatFormatter(vals: number[]): (v: number) => string {
  const finite = vals.filter((v) => Number.isFinite(v));
  const intMode = finite.every((v) => Number.isInteger(v));
  const abs = finite.map(Math.abs).filter((v) => v > 0);
  const max = abs.length ? Math.max(...abs) : 0;
  const min = abs.length ? Math.min(...abs) : 0;
  const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  if (intMode) {
    if (max > 1e8) return (v) => (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2") : special(v));
    return (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  }
  if (max / (min || 1) > 1000 || max > 1e8 || (min > 0 && min < 1e-4))
    return (v) => (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2") : special(v));
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
}

/** Formats elements (row-major) of a given shape as PyTorch's `repr`. */
export function formatTensor(data: StorageArray, shape: readonly number[], dtype: DType, opts: FormatOptions): string {
  const vals = values(data, dtype);
  const summarize = vals.length > THRESHOLD;
  let fmt: (v: number | bigint) => string;
  if (dtype === "bool") fmt = (v) => (v ? "True" : "False");
  else if (dtype === "float32" || dtype === "float64" || dtype === "float16" || dtype === "bfloat16") {
    const f = floatFormatter(vals as number[]);
    fmt = (v) => f(v as number);
  } else fmt = (v) => String(v);
  const strs = vals.map(fmt);
  const width = strs.reduce((w, s) => Math.max(w, s.length), 0);
  const pad = (s: string) => s.padStart(width);
  const prefix = "tensor(";
  const strides: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i];
  }
  const indices = (n: number) =>
    summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
  const rec = (d: number, off: number, indent: number): string => {
    if (d === shape.length) return pad(strs[off]);
    const parts = indices(shape[d]).map((i) => (i < 0 ? "..." : rec(d + 1, off + i * strides[d], indent + 1)));
    if (d === shape.length - 1) return `[${parts.join(", ")}]`;
    const sep = "," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  let body = shape.length === 0 ? strs[0] : vals.length === 0 ? "[]" : rec(0, 0, prefix.length);
  const suffix: string[] = [];
  if (vals.length === 0 && shape.length > 1) suffix.push(`size=(${shape.join(", ")})`);
  if (opts.device !== "cpu") suffix.push(`device='${opts.device}'`);
  if (!(dtype === "float32" || dtype === "int64" || dtype === "bool")) suffix.push(`dtype=torch.${dtype}`);
  if (opts.gradFn) suffix.push(`grad_fn=<${opts.gradFn}>`);
  else if (opts.requiresGrad) suffix.push("requires_grad=True");
  if (suffix.length) body += ", " + suffix.join(", ");
  return `${prefix}${body})`;
}
