// Gradient formulas of reductions (sum, prod, amax, amin), batched matmul, cumsum and sort.

import type { ReduceOp } from "@tsorch/tensor/backend";
import { where, zeros } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import type { FormulaContext, GradFormula } from "../internal/formula.js";
import { needed } from "./helpers.js";

type RCtx = FormulaContext<ReduceOp>;

/** Reductions over every dim are PyTorch's `…Backward0`; over some dims `…Backward1`. */
function allDims(ctx: { inputs: readonly { shape: readonly number[] }[]; attrs: { dims: readonly number[] } }): boolean {
  return ctx.attrs.dims.length === ctx.inputs[0].shape.length;
}

const sumFormula: GradFormula<"sum"> = {
  name: (call) => (allDims({ inputs: call.inputs, attrs: call.attrs }) ? "SumBackward0" : "SumBackward1"),
  backward: (g, ctx) => [g.expand(ctx.inputs[0].shape)],
};

/**
 * Product: out / x where x != 0; where x is the only zero of its group, the product of the others; 0 when a group
 * has two zeros — all with primitives, so it stays differentiable.
 */
const prodFormula: GradFormula<"prod"> = {
  name: (call) => (allDims({ inputs: call.inputs, attrs: call.attrs }) ? "ProdBackward0" : "ProdBackward1"),
  save: () => ({ inputs: [0], outputs: [0] }),
  backward: (g, ctx: RCtx) => {
    const x = ctx.input(0);
    const out = ctx.output(0);
    const dims = ctx.attrs.dims;
    const isZero = x.eq(0);
    const zeroCount = isZero.sum(dims, true);
    const othersIfOnlyZero = where(isZero, 1, x).prod(dims, true);
    const atZero = where(zeroCount.eq(1), othersIfOnlyZero, 0);
    const safeX = where(isZero, 1, x);
    const d = where(isZero, atZero.expand(x.shape), out.div(safeX));
    return [g.mul(d)];
  },
};

/** amax / amin: the gradient is shared evenly among the elements equal to the extremum, as PyTorch. */
function extremumFormula(op: "max" | "min"): GradFormula<"max" | "min"> {
  return {
    name: op === "max" ? "AmaxBackward0" : "AminBackward0",
    save: () => ({ inputs: [0], outputs: [0] }),
    backward: (g, ctx: RCtx) => {
      const x = ctx.input(0);
      const mask = x.eq(ctx.output(0)).to(x.dtype);
      const count = mask.sum(ctx.attrs.dims, true);
      return [g.div(count).mul(mask)];
    },
  };
}

export const REDUCE_FORMULAS: { [K in ReduceOp]: GradFormula<K> } = {
  sum: sumFormula,
  prod: prodFormula,
  max: extremumFormula("max") as GradFormula<"max">,
  min: extremumFormula("min") as GradFormula<"min">,
};

/** [B, M, K] @ [B, K, N]: dA = dC @ Bᵀ, dB = Aᵀ @ dC. */
export const MATMUL_FORMULA: GradFormula<"matmul"> = {
  name: "BmmBackward0",
  save: (needs) => ({ inputs: [needs[1] ? 0 : -1, needs[0] ? 1 : -1].filter((i) => i >= 0) }),
  backward: (g, ctx) =>
    needed(
      ctx.needs,
      () => g.matmul(ctx.input(1).transpose(1, 2)),
      () => ctx.input(0).transpose(1, 2).matmul(g),
    ),
};

/** Inclusive cumsum: the reversed cumsum of the gradient. */
export const CUMSUM_FORMULA: GradFormula<"cumsum"> = {
  name: "CumsumBackward0",
  backward: (g, ctx) => {
    if (ctx.inputs[0].shape.length === 0) return [g];
    const d = ctx.attrs.dim;
    return [g.flip([d]).cumsum(d).flip([d])];
  },
};

/** sort: each value's gradient goes back to the position it came from. */
export const SORT_FORMULA: GradFormula<"sort"> = {
  name: "SortBackward0",
  save: () => ({ outputs: [1] }),
  backward: (g, ctx) => {
    const info = ctx.inputs[0];
    if (info.shape.length === 0) return [g];
    const z: Tensor = zeros(info.shape, { dtype: g.dtype, device: info.device });
    return [z.scatterAdd(ctx.attrs.dim, ctx.output(1), g)];
  },
};
