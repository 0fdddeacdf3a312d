// nn.functional: the functional form of every layer and loss (torch.nn.functional), camelCased; composites live in @tsorch/tensor.

import { bceLoss, bceWithLogits, dropout, embedding as tensorEmbedding, ones, scope, where, zeros, type Tensor } from "@tsorch/tensor";

// The composites live in @tsorch/tensor; nn.functional gathers them under PyTorch's F names.
export {
  causalMask,
  conv1d,
  dropout,
  elu,
  gelu,
  layerNorm,
  leakyRelu,
  linear,
  logSoftmax,
  mish,
  normalize,
  oneHot,
  pad,
  relu,
  rmsNorm,
  scaledDotProductAttention,
  silu,
  softmax,
  softplus,
  crossEntropy,
  nllLoss,
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  klDiv,
} from "@tsorch/tensor";
export type { ClassLossOptions, Conv1dOptions, Reduction, SdpaOptions } from "@tsorch/tensor";
export { multiHeadAttentionForward, type MultiHeadAttentionOptions, type MultiHeadAttentionWeights } from "./attention-functional.js";

/** Binary cross-entropy on probabilities, as `F.binary_cross_entropy`. @example binaryCrossEntropy(p, y) */
export const binaryCrossEntropy = bceLoss;
/** Binary cross-entropy on logits, as `F.binary_cross_entropy_with_logits`. @example binaryCrossEntropyWithLogits(z, y, { posWeight }) */
export const binaryCrossEntropyWithLogits = bceWithLogits;
export { bceLoss, bceWithLogits };

/** tanh, as `F.tanh`. @example tanh(x) */
export function tanh(x: Tensor): Tensor {
  return x.tanh();
}

/** The logistic sigmoid, as `F.sigmoid`. @example sigmoid(x) */
export function sigmoid(x: Tensor): Tensor {
  return x.sigmoid();
}

/**
 * y = x1ᵀ A x2 + b with x1 `[..., in1]`, x2 `[..., in2]`, A `[out, in1, in2]`, as `F.bilinear`.
 * @example bilinear(x1, x2, w, b) // [..., out]
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const [out, in1, in2] = weight.shape;
  if (weight.ndim !== 3 || x1.shape[x1.ndim - 1] !== in1 || x2.shape[x2.ndim - 1] !== in2)
    throw new RangeError(`bilinear: weight [out, in1, in2] = [${weight.shape.join(", ")}] does not fit inputs [${x1.shape.join(", ")}] and [${x2.shape.join(", ")}].`);
  return scope(() => {
    const lead = x1.shape.slice(0, -1);
    const a = x1.reshape(-1, in1); // [N, in1]
    const b = x2.reshape(-1, in2); // [N, in2]
    const w = weight.permute(1, 0, 2).reshape(in1, out * in2); // [in1, out*in2]
    const t = a.matmul(w).view(-1, out, in2); // [N, out, in2]
    let y = t.mul(b.unsqueeze(1)).sum(-1); // [N, out]
    if (bias) y = y.add(bias);
    return y.view(...lead, out);
  });
}

/** Options of `embedding`, as `F.embedding`. */
export interface EmbeddingOptions {
  paddingIdx?: number | null;
  /** Rows used by `input` whose `normType`-norm exceeds this are rescaled in place to it first. */
  maxNorm?: number | null;
  normType?: number;
}

/**
 * Rows of `weight` at the ids of `input`, as `F.embedding` (padding rows get no gradient; `maxNorm` renormalises the
 * rows looked up, in place, as PyTorch).
 * @example embedding(ids, wte, { paddingIdx: 0 }) // [B, T, D]
 */
export function embedding(input: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  if (opts.maxNorm !== undefined && opts.maxNorm !== null) embeddingRenorm_(weight, input, opts.maxNorm, opts.normType ?? 2);
  return tensorEmbedding(input, weight, opts.paddingIdx);
}

/**
 * Rescales, in place and outside autograd, the rows of `weight` that `ids` uses whose norm exceeds `maxNorm`, as
 * `torch.embedding_renorm_`.
 * @example embeddingRenorm_(wte, ids, 1.0, 2)
 */
export function embeddingRenorm_(weight: Tensor, ids: Tensor, maxNorm: number, normType = 2): void {
  scope(() => {
    const w = weight.detach();
    const flat = ids.reshape(-1);
    const used = zeros([weight.shape[0]], { device: weight.device }).indexAdd(0, flat, ones([flat.numel()], { device: weight.device })).gt(0);
    const norms = w.norm(normType, 1, true); // [V, 1]
    const over = norms.gt(maxNorm).logicalAnd(used.unsqueeze(1));
    const scale = where(over, norms.add(1e-7).reciprocal().mul(maxNorm), 1);
    w.mul_(scale);
  });
}

/**
 * Dropout that is a no-op outside training, returning `x` itself (no copy) when inactive.
 * @example dropoutIfTraining(x, 0.1, this.training)
 */
export function dropoutIfTraining(x: Tensor, p: number, training: boolean): Tensor {
  if (p < 0 || p > 1) throw new RangeError(`dropout: probability has to be between 0 and 1, but got ${p}.`);
  return training && p > 0 ? dropout(x, p, true) : x;
}
