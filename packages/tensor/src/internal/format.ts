// Printing tensors the way PyTorch's repr does (torch/_tensor_str.py): fixed or scientific floats, aligned columns, summaries.

import type { DType, StorageArray } from "../backend/dtype.js";
import { bfloat16BitsToFloat, halfBitsToFloat } from "../backend/half.js";
import { getDefaultDtype } from "../defaults.js";

export interface FormatOptions {
  device: string;
  requiresGrad: boolean;
  gradFn?: string;
}

// PyTorch's default print options.
const EDGE = 3;
const THRESHOLD = 1000;
const LINEWIDTH = 80;
const PREFIX = "tensor(";

const isFloat = (d: DType) => d === "float32" || d === "float64" || d === "float16" || d === "bfloat16";

/** True when |v| lies exactly halfway between two decimals with `digits` fraction digits (v · 10^digits ends in .5). */
function isExactTie(v: number, digits: number): boolean {
  if (!Number.isFinite(v) || v === 0) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(v));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  // |v| = mant · 2^exp exactly.
  const mant = biased === 0 ? frac : frac | (1n << 52n);
  const exp = biased === 0 ? -1074 : biased - 1075;
  const scale = digits + 1;
  let num = mant * (scale >= 0 ? 10n ** BigInt(scale) : 1n) * (exp >= 0 ? 1n << BigInt(exp) : 1n);
  const den = (scale < 0 ? 10n ** BigInt(-scale) : 1n) * (exp < 0 ? 1n << BigInt(-exp) : 1n);
  if (num % den !== 0n) return false;
  num /= den;
  return num % 10n === 5n;
}

/**
 * Python rounds an exact tie to even, JavaScript away from zero: step the last digit back when JS made it odd.
 * A tie whose last digit is odd never carried, so decrementing that one digit is exact.
 */
function halfEven(s: string, v: number, digits: number, lastDigitAt: number): string {
  const last = s.charCodeAt(lastDigitAt) - 48;
  if (last % 2 === 0 || !isExactTie(v, digits)) return s;
  return s.slice(0, lastDigitAt) + String(last - 1) + s.slice(lastDigitAt + 1);
}

/** Python's `{:.4f}`. */
const fixed = (v: number) => {
  const s = v.toFixed(4);
  return halfEven(s, v, 4, s.length - 1);
};

/** Python's `{:.4e}`: round half to even, at least two exponent digits. */
const sci = (v: number) => {
  const s = v.toExponential(4);
  const e = s.indexOf("e");
  return halfEven(s, v, 4 - Number(s.slice(e + 1)), e - 1).replace(/e([+-])(\d)$/, "e$10$2");
};
const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");

interface Formatter {
  readonly width: number;
  format(v: number | bigint): string;
}

/**
 * PyTorch's _Formatter: the mode and the column width come from the nonzero finite values only (of the summarized
 * data when the tensor is summarized), so `nan`, `inf` and `0.` never widen a column.
 */
function makeFormatter(vals: readonly (number | bigint)[], dtype: DType): Formatter {
  const pad = (s: string, w: number) => s.padStart(w);
  if (!isFloat(dtype)) {
    const str = (v: number | bigint) => (dtype === "bool" ? (v ? "True" : "False") : String(v));
    const width = vals.reduce<number>((w, v) => Math.max(w, str(v).length), 1);
    return { width, format: (v) => pad(str(v), width) };
  }
  let min = Infinity;
  let max = 0;
  let intMode = true;
  let any = false;
  for (const v of vals as number[]) {
    if (!Number.isFinite(v) || v === 0) continue;
    any = true;
    const a = Math.abs(v);
    if (a < min) min = a;
    if (a > max) max = a;
    if (!Number.isInteger(v)) intMode = false;
  }
  let sciMode = false;
  let body: (v: number) => string;
  if (!any) body = (v) => `${v.toFixed(0)}.`;
  else if (intMode) {
    sciMode = max / min > 1000 || max > 1e8;
    body = sciMode ? sci : (v) => `${v.toFixed(0)}.`;
  } else {
    sciMode = max / min > 1000 || max > 1e8 || min < 1e-4;
    body = sciMode ? sci : fixed;
  }
  let width = 1;
  if (any) for (const v of vals as number[]) if (Number.isFinite(v) && v !== 0) width = Math.max(width, body(v).length);
  return { width, format: (v) => pad(Number.isFinite(v as number) ? body(v as number) : special(v as number), width) };
}

/** Formats elements (row-major) of a given shape as PyTorch's `repr`. */
export function formatTensor(data: StorageArray, shape: readonly number[], dtype: DType, opts: FormatOptions): string {
  const value = (i: number): number | bigint => {
    const v = data[i];
    return dtype === "float16" ? halfBitsToFloat(v as number) : dtype === "bfloat16" ? bfloat16BitsToFloat(v as number) : v;
  };
  const n = data.length;
  const summarize = n > THRESHOLD;
  const strides: number[] = [];
  for (let i = shape.length - 1, acc = 1; i >= 0; acc *= shape[i], i--) strides[i] = acc;
  // Indices shown along a dim; -1 stands for the "..." of a summary.
  const indices = (size: number) =>
    summarize && size > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => size - EDGE + i)] : [...Array(size).keys()];

  const suffixes: string[] = [];
  if (opts.device !== "cpu") suffixes.push(`device='${opts.device}'`);
  let body: string;
  if (n === 0) {
    if (shape.length !== 1) suffixes.push(`size=(${shape.join(", ")})`);
    // An empty tensor shows no element to infer int64 from, so only the default float dtype goes unnamed.
    if (dtype !== getDefaultDtype()) suffixes.push(`dtype=torch.${dtype}`);
    body = "[]";
  } else {
    if (!(dtype === getDefaultDtype() || dtype === "int64" || dtype === "bool")) suffixes.push(`dtype=torch.${dtype}`);
    // The formatter sees only what is printed (PyTorch's get_summarized_data).
    const shown: (number | bigint)[] = [];
    const collect = (d: number, off: number): void => {
      if (d === shape.length) shown.push(value(off));
      else for (const i of indices(shape[d])) if (i >= 0) collect(d + 1, off + i * strides[d]);
    };
    collect(0, 0);
    const fmt = makeFormatter(shown, dtype);
    const vector = (off: number, size: number, indent: number): string => {
      const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (fmt.width + 2)));
      const items = indices(size).map((i) => (i < 0 ? " ..." : fmt.format(value(off + i * strides[shape.length - 1]))));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(indent + 1))}]`;
    };
    const rec = (d: number, off: number, indent: number): string => {
      if (d === shape.length - 1) return vector(off, shape[d], indent);
      const parts = indices(shape[d]).map((i) => (i < 0 ? "..." : rec(d + 1, off + i * strides[d], indent + 1)));
      return `[${parts.join("," + "\n".repeat(shape.length - d - 1) + " ".repeat(indent + 1))}]`;
    };
    body = shape.length === 0 ? fmt.format(value(0)) : rec(0, 0, PREFIX.length);
  }
  if (opts.gradFn) suffixes.push(`grad_fn=<${opts.gradFn}>`);
  else if (opts.requiresGrad) suffixes.push("requires_grad=True");
  return addSuffixes(PREFIX + body, suffixes, PREFIX.length);
}

/** PyTorch's _add_suffixes: a suffix that would pass the line width goes on its own line. */
function addSuffixes(s: string, suffixes: readonly string[], indent: number): string {
  let out = s;
  // Same arithmetic as PyTorch (len - rfind("\n") + 1), including its off-by-two on single-line strings.
  let lastLine = s.length - s.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > LINEWIDTH) {
      out += ",\n" + " ".repeat(indent) + suffix;
      lastLine = indent + suffix.length;
    } else {
      out += ", " + suffix;
      lastLine += suffix.length + 2;
    }
  }
  return out + ")";
}
