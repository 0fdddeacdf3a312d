// The composite behind each fused op (autograd's recompute path), kept apart from the routing in fused.ts so composites can import that without a cycle.

import type { FusedAttrs, FusedOp } from "../backend/ops.js";
import type { Tensor } from "../tensor.js";
import { withoutFused } from "./fused.js";
import { gelu, logSoftmax, softmax } from "./activations.js";
import { layerNorm, rmsNorm } from "./normalization.js";
import { crossEntropy } from "./losses.js";
import { scaledDotProductAttention } from "./layers.js";

/**
 * The composite each fused op replaces, over the fused op's inputs and attributes; autograd differentiates a fused op
 * through it when the backend has no fused backward. Output 0 is the differentiable one.
 */
export const FUSED_COMPOSITES: { [K in FusedOp]: (inputs: readonly Tensor[], attrs: FusedAttrs[K]) => Tensor[] } = {
  softmax: ([x]) => [withoutFused(() => softmax(x, -1))],
  logSoftmax: ([x]) => [withoutFused(() => logSoftmax(x, -1))],
  gelu: ([x], a) => [withoutFused(() => gelu(x, a.approximate))],
  layerNorm: (ins, a) => {
    const [x] = ins;
    const w = a.hasWeight ? ins[1] : null;
    const b = a.hasBias ? ins[a.hasWeight ? 2 : 1] : null;
    return [withoutFused(() => layerNorm(x, [x.shape[x.ndim - 1]], w, b, a.eps))];
  },
  rmsNorm: (ins, a) => [withoutFused(() => rmsNorm(ins[0], [ins[0].shape[ins[0].ndim - 1]], a.hasWeight ? ins[1] : null, a.eps))],
  sdpa: (ins, a) => {
    const [q, k, v, mask] = ins;
    return [withoutFused(() => scaledDotProductAttention(q, k, v, { scale: a.scale, isCausal: a.isCausal, attnMask: a.mask === "none" ? null : mask }))];
  },
  crossEntropy: ([x, t], a) => [
    withoutFused(() => crossEntropy(x, t, { ignoreIndex: a.ignoreIndex, reduction: a.reduction, labelSmoothing: a.labelSmoothing })),
  ],
  adamwStep: () => {
    throw new Error("adamwStep: an optimizer step has no composite form here and is not differentiable; run it under noGrad.");
  },
};
