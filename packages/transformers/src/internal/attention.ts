// Attention as HF's eager modules compute it, or through scaledDotProductAttention (a backend's fused kernel) when no map is asked.
import { dropout, matmul, scaledDotProductAttention, softmax, type Tensor } from "@tsorch/tensor";

/** How one attention call runs. */
export interface AttendOptions {
  /** Additive mask broadcastable to `[B, nh, T, S]` (0 or finfo.min), or null. */
  mask: Tensor | null;
  /** Attention-probability dropout (applied in training only). */
  dropoutP: number;
  training: boolean;
  /** Return the probabilities (HF's `output_attentions`): runs the eager path. */
  needWeights: boolean;
  /** Score scale; default 1/sqrt(head size). T5 passes 1 (no scaling). */
  scale?: number;
}

/**
 * softmax(q kᵀ · scale + mask) v for `q [B, nh, T, hs]`, `k, v [B, nh, S, hs]`; the eager path divides by
 * sqrt(hs) as HF does and also returns the probabilities `[B, nh, T, S]`.
 * @example const { out } = attend(q, k, v, { mask, dropoutP: 0.1, training: true, needWeights: false });
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, o: AttendOptions): { out: Tensor; weights?: Tensor } {
  const hs = q.shape[q.ndim - 1];
  const p = o.training ? o.dropoutP : 0;
  if (!o.needWeights) {
    const out = scaledDotProductAttention(q, k, v, { attnMask: o.mask, dropoutP: p, training: o.training, scale: o.scale ?? 1 / Math.sqrt(hs) });
    return { out };
  }
  let scores = matmul(q, k.transpose(-1, -2)); // [B, nh, T, S]
  scores = o.scale === undefined ? scores.div(Math.sqrt(hs)) : o.scale === 1 ? scores : scores.mul(o.scale);
  if (o.mask) scores = scores.add(o.mask);
  const weights = softmax(scores, -1); // [B, nh, T, S]
  const probs = p > 0 ? dropout(weights, p, true) : weights;
  return { out: matmul(probs, v), weights }; // [B, nh, T, hs]
}

/** `[B, T, nh·hs]` → `[B, nh, T, hs]`. */
export function splitHeads(x: Tensor, heads: number): Tensor {
  const [b, t, d] = x.shape;
  return x.view(b, t, heads, d / heads).transpose(1, 2); // [B, nh, T, hs]
}

/** `[B, nh, T, hs]` → `[B, T, nh·hs]`. */
export function mergeHeads(x: Tensor): Tensor {
  const [b, h, t, hs] = x.shape;
  return x.transpose(1, 2).contiguous().view(b, t, h * hs); // [B, T, nh·hs]
}
