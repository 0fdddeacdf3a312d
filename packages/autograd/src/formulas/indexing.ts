// Gradient formulas of the index primitives: gather, scatter, scatterAdd, indexSelect, indexAdd.

import { zeros } from "@tsorch/tensor";
import { dispatch } from "@tsorch/tensor/dispatch";
import type { Tensor } from "@tsorch/tensor";
import { contiguousStrides } from "@tsorch/tensor/backend";
import type { GradFormula, TensorInfo } from "../internal/formula.js";

/** A gradient of `index`'s shape placed into zeros of the source's (possibly larger) shape. */
function fitTo(g: Tensor, info: TensorInfo): Tensor {
  if (g.shape.length === info.shape.length && g.shape.every((s, i) => s === info.shape[i])) return g;
  return dispatch({ op: "embed", inputs: [g], attrs: { shape: info.shape, strides: contiguousStrides(info.shape), offset: 0, value: 0 } })[0];
}

function zerosLikeInfo(info: TensorInfo, g: Tensor): Tensor {
  return zeros(info.shape, { dtype: g.dtype, device: info.device });
}

export const GATHER_FORMULA: GradFormula<"gather"> = {
  name: "GatherBackward0",
  save: () => ({ inputs: [1] }),
  backward: (g, ctx) => [zerosLikeInfo(ctx.inputs[0], g).scatterAdd(ctx.attrs.dim, ctx.input(1), g), null],
};

export const SCATTER_FORMULA: GradFormula<"scatter"> = {
  name: "ScatterBackward0",
  save: () => ({ inputs: [1] }),
  backward: (g, ctx) => {
    const idx = ctx.input(1);
    return [
      ctx.needs[0] ? g.scatter(ctx.attrs.dim, idx, 0) : null,
      null,
      ctx.needs[2] ? fitTo(g.gather(ctx.attrs.dim, idx), ctx.inputs[2]) : null,
    ];
  },
};

export const SCATTER_ADD_FORMULA: GradFormula<"scatterAdd"> = {
  name: "ScatterAddBackward0",
  save: (needs) => (needs[2] ? { inputs: [1] } : {}),
  backward: (g, ctx) => [g, null, ctx.needs[2] ? fitTo(g.gather(ctx.attrs.dim, ctx.input(1)), ctx.inputs[2]) : null],
};

export const INDEX_SELECT_FORMULA: GradFormula<"indexSelect"> = {
  name: "IndexSelectBackward0",
  save: () => ({ inputs: [1] }),
  backward: (g, ctx) => {
    const info = ctx.inputs[0];
    if (info.shape.length === 0) return [g.reshape([]), null];
    return [zerosLikeInfo(info, g).indexAdd(ctx.attrs.dim, ctx.input(1), g), null];
  },
};

export const INDEX_ADD_FORMULA: GradFormula<"indexAdd"> = {
  name: "IndexAddBackward0",
  save: (needs) => (needs[2] ? { inputs: [1] } : {}),
  backward: (g, ctx) => [g, null, ctx.needs[2] ? g.indexSelect(ctx.attrs.dim, ctx.input(1)).reshape(ctx.inputs[2].shape) : null],
};
