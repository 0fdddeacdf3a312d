// The gradient table: a formula (or "nondifferentiable") for every op the dispatcher routes, checked by the compiler.

import type { GradTable } from "../internal/formula.js";
import { BINARY_FORMULAS, COPY_FORMULA, UNARY_FLOAT_FORMULAS, UNARY_SAME_FORMULAS, WHERE_FORMULA } from "./elementwise.js";
import { CUMSUM_FORMULA, MATMUL_FORMULA, REDUCE_FORMULAS, SORT_FORMULA } from "./reduce.js";
import { FUSED_FORMULAS } from "./fused.js";
import { GATHER_FORMULA, INDEX_ADD_FORMULA, INDEX_SELECT_FORMULA, SCATTER_ADD_FORMULA, SCATTER_FORMULA } from "./indexing.js";
import {
  AS_STRIDED_FORMULA,
  ASSIGN_FORMULA,
  CAT_FORMULA,
  EMBED_FORMULA,
  EXPAND_FORMULA,
  FLIP_FORMULA,
  PERMUTE_FORMULA,
  SLICE_FORMULA,
  TRANSFER_FORMULA,
  VIEW_FORMULA,
} from "./shape.js";

const ND = "nondifferentiable" as const;

/**
 * The gradient formula of every dispatcher op; composites (softmax, layer norm, losses, …) get their gradients
 * through these. Read-only: useful to list which ops are differentiable.
 * @example Object.keys(GRAD_TABLE).filter((op) => GRAD_TABLE[op as keyof typeof GRAD_TABLE] !== "nondifferentiable")
 */
export const GRAD_TABLE: GradTable = {
  ...UNARY_FLOAT_FORMULAS,
  ...UNARY_SAME_FORMULAS,
  isnan: ND,
  isinf: ND,
  isfinite: ND,
  logicalNot: ND,
  ...BINARY_FORMULAS,
  eq: ND,
  ne: ND,
  lt: ND,
  le: ND,
  gt: ND,
  ge: ND,
  logicalAnd: ND,
  logicalOr: ND,
  logicalXor: ND,
  ...REDUCE_FORMULAS,
  argmax: ND,
  argmin: ND,
  copy: COPY_FORMULA,
  where: WHERE_FORMULA,
  fill: ND,
  matmul: MATMUL_FORMULA,
  cumsum: CUMSUM_FORMULA,
  sort: SORT_FORMULA,
  gather: GATHER_FORMULA,
  scatter: SCATTER_FORMULA,
  scatterAdd: SCATTER_ADD_FORMULA,
  indexSelect: INDEX_SELECT_FORMULA,
  indexAdd: INDEX_ADD_FORMULA,
  randUniform: ND,
  randNormal: ND,
  view: VIEW_FORMULA,
  permute: PERMUTE_FORMULA,
  expand: EXPAND_FORMULA,
  slice: SLICE_FORMULA,
  flip: FLIP_FORMULA,
  asStrided: AS_STRIDED_FORMULA,
  cat: CAT_FORMULA,
  embed: EMBED_FORMULA,
  transfer: TRANSFER_FORMULA,
  assign: ASSIGN_FORMULA,
  ...FUSED_FORMULAS,
};
