// The op catalogue: the closed set of primitives every backend implements, with their attribute types (DESIGN.md "Ops").

import type { DType } from "./dtype.js";

/** Elementwise float math: input and output share one floating dtype. */
export const UNARY_FLOAT_OPS = [
  "exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "tanh", "sigmoid", "erf", "reciprocal",
  "asin", "acos", "atan", "sinh", "cosh",
] as const;
/** Elementwise ops that keep any numeric dtype (abs of an int stays int). */
export const UNARY_SAME_OPS = ["neg", "abs", "floor", "ceil", "round", "trunc", "sign"] as const;
/** Elementwise predicates: any dtype in, bool out. */
export const UNARY_PREDICATE_OPS = ["isnan", "isinf", "isfinite", "logicalNot"] as const;
/** Binary arithmetic: both inputs (already broadcast by strides) and the output share one dtype. */
export const BINARY_OPS = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "remainder", "floorDivide", "atan2"] as const;
/** Comparisons and logic: two inputs of one dtype, bool out. */
export const COMPARE_OPS = ["eq", "ne", "lt", "le", "gt", "ge", "logicalAnd", "logicalOr", "logicalXor"] as const;
/** Reductions over a set of dims; the output keeps reduced dims as size 1 (the core squeezes them). */
export const REDUCE_OPS = ["sum", "prod", "max", "min"] as const;
/** Index reductions over one dim, int64 out (size-1 reduced dim kept). */
export const ARG_REDUCE_OPS = ["argmax", "argmin"] as const;

export type UnaryFloatOp = (typeof UNARY_FLOAT_OPS)[number];
export type UnarySameOp = (typeof UNARY_SAME_OPS)[number];
export type UnaryPredicateOp = (typeof UNARY_PREDICATE_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];
export type CompareOp = (typeof COMPARE_OPS)[number];
export type ReduceOp = (typeof REDUCE_OPS)[number];
export type ArgReduceOp = (typeof ARG_REDUCE_OPS)[number];

/** Philox counter-based random stream: a 64-bit key (the seed) and the 128-bit block counter to start at. */
export interface PhiloxAttrs {
  /** Seed as two 32-bit words [lo, hi]. */
  readonly key: readonly [number, number];
  /** Index of the first 4×32-bit block; element i uses block `offset + floor(i / 4)`, word `i % 4`. */
  readonly offset: number;
}

/**
 * Attributes of every primitive, keyed by op name. Kernels get inputs as strided views (any strides,
 * broadcast dims have stride 0) and write contiguous outputs allocated by the dispatcher, except
 * `copy`, whose output may be a strided view into an existing buffer.
 */
export type PrimitiveAttrs = { [K in UnaryFloatOp | UnarySameOp | UnaryPredicateOp | BinaryOp | CompareOp]: Record<string, never> } & {
  [K in ReduceOp]: {
    /** Dims reduced (non-negative, sorted); the output has size 1 there. */
    readonly dims: readonly number[];
  };
} & { [K in ArgReduceOp]: { readonly dim: number } } & {
  /** Strided copy with dtype conversion: inputs[0] -> outputs[0] (same shape; dtypes may differ; output may be strided). */
  copy: Record<string, never>;
  /** where(cond, a, b): cond is bool, a/b and the output share a dtype; all already broadcast by strides. */
  where: Record<string, never>;
  /** Fill the (contiguous) output with one value. */
  fill: { readonly value: number | bigint | boolean };
  /** Batched matrix product: [B, M, K] @ [B, K, N] -> [B, M, N]; batch broadcast shows as stride 0. */
  matmul: Record<string, never>;
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
};

/** Every primitive's name. */
export type PrimitiveOp = keyof PrimitiveAttrs;

/** The names of all primitives, for iteration (conformance suites, kernel tables). */
export const PRIMITIVE_OPS: readonly PrimitiveOp[] = [
  ...UNARY_FLOAT_OPS,
  ...UNARY_SAME_OPS,
  ...UNARY_PREDICATE_OPS,
  ...BINARY_OPS,
  ...COMPARE_OPS,
  ...REDUCE_OPS,
  ...ARG_REDUCE_OPS,
  "copy", "where", "fill", "matmul", "cumsum", "sort", "gather", "scatter", "scatterAdd", "indexSelect", "indexAdd",
  "randUniform", "randNormal",
];

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

/** Every fused op's name, for iteration. */
export const FUSED_OPS: readonly FusedOp[] = ["softmax", "logSoftmax", "layerNorm", "rmsNorm", "gelu", "sdpa", "crossEntropy", "adamwStep"];

export type FusedOp = keyof FusedAttrs;

/** The dtype and shape of one output the dispatcher allocates. */
export interface OutputSpec {
  readonly dtype: DType;
  readonly shape: readonly number[];
}
