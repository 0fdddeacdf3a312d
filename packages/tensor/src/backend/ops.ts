// The op catalogue: the closed set of primitives every backend implements, with their attribute types (DESIGN.md "Ops").

import type { DType } from "./dtype.js";

type NoAttrs = Record<string, never>;

/** Philox counter-based random stream: a 64-bit key (the seed) and the 128-bit block counter to start at. */
export interface PhiloxAttrs {
  /** Seed as two 32-bit words [lo, hi]. */
  readonly key: readonly [number, number];
  /** Index of the first 4×32-bit block; element i uses block `offset + floor(i / 4)`, word `i % 4`. */
  readonly offset: number;
}

/** Attributes of the reductions over a set of dims. */
export interface ReduceAttrs {
  /** Dims reduced (non-negative, sorted); the output has size 1 there. */
  readonly dims: readonly number[];
}

/**
 * Every primitive with its attributes, one line per op (PyTorch's one schema per op). This interface is the
 * catalogue: adding a primitive here makes the compiler name every table that lacks it (its family below, the
 * backends' kernel and expression tables, the gradient table, the Tensor methods, the conformance cases).
 * Kernels get inputs as strided views (any strides, broadcast dims have stride 0) and write contiguous outputs
 * allocated by the dispatcher, except `copy`, whose output may be a strided view into an existing buffer.
 */
export interface PrimitiveAttrs {
  // Elementwise float math: input and output share one floating dtype.
  exp: NoAttrs; expm1: NoAttrs; log: NoAttrs; log1p: NoAttrs; sqrt: NoAttrs; rsqrt: NoAttrs;
  sin: NoAttrs; cos: NoAttrs; tan: NoAttrs; tanh: NoAttrs; sigmoid: NoAttrs; erf: NoAttrs; reciprocal: NoAttrs;
  asin: NoAttrs; acos: NoAttrs; atan: NoAttrs; sinh: NoAttrs; cosh: NoAttrs;
  // Elementwise ops that keep any numeric dtype (abs of an int stays int).
  neg: NoAttrs; abs: NoAttrs; floor: NoAttrs; ceil: NoAttrs; round: NoAttrs; trunc: NoAttrs; sign: NoAttrs;
  // Elementwise predicates: any dtype in, bool out.
  isnan: NoAttrs; isinf: NoAttrs; isfinite: NoAttrs; logicalNot: NoAttrs;
  // Binary arithmetic: both inputs (already broadcast by strides) and the output share one dtype.
  add: NoAttrs; sub: NoAttrs; mul: NoAttrs; div: NoAttrs; pow: NoAttrs;
  maximum: NoAttrs; minimum: NoAttrs; remainder: NoAttrs; floorDivide: NoAttrs; atan2: NoAttrs;
  // Comparisons and logic: two inputs of one dtype, bool out.
  eq: NoAttrs; ne: NoAttrs; lt: NoAttrs; le: NoAttrs; gt: NoAttrs; ge: NoAttrs;
  logicalAnd: NoAttrs; logicalOr: NoAttrs; logicalXor: NoAttrs;
  // Reductions over a set of dims; the output keeps reduced dims as size 1 (the core squeezes them).
  sum: ReduceAttrs; prod: ReduceAttrs; max: ReduceAttrs; min: ReduceAttrs;
  // Index reductions over one dim, int64 out (size-1 reduced dim kept).
  argmax: { readonly dim: number }; argmin: { readonly dim: number };
  /** Strided copy with dtype conversion: inputs[0] -> outputs[0] (same shape; dtypes may differ; output may be strided). */
  copy: NoAttrs;
  /** where(cond, a, b): cond is bool, a/b and the output share a dtype; all already broadcast by strides. */
  where: NoAttrs;
  /** Fill the (contiguous) output with one value. */
  fill: { readonly value: number | bigint | boolean };
  /** Batched matrix product: [B, M, K] @ [B, K, N] -> [B, M, N]; batch broadcast shows as stride 0. */
  matmul: NoAttrs;
  /** Inclusive prefix sum along `dim`. */
  cumsum: { readonly dim: number };
  /** Sort along `dim`: outputs [values, int64 indices]; stable. */
  sort: { readonly dim: number; readonly descending: boolean };
  /** out[i][j] = input[i][index[i][j]] along `dim` (index int64/int32, same rank as input). */
  gather: { readonly dim: number };
  /** out = input with out[..index[i]..] = src[i] along `dim` (inputs: input, index, src). */
  scatter: { readonly dim: number };
  /** out = input with src accumulated at index along `dim` (inputs: input, index, src). */
  scatterAdd: { readonly dim: number };
  /** out = input.index_select(dim, index) with a 1-D index. */
  indexSelect: { readonly dim: number };
  /** out = input with source slices added at `index` along `dim` (inputs: input, index 1-D, source). */
  indexAdd: { readonly dim: number };
  /** Uniform floats in [0, 1) from the Philox stream (24 random bits, the same values for every float dtype). */
  randUniform: PhiloxAttrs;
  /** Standard normal floats from the Philox stream (Box-Muller on pairs of uniforms of one block). */
  randNormal: PhiloxAttrs;
}

/** Every primitive's name. */
export type PrimitiveOp = keyof PrimitiveAttrs;

/**
 * The family of each primitive: ops of a family share one generic kernel in a backend (and one entry shape in its
 * expression tables). `own` ops have a kernel of their own.
 */
export type PrimitiveFamily = "unaryFloat" | "unarySame" | "unaryPredicate" | "binary" | "compare" | "reduce" | "argReduce" | "own";

/** Each primitive's family; `satisfies` makes the compiler refuse a primitive without one (or a stray name). */
export const PRIMITIVE_FAMILY = {
  exp: "unaryFloat", expm1: "unaryFloat", log: "unaryFloat", log1p: "unaryFloat", sqrt: "unaryFloat", rsqrt: "unaryFloat",
  sin: "unaryFloat", cos: "unaryFloat", tan: "unaryFloat", tanh: "unaryFloat", sigmoid: "unaryFloat", erf: "unaryFloat",
  reciprocal: "unaryFloat", asin: "unaryFloat", acos: "unaryFloat", atan: "unaryFloat", sinh: "unaryFloat", cosh: "unaryFloat",
  neg: "unarySame", abs: "unarySame", floor: "unarySame", ceil: "unarySame", round: "unarySame", trunc: "unarySame", sign: "unarySame",
  isnan: "unaryPredicate", isinf: "unaryPredicate", isfinite: "unaryPredicate", logicalNot: "unaryPredicate",
  add: "binary", sub: "binary", mul: "binary", div: "binary", pow: "binary",
  maximum: "binary", minimum: "binary", remainder: "binary", floorDivide: "binary", atan2: "binary",
  eq: "compare", ne: "compare", lt: "compare", le: "compare", gt: "compare", ge: "compare",
  logicalAnd: "compare", logicalOr: "compare", logicalXor: "compare",
  sum: "reduce", prod: "reduce", max: "reduce", min: "reduce",
  argmax: "argReduce", argmin: "argReduce",
  copy: "own", where: "own", fill: "own", matmul: "own", cumsum: "own", sort: "own",
  gather: "own", scatter: "own", scatterAdd: "own", indexSelect: "own", indexAdd: "own", randUniform: "own", randNormal: "own",
} as const satisfies { readonly [K in PrimitiveOp]: PrimitiveFamily };

/** The primitives of one family, as a union of names. */
export type FamilyOps<F extends PrimitiveFamily> = { [K in PrimitiveOp]: (typeof PRIMITIVE_FAMILY)[K] extends F ? K : never }[PrimitiveOp];

export type UnaryFloatOp = FamilyOps<"unaryFloat">;
export type UnarySameOp = FamilyOps<"unarySame">;
export type UnaryPredicateOp = FamilyOps<"unaryPredicate">;
export type BinaryOp = FamilyOps<"binary">;
export type CompareOp = FamilyOps<"compare">;
export type ReduceOp = FamilyOps<"reduce">;
export type ArgReduceOp = FamilyOps<"argReduce">;

/** The names of all primitives, for iteration (conformance suites, kernel tables), in catalogue order. */
export const PRIMITIVE_OPS = Object.keys(PRIMITIVE_FAMILY) as readonly PrimitiveOp[];

/** The primitives of one family, in catalogue order. @example familyOps("reduce") // ["sum", "prod", "max", "min"] */
export function familyOps<F extends PrimitiveFamily>(family: F): readonly FamilyOps<F>[] {
  return PRIMITIVE_OPS.filter((op) => PRIMITIVE_FAMILY[op] === family) as FamilyOps<F>[];
}

/** Elementwise float math: input and output share one floating dtype. */
export const UNARY_FLOAT_OPS = familyOps("unaryFloat");
/** Elementwise ops that keep any numeric dtype (abs of an int stays int). */
export const UNARY_SAME_OPS = familyOps("unarySame");
/** Elementwise predicates: any dtype in, bool out. */
export const UNARY_PREDICATE_OPS = familyOps("unaryPredicate");
/** Binary arithmetic: both inputs (already broadcast by strides) and the output share one dtype. */
export const BINARY_OPS = familyOps("binary");
/** Comparisons and logic: two inputs of one dtype, bool out. */
export const COMPARE_OPS = familyOps("compare");
/** Reductions over a set of dims; the output keeps reduced dims as size 1 (the core squeezes them). */
export const REDUCE_OPS = familyOps("reduce");
/** Index reductions over one dim, int64 out (size-1 reduced dim kept). */
export const ARG_REDUCE_OPS = familyOps("argReduce");

/**
 * Composites a backend may replace with a fused kernel. Where a backend has none, the composite runs on primitives.
 * The tensor layer only calls a fused kernel for the inputs described here (contiguous, floating point, the
 * reduced dim last); anything else takes the composite. Inputs follow the composite's public signature.
 */
export interface FusedAttrs {
  /** softmax over the last dim of a contiguous float input; output: y. */
  softmax: Record<string, never>;
  /** log-softmax over the last dim; output: y. */
  logSoftmax: Record<string, never>;
  /** layer norm over the last dim; inputs: x, weight?, bias?; outputs: y, mean, rstd (mean / rstd: x's shape with last dim 1). */
  layerNorm: { readonly eps: number; readonly hasWeight: boolean; readonly hasBias: boolean };
  /** RMS norm over the last dim; inputs: x, weight?; outputs: y, rstd. */
  rmsNorm: { readonly eps: number; readonly hasWeight: boolean };
  /** GELU, exact (erf) or tanh approximation; output: y. */
  gelu: { readonly approximate: "none" | "tanh" };
  /**
   * Scaled-dot-product attention over contiguous [B, H, L, E] q, k, v (k, v: [B, H, S, E]); inputs: q, k, v, mask?
   * (bool [.., L, S] true = attend, or additive float, broadcastable to [B, H, L, S]); output: [B, H, L, E].
   */
  sdpa: { readonly scale: number; readonly isCausal: boolean; readonly mask: "none" | "bool" | "additive" };
  /** Cross-entropy of contiguous logits [N, C] with int64 class indices [N]; output: the loss ([] or [N] for "none"). */
  crossEntropy: { readonly ignoreIndex: number; readonly reduction: "mean" | "sum" | "none"; readonly labelSmoothing: number };
  /**
   * One AdamW step in place on contiguous float32 tensors; inputs: param, grad, expAvg, expAvgSq; no outputs.
   * Applies PyTorch's `torch.optim.AdamW` update for step number `step` (1-based).
   */
  adamwStep: {
    readonly lr: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly eps: number;
    readonly weightDecay: number;
    readonly step: number;
    readonly maximize: boolean;
  };
}

export type FusedOp = keyof FusedAttrs;

/** Every fused op once; `satisfies` makes the compiler refuse a fused op missing here (or a stray name). */
const FUSED_NAMES = {
  softmax: true, logSoftmax: true, layerNorm: true, rmsNorm: true, gelu: true, sdpa: true, crossEntropy: true, adamwStep: true,
} as const satisfies { readonly [K in FusedOp]: true };

/** Every fused op's name, for iteration. */
export const FUSED_OPS = Object.keys(FUSED_NAMES) as readonly FusedOp[];

/** The dtype and shape of one output the dispatcher allocates. */
export interface OutputSpec {
  readonly dtype: DType;
  readonly shape: readonly number[];
}
