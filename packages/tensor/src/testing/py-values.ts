// Values of the Python-expression interpreter (ints vs floats, tuples, slices, dtypes) and the argument binding of Python calls.

import type { DType } from "../backend/dtype.js";
import { Tensor } from "../tensor.js";

/** A Python number: JS numbers lose the int/float distinction that decides dtypes (`arange(0.0, 5.0)` is float32). */
export class PyNum {
  constructor(
    readonly v: number,
    readonly float: boolean,
  ) {}
}

/** A Python tuple or list. */
export class PySeq {
  constructor(
    readonly items: PyValue[],
    readonly kind: "tuple" | "list",
  ) {}
}

/** A Python slice object, as a subscript. */
export class PySlice {
  constructor(
    readonly lo: number | null,
    readonly hi: number | null,
    readonly step: number | null,
  ) {}
}

/** `torch.float32` and friends. */
export class PyDType {
  constructor(readonly dtype: DType) {}
}

/** Something with attributes or a call (modules, functions, bound methods, `torch.finfo(...)`). */
export class PyObject {
  constructor(
    readonly name: string,
    readonly attrs: Record<string, PyValue> = {},
    readonly call?: (args: PyValue[], kwargs: Record<string, PyValue>) => PyValue,
  ) {}
}

export const ELLIPSIS = Symbol("Ellipsis");

export type PyValue = Tensor | PyNum | PySeq | PySlice | PyDType | PyObject | string | boolean | null | typeof ELLIPSIS;

export const int = (v: number): PyNum => new PyNum(v, false);
export const float = (v: number): PyNum => new PyNum(v, true);
export const tuple = (items: PyValue[]): PySeq => new PySeq(items, "tuple");

/** A short description of a value for error messages. */
export function describe(v: PyValue): string {
  if (v instanceof Tensor) return `Tensor(shape [${v.shape.join(", ")}], ${v.dtype})`;
  if (v instanceof PyNum) return v.float ? `float ${v.v}` : `int ${v.v}`;
  if (v instanceof PySeq) return `${v.kind} of ${v.items.length}`;
  if (v instanceof PyObject) return v.name;
  if (v instanceof PyDType) return `torch.${v.dtype}`;
  if (v === ELLIPSIS) return "Ellipsis";
  return JSON.stringify(v);
}

/** The JS number of a Python number (or bool). */
export function num(v: PyValue, what: string): number {
  if (v instanceof PyNum) return v.v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Tensor && v.numel() === 1) return Number(v.itemSync());
  throw new TypeError(`${what}: expected a number, got ${describe(v)}.`);
}

/** An integer argument. */
export function intArg(v: PyValue, what: string): number {
  const n = num(v, what);
  if (!Number.isInteger(n)) throw new TypeError(`${what}: expected an integer, got ${n}.`);
  return n;
}

/** A tensor argument. */
export function tensorArg(v: PyValue, what: string): Tensor {
  if (v instanceof Tensor) return v;
  throw new TypeError(`${what}: expected a tensor, got ${describe(v)}.`);
}

/** A bool argument. */
export function boolArg(v: PyValue, what: string): boolean {
  if (typeof v === "boolean") return v;
  if (v instanceof PyNum) return v.v !== 0;
  throw new TypeError(`${what}: expected a bool, got ${describe(v)}.`);
}

/** A list of ints from a tuple/list (or one int). */
export function intsArg(v: PyValue, what: string): number[] {
  if (v instanceof PySeq) return v.items.map((x) => intArg(x, what));
  return [intArg(v, what)];
}

/** Shape-like varargs: `view(2, 3)` and `view((2, 3))` are the same. */
export function varInts(v: PyValue, what: string): number[] {
  if (v instanceof PySeq && v.items.length === 1 && v.items[0] instanceof PySeq) return intsArg(v.items[0], what);
  return intsArg(v, what);
}

/** A dim argument: null (all), one dim, or several. */
export function dimArg(v: PyValue, what: string): number | number[] | null {
  if (v === null) return null;
  if (v instanceof PySeq) return intsArg(v, what);
  return intArg(v, what);
}

/** A list of tensors. */
export function tensorsArg(v: PyValue, what: string): Tensor[] {
  if (!(v instanceof PySeq)) throw new TypeError(`${what}: expected a list of tensors, got ${describe(v)}.`);
  return v.items.map((x) => tensorArg(x, what));
}

/** A tensor, or a scalar as a JS number (Python bools stay booleans). */
export function scalarOrTensor(v: PyValue, what: string): Tensor | number | boolean {
  if (v instanceof Tensor || typeof v === "boolean") return v;
  return num(v, what);
}

/** An optional dtype (`torch.float32`). */
export function dtypeArg(v: PyValue, what: string): DType | undefined {
  if (v === null) return undefined;
  if (v instanceof PyDType) return v.dtype;
  throw new TypeError(`${what}: expected a torch dtype, got ${describe(v)}.`);
}

/** One parameter of a Python signature: positional-or-keyword, keyword-only (after `*`), or `*args`. */
interface Param {
  readonly name: string;
  readonly dflt?: PyValue;
  readonly hasDefault: boolean;
  readonly kwOnly: boolean;
  readonly rest: boolean;
}

/**
 * A Python signature written as a list of names, `name=` entries with a default, `*` and `*rest`
 * (e.g. `["input", "dim", ["keepdim", false], "*", ["dtype", null]]`).
 */
export type Signature = readonly (string | readonly [string, PyValue])[];

function params(sig: Signature): Param[] {
  const out: Param[] = [];
  let kwOnly = false;
  for (const p of sig) {
    if (p === "*") {
      kwOnly = true;
      continue;
    }
    if (typeof p === "string" && p.startsWith("*")) {
      out.push({ name: p.slice(1), hasDefault: false, kwOnly: false, rest: true });
      kwOnly = true;
      continue;
    }
    if (typeof p === "string") out.push({ name: p, hasDefault: false, kwOnly, rest: false });
    else out.push({ name: p[0], dflt: p[1], hasDefault: true, kwOnly, rest: false });
  }
  return out;
}

/** Binds positional and keyword arguments to a signature, as Python does; missing or unknown ones are errors. */
export function bind(fn: string, sig: Signature, args: PyValue[], kwargs: Record<string, PyValue>): Record<string, PyValue> {
  const ps = params(sig);
  const out: Record<string, PyValue> = {};
  let i = 0;
  for (const p of ps) {
    if (p.rest) {
      out[p.name] = tuple(args.slice(i));
      i = args.length;
    } else if (!p.kwOnly && i < args.length) out[p.name] = args[i++];
  }
  if (i < args.length) throw new TypeError(`${fn}() takes ${i} positional arguments but ${args.length} were given.`);
  for (const [k, v] of Object.entries(kwargs)) {
    const p = ps.find((q) => q.name === k);
    if (!p) throw new TypeError(`${fn}() got an unexpected keyword argument '${k}' (the interpreter knows: ${ps.map((q) => q.name).join(", ")}).`);
    // `flip(x, dims=[0, 2])`: PyTorch's varargs parameters can also be passed by keyword.
    const taken = p.rest ? (out[k] as PySeq).items.length > 0 : k in out;
    if (taken) throw new TypeError(`${fn}() got multiple values for argument '${k}'.`);
    out[k] = p.rest ? tuple([v]) : v;
  }
  for (const p of ps) {
    if (p.name in out) continue;
    if (!p.hasDefault) throw new TypeError(`${fn}() missing required argument '${p.name}'.`);
    out[p.name] = p.dflt as PyValue;
  }
  return out;
}
