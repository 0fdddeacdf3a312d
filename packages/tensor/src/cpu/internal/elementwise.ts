// Elementwise CPU kernels (unary, binary, compare, where, copy, fill): expression tables compiled per dtype by codegen.ts.

import { numel, type BinaryOp, type CompareOp, type DType, type UnaryFloatOp, type UnaryPredicateOp, type UnarySameOp } from "../../backend/index.js";
import { compileElementwise, type ElementwiseFn } from "./codegen.js";
import { viaF32, type AnyKernel } from "./half-wrap.js";
import type { CachingAllocator } from "./pool.js";
import { noInt64, toBig } from "./scalar-math.js";
import { toHalfBits } from "./half-convert.js";
import { isDense } from "./strides.js";

/** Index of a dtype in per-dtype kernel caches. */
export function dtIndex(d: DType): number {
  switch (d) {
    case "float32": return 0;
    case "float64": return 1;
    case "float16": return 2;
    case "bfloat16": return 3;
    case "int32": return 4;
    case "int64": return 5;
    case "uint8": return 6;
    case "bool": return 7;
  }
}

/** Expressions of one op per dtype family: `num` for float32/float64, `int` for int32/uint8 (default `num`), `big` for int64 (null: refused). */
interface Exprs {
  readonly num: string;
  readonly int?: string;
  readonly big: string | null;
  // Predicates and comparisons already produce 0/1; arithmetic on bool is coerced to 0/1.
  readonly boolOut?: boolean;
}

const unaryFloat = (e: string): Exprs => ({ num: e, big: null });

/** Unary float ops (float dtypes only; the dispatcher never sends ints). */
export const UNARY_FLOAT_EXPRS: { readonly [K in UnaryFloatOp]: Exprs } = {
  exp: unaryFloat("Math.exp(a0)"),
  expm1: unaryFloat("Math.expm1(a0)"),
  log: unaryFloat("Math.log(a0)"),
  log1p: unaryFloat("Math.log1p(a0)"),
  sqrt: unaryFloat("Math.sqrt(a0)"),
  rsqrt: unaryFloat("1 / Math.sqrt(a0)"),
  sin: unaryFloat("Math.sin(a0)"),
  cos: unaryFloat("Math.cos(a0)"),
  tan: unaryFloat("Math.tan(a0)"),
  tanh: unaryFloat("Math.tanh(a0)"),
  sigmoid: unaryFloat("sigmoid(a0)"),
  erf: unaryFloat("erf(a0)"),
  reciprocal: unaryFloat("1 / a0"),
  asin: unaryFloat("Math.asin(a0)"),
  acos: unaryFloat("Math.acos(a0)"),
  atan: unaryFloat("Math.atan(a0)"),
  sinh: unaryFloat("Math.sinh(a0)"),
  cosh: unaryFloat("Math.cosh(a0)"),
};

/** Unary ops that keep the dtype. */
export const UNARY_SAME_EXPRS: { readonly [K in UnarySameOp]: Exprs } = {
  neg: { num: "-a0", big: "-a0" },
  abs: { num: "Math.abs(a0)", big: "(a0 < 0n ? -a0 : a0)" },
  floor: { num: "Math.floor(a0)", int: "a0", big: "a0" },
  ceil: { num: "Math.ceil(a0)", int: "a0", big: "a0" },
  round: { num: "rint(a0)", int: "a0", big: "a0" },
  trunc: { num: "Math.trunc(a0)", int: "a0", big: "a0" },
  sign: { num: "(a0 > 0 ? 1 : a0 < 0 ? -1 : a0 === 0 ? 0 : a0)", big: "(a0 > 0n ? 1n : a0 < 0n ? -1n : 0n)" },
};

/** Predicates: bool out. */
export const PREDICATE_EXPRS: { readonly [K in UnaryPredicateOp]: Exprs } = {
  isnan: { num: "(a0 !== a0 ? 1 : 0)", big: "0", boolOut: true },
  isinf: { num: "(a0 === Infinity || a0 === -Infinity ? 1 : 0)", big: "0", boolOut: true },
  isfinite: { num: "(a0 - a0 === 0 ? 1 : 0)", big: "1", boolOut: true },
  logicalNot: { num: "(a0 === 0 ? 1 : 0)", big: "(a0 === 0n ? 1 : 0)", boolOut: true },
};

/** Binary arithmetic. */
export const BINARY_EXPRS: { readonly [K in BinaryOp]: Exprs } = {
  add: { num: "a0 + a1", big: "a0 + a1" },
  sub: { num: "a0 - a1", big: "a0 - a1" },
  mul: { num: "a0 * a1", int: "Math.imul(a0, a1)", big: "a0 * a1" },
  div: { num: "a0 / a1", big: null },
  pow: { num: "Math.pow(a0, a1)", int: "ipow32(a0, a1)", big: null },
  maximum: { num: "(a0 > a1 || a0 !== a0 ? a0 : a1)", big: "(a0 > a1 ? a0 : a1)" },
  minimum: { num: "(a0 < a1 || a0 !== a0 ? a0 : a1)", big: "(a0 < a1 ? a0 : a1)" },
  remainder: { num: "remainderF(a0, a1)", int: "remainderI(a0, a1)", big: "remainderBig(a0, a1)" },
  floorDivide: { num: "floorDivF(a0, a1)", int: "floorDivI(a0, a1)", big: "floorDivBig(a0, a1)" },
  atan2: { num: "Math.atan2(a0, a1)", big: null },
};

const cmp = (op: string): Exprs => ({ num: `(a0 ${op} a1 ? 1 : 0)`, big: `(a0 ${op} a1 ? 1 : 0)`, boolOut: true });

/** Comparisons and logic: bool out. */
export const COMPARE_EXPRS: { readonly [K in CompareOp]: Exprs } = {
  eq: cmp("==="),
  ne: cmp("!=="),
  lt: cmp("<"),
  le: cmp("<="),
  gt: cmp(">"),
  ge: cmp(">="),
  logicalAnd: { num: "(a0 !== 0 && a1 !== 0 ? 1 : 0)", big: "(a0 !== 0n && a1 !== 0n ? 1 : 0)", boolOut: true },
  logicalOr: { num: "(a0 !== 0 || a1 !== 0 ? 1 : 0)", big: "(a0 !== 0n || a1 !== 0n ? 1 : 0)", boolOut: true },
  logicalXor: { num: "((a0 !== 0) !== (a1 !== 0) ? 1 : 0)", big: "((a0 !== 0n) !== (a1 !== 0n) ? 1 : 0)", boolOut: true },
};

function exprFor(op: string, e: Exprs, d: DType): string {
  switch (d) {
    case "int64":
      if (e.big === null) noInt64(op);
      return e.big;
    case "int32":
    case "uint8":
      return e.int ?? e.num;
    case "bool": {
      const x = e.int ?? e.num;
      return e.boolOut ? x : `((${x}) ? 1 : 0)`;
    }
    default:
      return e.num;
  }
}

/**
 * A kernel for an elementwise op whose computation is chosen by the first input's dtype;
 * float16/bfloat16 run the float32 loop through viaF32.
 */
export function elementwiseKernel(pool: CachingAllocator, op: string, nin: number, e: Exprs): AnyKernel {
  const cache: (ElementwiseFn | undefined)[] = new Array(8).fill(undefined);
  const get = (d: DType): ElementwiseFn => {
    const i = dtIndex(d);
    let f = cache[i];
    if (f === undefined) {
      f = compileElementwise(nin, exprFor(op, e, d));
      cache[i] = f;
    }
    return f;
  };
  const f32Path: AnyKernel = (ins, outs) => get("float32")(outs[0], ins[0], ins[1], ins[2]);
  const half = viaF32(pool, f32Path);
  return (ins, outs, attrs) => {
    const d = ins[0].dtype;
    if (d === "float16" || d === "bfloat16") return half(ins, outs, attrs);
    let f = cache[dtIndex(d)];
    if (f === undefined) f = get(d);
    f(outs[0], ins[0], ins[1], ins[2]);
  };
}

/** where(cond, a, b): moves values (half bits untouched), so every dtype runs natively. */
export function whereKernel(): AnyKernel {
  const cache: (ElementwiseFn | undefined)[] = new Array(8).fill(undefined);
  return (ins, outs) => {
    const i = dtIndex(ins[1].dtype);
    let f = cache[i];
    if (f === undefined) {
      f = compileElementwise(3, "(a0 !== 0 ? a1 : a2)");
      cache[i] = f;
    }
    f(outs[0], ins[0], ins[1], ins[2]);
  };
}

type Fam = "num" | "bool" | "i32" | "u8" | "big" | "f16" | "bf16";

function family(d: DType): Fam {
  switch (d) {
    case "float32":
    case "float64":
      return "num";
    case "int32":
      return "i32";
    case "uint8":
      return "u8";
    case "bool":
      return "bool";
    case "int64":
      return "big";
    case "float16":
      return "f16";
    case "bfloat16":
      return "bf16";
  }
}

/** The conversion expression from a value `a0` of dtype `s` to dtype `d`, with PyTorch's cast semantics. */
export function convertExpr(s: DType, d: DType): string {
  if (s === d) return "a0";
  const fs = family(s);
  const fd = family(d);
  // A value read as a plain number (half decoded first).
  const asNum = fs === "f16" ? "halfBitsToFloat(a0)" : fs === "bf16" ? "bfloat16BitsToFloat(a0)" : fs === "big" ? "Number(a0)" : "a0";
  switch (fd) {
    case "bool":
      if (fs === "big") return "(a0 !== 0n ? 1 : 0)";
      // Half bits are zero only for +0 and -0 (NaN is true, as bool(nan) in PyTorch).
      if (fs === "f16" || fs === "bf16") return "((a0 & 0x7fff) !== 0 ? 1 : 0)";
      return "(a0 !== 0 ? 1 : 0)";
    case "big":
      if (fs === "bool" || fs === "u8" || fs === "i32") return "BigInt(a0)";
      return `toBig(${asNum})`;
    case "i32":
      // Typed-array stores truncate toward zero and wrap, as a C cast on x86 does for in-range values.
      return fs === "big" ? "Number(BigInt.asIntN(32, a0))" : asNum;
    case "u8":
      return fs === "big" ? "Number(BigInt.asUintN(8, a0))" : asNum;
    case "num":
      return asNum;
    case "f16":
      return `floatToHalfBits(${asNum})`;
    case "bf16":
      return `floatToBfloat16Bits(${asNum})`;
  }
}

/** Strided copy with dtype conversion; the output may be any strided view. */
export function copyKernel(): AnyKernel {
  const cache: (ElementwiseFn | undefined)[] = new Array(64).fill(undefined);
  return (ins, outs) => {
    const src = ins[0];
    const dst = outs[0];
    if (src.dtype === dst.dtype && isDense(src) && isDense(dst)) {
      // Same-dtype dense copy is a memmove (overlap-safe, as TypedArray.set specifies).
      const n = numel(dst.shape);
      if (n > 0) (dst.buffer as Float32Array).set((src.buffer as Float32Array).subarray(src.offset, src.offset + n), dst.offset);
      return;
    }
    const i = dtIndex(src.dtype) * 8 + dtIndex(dst.dtype);
    let f = cache[i];
    if (f === undefined) {
      f = compileElementwise(1, convertExpr(src.dtype, dst.dtype));
      cache[i] = f;
    }
    f(dst, src);
  };
}

/** Writes one value to every element of the (contiguous) output, converted to its dtype. */
export function fillKernel(): AnyKernel {
  return (_ins, outs, attrs: { value: number | bigint | boolean }) => {
    const out = outs[0];
    const n = numel(out.shape);
    const v = attrs.value;
    const num = typeof v === "boolean" ? (v ? 1 : 0) : typeof v === "bigint" ? Number(v) : v;
    let x: number | bigint;
    switch (out.dtype) {
      case "int64":
        x = typeof v === "bigint" ? BigInt.asIntN(64, v) : toBig(num);
        break;
      case "bool":
        x = num !== 0 ? 1 : 0;
        break;
      case "float16":
      case "bfloat16":
        x = toHalfBits(out.dtype === "bfloat16", num);
        break;
      default:
        x = num;
    }
    (out.buffer as Float64Array).fill(x as number, out.offset, out.offset + n);
  };
}
