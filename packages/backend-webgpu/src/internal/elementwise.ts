// Elementwise WGSL kernels (unary, binary, compare, predicates, where, copy with casts, fill), generated per op and dtypes over strided operands.

import {
  itemSize,
  numel,
  type BinaryOp,
  type CompareOp,
  type DType,
  type KernelTensor,
  type UnaryFloatOp,
  type UnaryPredicateOp,
  type UnarySameOp,
} from "@tsorch/tensor/backend";
import { gbuf, unsupported, type GpuKernel } from "./kernel.js";
import type { GpuBuffer } from "./pool.js";
import type { GpuRuntime } from "./runtime.js";
import { MAIN_1D, META_DECL, errDecl, groupsFor, offsetsFn, stridedMeta } from "./strided.js";
import { WGSL_COMMON, bindingDecl, convertExpr, familyOf, isSubWord, loadFn, storeFn, type Family } from "./wgsl-dtype.js";
import { WGSL_INT64_DIV, WGSL_INT_ERR, WGSL_MATH } from "./wgsl-math.js";

/** An op's WGSL expression per compute family (reading a0, a1, a2); null: not available for that family. */
export interface OpExprs {
  readonly F: string | null;
  readonly I: string | null;
  readonly L: string | null;
  /** The I form may call raise() (integer division by zero, negative powers). */
  readonly intErr?: string;
  /** The L form, which may call raise(). */
  readonly longErr?: string;
}

const b2i = (c: string): string => `select(0, 1, ${c})`;
const fOnly = (e: string): OpExprs => ({ F: e, I: null, L: null });

/** Float-only unary math. */
export const UNARY_FLOAT: { readonly [K in UnaryFloatOp]: OpExprs } = {
  exp: fOnly("m_exp(a0)"),
  expm1: fOnly("f_expm1(a0)"),
  log: fOnly("m_log(a0)"),
  log1p: fOnly("f_log1p(a0)"),
  sqrt: fOnly("sqrt(a0)"),
  rsqrt: fOnly("1.0 / sqrt(a0)"),
  sin: fOnly("m_sin(a0)"),
  cos: fOnly("m_cos(a0)"),
  tan: fOnly("m_tan(a0)"),
  tanh: fOnly("f_tanh(a0)"),
  sigmoid: fOnly("f_sigmoid(a0)"),
  erf: fOnly("f_erf(a0)"),
  reciprocal: fOnly("1.0 / a0"),
  asin: fOnly("m_asin(a0)"),
  acos: fOnly("m_acos(a0)"),
  atan: fOnly("m_atan(a0)"),
  sinh: fOnly("f_sinh(a0)"),
  cosh: fOnly("f_cosh(a0)"),
};

/** Unary ops that keep the dtype. */
export const UNARY_SAME: { readonly [K in UnarySameOp]: OpExprs } = {
  neg: { F: "-a0", I: "-a0", L: "l_neg(a0)" },
  abs: { F: "abs(a0)", I: "select(a0, -a0, a0 < 0)", L: "select(a0, l_neg(a0), l_neg_q(a0))" },
  floor: { F: "floor(a0)", I: "a0", L: "a0" },
  ceil: { F: "ceil(a0)", I: "a0", L: "a0" },
  round: { F: "round(a0)", I: "a0", L: "a0" },
  trunc: { F: "trunc(a0)", I: "a0", L: "a0" },
  sign: { F: "f_sign(a0)", I: "sign(a0)", L: "l_sign(a0)" },
};

/** Predicates: bool out. */
export const PREDICATE: { readonly [K in UnaryPredicateOp]: OpExprs } = {
  isnan: { F: b2i("is_nan(a0)"), I: "0", L: "0" },
  isinf: { F: b2i("is_inf(a0)"), I: "0", L: "0" },
  isfinite: { F: b2i("!is_nan(a0) && !is_inf(a0)"), I: "1", L: "1" },
  logicalNot: { F: b2i("!f_nz(a0)"), I: b2i("a0 == 0"), L: b2i("(a0.x | a0.y) == 0u") },
};

/** Binary arithmetic. */
export const BINARY: { readonly [K in BinaryOp]: OpExprs } = {
  add: { F: "a0 + a1", I: "a0 + a1", L: "l_add(a0, a1)" },
  sub: { F: "a0 - a1", I: "a0 - a1", L: "l_sub(a0, a1)" },
  mul: { F: "a0 * a1", I: "a0 * a1", L: "l_mul(a0, a1)" },
  div: { F: "a0 / a1", I: "i_div(a0, a1)", L: null },
  pow: { F: "f_pow(a0, a1)", I: null, L: null, intErr: "i_pow(a0, a1)", longErr: "l_pow(a0, a1)" },
  maximum: { F: "f_max(a0, a1)", I: "max(a0, a1)", L: "select(a0, a1, l_lt(a0, a1))" },
  minimum: { F: "f_min(a0, a1)", I: "min(a0, a1)", L: "select(a0, a1, l_lt(a1, a0))" },
  remainder: { F: "f_rem(a0, a1)", I: null, L: null, intErr: "i_rem(a0, a1)", longErr: "l_rem(a0, a1)" },
  floorDivide: { F: "f_fdiv(a0, a1)", I: null, L: null, intErr: "i_fdiv(a0, a1)", longErr: "l_fdiv(a0, a1)" },
  atan2: { F: "m_atan2(a0, a1)", I: null, L: null },
};

// NaN compares unordered: some drivers answer != as "ordered and unequal", so NaN is tested by bits.
const NAN2 = "(is_nan(a0) || is_nan(a1))";
const cmp = (f: string, l: string): OpExprs => ({
  F: b2i(f === "!=" ? `a0 != a1 || ${NAN2}` : `a0 ${f} a1 && !${NAN2}`),
  I: b2i(`a0 ${f} a1`),
  L: b2i(l),
});

/** Comparisons and logic: bool out. */
export const COMPARE: { readonly [K in CompareOp]: OpExprs } = {
  eq: cmp("==", "l_eq(a0, a1)"),
  ne: cmp("!=", "!l_eq(a0, a1)"),
  lt: cmp("<", "l_lt(a0, a1)"),
  le: cmp("<=", "!l_lt(a1, a0)"),
  gt: cmp(">", "l_lt(a1, a0)"),
  ge: cmp(">=", "!l_lt(a0, a1)"),
  logicalAnd: { F: b2i("f_nz(a0) && f_nz(a1)"), I: b2i("a0 != 0 && a1 != 0"), L: b2i("(a0.x | a0.y) != 0u && (a1.x | a1.y) != 0u") },
  logicalOr: { F: b2i("f_nz(a0) || f_nz(a1)"), I: b2i("a0 != 0 || a1 != 0"), L: b2i("(a0.x | a0.y) != 0u || (a1.x | a1.y) != 0u") },
  logicalXor: { F: b2i("f_nz(a0) != f_nz(a1)"), I: b2i("(a0 != 0) != (a1 != 0)"), L: b2i("((a0.x | a0.y) != 0u) != ((a1.x | a1.y) != 0u)") },
};

/**
 * Builds the WGSL of an elementwise kernel: `out = expr(a0..)` over strided operands, computing in the family
 * of `computeDt` (inputs are converted to it) and converting the result (family `resFam`) to the output dtype.
 */
function elementwiseSource(ins: readonly DType[], out: DType, computeDt: DType, expr: string, resDt: DType, withErr: boolean): string {
  const decls = [META_DECL];
  const fns: string[] = [];
  ins.forEach((d, k) => {
    decls.push(bindingDecl(k + 1, `x${k}`, false, false));
    fns.push(loadFn(`x${k}`, d));
  });
  decls.push(bindingDecl(ins.length + 1, "y", true, isSubWord(out)));
  fns.push(storeFn("y", out));
  if (withErr) decls.push(errDecl(ins.length + 2), WGSL_INT_ERR, WGSL_INT64_DIV);
  const loads = ins.map((d, k) => `let a${k} = ${convertExpr(`ld_x${k}(o[${k + 1}])`, d, k === 0 && ins.length === 3 && computeDt !== d ? d : computeDt)};`);
  return [
    WGSL_COMMON,
    WGSL_MATH,
    ...decls,
    ...fns,
    offsetsFn(ins.length + 1),
    MAIN_1D,
    `  if (i >= md[0]) { return; }`,
    `  let o = offsets(i);`,
    ...loads.map((l) => "  " + l),
    `  st_y(o[0], ${convertExpr(`(${expr})`, resDt, out)});`,
    `}`,
  ].join("\n");
}

function views(ins: readonly KernelTensor<GpuBuffer>[], out: KernelTensor<GpuBuffer>) {
  return [out, ...ins].map((t) => ({ strides: t.strides, offset: t.offset }));
}

/** Launches an elementwise kernel (the output shape drives the walk; inputs are already broadcast by strides). */
export function runElementwise(
  rt: GpuRuntime,
  op: string,
  ins: readonly KernelTensor<GpuBuffer>[],
  out: KernelTensor<GpuBuffer>,
  expr: string,
  computeDt: DType,
  resDt: DType,
  params: readonly number[] = [],
  onError?: (v: number) => string,
): void {
  const n = numel(out.shape);
  if (n === 0) return;
  for (const t of [...ins, out]) if (t.dtype === "float64") unsupported(op, "float64");
  const dts = ins.map((t) => t.dtype);
  rt.launch({
    key: `ew|${dts.join(",")}|${out.dtype}|${computeDt}|${resDt}|${onError ? 1 : 0}|${expr}`,
    code: () => elementwiseSource(dts, out.dtype, computeDt, expr, resDt, !!onError),
    bindings: [...ins.map((t) => ({ buf: gbuf(t) })), { buf: gbuf(out), write: true }],
    meta: stridedMeta(out.shape, views(ins, out), params),
    groups: groupsFor(n),
    onError,
  });
}

/** A kernel for one table op: the computation follows the first input's dtype family. */
export function tableKernel(rt: GpuRuntime, op: string, e: OpExprs, boolOut: boolean): GpuKernel {
  return (ins, outs) => {
    // Arithmetic computes in the output dtype (int inputs of a true division give floats); predicates in the input's.
    const d = boolOut ? ins[0].dtype : outs[0].dtype;
    const fam: Family = familyOf(d);
    let expr = fam === "F" ? e.F : fam === "I" ? e.I : e.L;
    let onError: ((v: number) => string) | undefined;
    const errExpr = fam === "I" ? e.intErr : fam === "L" ? e.longErr : undefined;
    if (expr === null && errExpr) {
      expr = errExpr;
      onError = (v) =>
        op === "pow"
          ? `pow: integers to negative integer powers are not allowed (exponent ${v}); cast the base to a float dtype first.`
          : `${op}: integer division by zero (ZeroDivisionError); the divisor has a 0. Use a float dtype to get ${op === "remainder" ? "NaN" : "inf"} instead.`;
    }
    if (expr === null || d === "float64") unsupported(op, d);
    runElementwise(rt, op, ins, outs[0], expr, d, boolOut ? "bool" : d, [], onError);
  };
}

/** where(cond, a, b): values move through their compute family unchanged. */
export function whereKernel(rt: GpuRuntime): GpuKernel {
  return (ins, outs) => runElementwise(rt, "where", ins, outs[0], "select(a2, a1, a0 != 0)", outs[0].dtype, outs[0].dtype);
}

// Dense in row-major order (size-1 dims ignored), so a same-dtype copy is a plain byte copy.
function dense(t: KernelTensor<GpuBuffer>): boolean {
  let acc = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    if (t.shape[i] === 1) continue;
    if (t.strides[i] !== acc) return false;
    acc *= t.shape[i];
  }
  return true;
}

/** Strided copy with dtype conversion; dense word-aligned same-dtype copies become buffer copies. */
export function copyKernel(rt: GpuRuntime): GpuKernel {
  return (ins, outs) => {
    const src = ins[0];
    const dst = outs[0];
    const n = numel(dst.shape);
    if (n === 0) return;
    if (src.dtype === dst.dtype && dense(src) && dense(dst) && src.dtype !== "float64") {
      const sz = itemSize(src.dtype);
      const so = src.offset * sz;
      const d0 = dst.offset * sz;
      const bytes = n * sz;
      if (so % 4 === 0 && d0 % 4 === 0 && bytes % 4 === 0 && (gbuf(src) !== gbuf(dst) || so === d0 || Math.abs(so - d0) >= bytes)) {
        if (gbuf(src) === gbuf(dst) && so === d0) return;
        if (gbuf(src) !== gbuf(dst)) {
          rt.copyBuffer(gbuf(src), so, gbuf(dst), d0, bytes);
          return;
        }
      }
    }
    runElementwise(rt, "copy", [src], dst, "a0", src.dtype, src.dtype);
  };
}

/** The fill value as the compute value of `d`, in meta words p0 (and p1 for int64). */
function fillWords(d: DType, v: number | bigint | boolean): number[] {
  const num = typeof v === "boolean" ? (v ? 1 : 0) : typeof v === "bigint" ? Number(v) : v;
  if (d === "int64") {
    const b = BigInt.asIntN(64, typeof v === "bigint" ? v : typeof v === "boolean" ? (v ? 1n : 0n) : Number.isFinite(num) ? BigInt(Math.trunc(num)) : -(2n ** 63n));
    return [Number(BigInt.asUintN(32, b)), Number(BigInt.asUintN(32, b >> 32n))];
  }
  if (familyOf(d) === "F") return [new Uint32Array(new Float32Array([num]).buffer)[0]];
  if (d === "bool") return [num !== 0 ? 1 : 0];
  return [num | 0];
}

/** Writes one value to every element of the output (any strides). */
export function fillKernel(rt: GpuRuntime): GpuKernel {
  return (_ins, outs, attrs: { value: number | bigint | boolean }) => {
    const out = outs[0];
    const d = out.dtype;
    if (d === "float64") unsupported("fill", d);
    const f = familyOf(d);
    const expr = f === "F" ? "bitcast<f32>(md[2])" : f === "I" ? "bitcast<i32>(md[2])" : "vec2<u32>(md[2], md[3])";
    runElementwise(rt, "fill", [], out, expr, d, d, fillWords(d, attrs.value));
  };
}
