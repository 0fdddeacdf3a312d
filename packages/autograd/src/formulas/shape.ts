// Gradient formulas of view ops (view, permute, expand, slice, flip, asStrided) and core ops (cat, embed, transfer, assign).

import { zeros } from "@tsorch/tensor";
import { dispatch } from "@tsorch/tensor/dispatch";
import type { Tensor } from "@tsorch/tensor";
import type { OpCall } from "@tsorch/tensor/dispatch";
import { contiguousStrides, fmtShape } from "@tsorch/tensor/backend";
import type { GradFormula, TensorInfo } from "../internal/formula.js";

/** A view that only drops size-1 dims of a reduction's output is the reduction's (keepdim=False), named as it. */
function viewName(call: OpCall<"view">): string {
  const x = call.inputs[0];
  const from = x.gradFn?.name ?? "";
  const drops = call.attrs.shape.length < x.ndim && x.shape.filter((s) => s !== 1).join() === call.attrs.shape.filter((s) => s !== 1).join();
  return drops && /^(Sum|Prod|Amax|Amin)Backward/.test(from) ? from : "ViewBackward0";
}

export const VIEW_FORMULA: GradFormula<"view"> = {
  name: viewName,
  backward: (g, ctx) => [g.reshape(ctx.inputs[0].shape)],
};

export const PERMUTE_FORMULA: GradFormula<"permute"> = {
  name: (call) => (call.inputs[0].ndim === 2 && call.attrs.dims[0] === 1 ? "TransposeBackward0" : "PermuteBackward0"),
  backward: (g, ctx) => {
    const inv: number[] = [];
    ctx.attrs.dims.forEach((d, i) => (inv[d] = i));
    return [g.permute(inv)];
  },
};

/** expand: sum over the new leading dims and the dims broadcast from size 1. */
export const EXPAND_FORMULA: GradFormula<"expand"> = {
  name: "ExpandBackward0",
  backward: (g, ctx) => {
    const inShape = ctx.inputs[0].shape;
    const k = g.ndim - inShape.length;
    const dims: number[] = [];
    for (let i = 0; i < g.ndim; i++) if (i < k || (inShape[i - k] === 1 && g.shape[i] !== 1)) dims.push(i);
    if (dims.length === 0) return [g];
    const s = g.sum(dims, true);
    return [k === 0 ? s : s.reshape(inShape)];
  },
};

/** The region a slice occupies inside its (contiguous) input: the gradient is written there into zeros. */
export const SLICE_FORMULA: GradFormula<"slice"> = {
  name: "SliceBackward0",
  backward: (g, ctx) => {
    const { dim, start, step } = ctx.attrs;
    const shape = ctx.inputs[0].shape;
    const strides = contiguousStrides(shape);
    const offset = g.shape[dim] > 0 ? start * strides[dim] : 0;
    strides[dim] *= step;
    return [dispatch({ op: "embed", inputs: [g], attrs: { shape, strides, offset, value: 0 } })[0]];
  },
};

export const FLIP_FORMULA: GradFormula<"flip"> = {
  name: "FlipBackward0",
  backward: (g, ctx) => [dispatch({ op: "flip", inputs: [g], attrs: { dims: ctx.attrs.dims } })[0]],
};

function isContiguousInfo(info: TensorInfo): boolean {
  const c = contiguousStrides(info.shape);
  return info.shape.every((s, i) => s === 1 || c[i] === info.strides[i]);
}

/** asStrided over a contiguous input: the gradient is embedded back at the same strides and offset. */
export const AS_STRIDED_FORMULA: GradFormula<"asStrided"> = {
  name: "AsStridedBackward0",
  backward: (g, ctx) => {
    const info = ctx.inputs[0];
    if (!isContiguousInfo(info))
      throw new Error(
        `AsStridedBackward0: the backward of asStrided needs a contiguous input, but it was ${fmtShape(info.shape)} with strides ${fmtShape(info.strides)}. ` +
          "Call .contiguous() before asStrided when gradients must flow through it.",
      );
    const { strides, offset } = ctx.attrs;
    return [dispatch({ op: "embed", inputs: [g], attrs: { shape: info.shape, strides, offset, value: 0 } })[0]];
  },
};

/** embed (padding): the gradient of the embedded input is the region it was written to. */
export const EMBED_FORMULA: GradFormula<"embed"> = {
  name: "ConstantPadNdBackward0",
  backward: (g, ctx) => {
    const { strides, offset } = ctx.attrs;
    const c = g.contiguous();
    return [dispatch({ op: "asStrided", inputs: [c], attrs: { shape: ctx.inputs[0].shape, strides, offset } })[0]];
  },
};

/** cat: each input gets its slice of the gradient. */
export const CAT_FORMULA: GradFormula<"cat"> = {
  name: "CatBackward0",
  backward: (g, ctx) => {
    const d = ctx.attrs.dim;
    let at = 0;
    return ctx.inputs.map((info, i) => {
      const n = info.shape[d];
      const part = ctx.needs[i] ? g.narrow(d, at, n) : null;
      at += n;
      return part;
    });
  },
};

/** A device move: the gradient moves back. */
export const TRANSFER_FORMULA: GradFormula<"transfer"> = {
  name: "ToCopyBackward0",
  backward: (g, ctx) => [g.to({ device: ctx.inputs[0].device })],
};

/** copy_ (assign) over a whole tensor: the old values get no gradient; the source gets it, cast to its dtype. */
export const ASSIGN_FORMULA: GradFormula<"assign"> = {
  name: "CopyBackwards",
  backward: (g, ctx) => {
    const src = ctx.inputs[1];
    return [ctx.needs[0] ? zeros(ctx.inputs[0].shape, { dtype: g.dtype, device: g.device }) : null, ctx.needs[1] ? g.to(src.dtype) : null];
  },
};

/** Used by CopySlices: `g` with the region of a view set to zero (the view was overwritten). */
export function zeroRegion(g: Tensor, region: { shape: readonly number[]; strides: readonly number[]; offset: number }): Tensor {
  const ones = zeros(region.shape, { dtype: g.dtype, device: g.device }).add(1);
  const mask = dispatch({ op: "embed", inputs: [ones], attrs: { shape: g.shape, strides: region.strides, offset: region.offset, value: 0 } })[0];
  return g.mul(mask.neg().add(1));
}
