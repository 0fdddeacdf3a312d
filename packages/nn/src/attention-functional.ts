// The multi-head attention forward pass of nn.MultiheadAttention (F.multi_head_attention_forward), with PyTorch's mask rules.

import { dropout, full, linear, scaledDotProductAttention, scope, softmax, zeros, type Tensor } from "@tsorch/tensor";

/** Weights of a multi-head attention (PyTorch's packed in-projection). */
export interface MultiHeadAttentionWeights {
  /** `[3E, E]`: the q, k, v projections stacked. */
  inProjWeight: Tensor;
  inProjBias?: Tensor | null;
  outProjWeight: Tensor;
  outProjBias?: Tensor | null;
}

/** Options of `multiHeadAttentionForward`, as PyTorch's arguments. */
export interface MultiHeadAttentionOptions {
  /** `[N, S]`: true (or -inf) where a key is padding and must be ignored. */
  keyPaddingMask?: Tensor | null;
  /** `[L, S]` or `[N·H, L, S]`: true where attending is NOT allowed (bool), or an additive float mask. */
  attnMask?: Tensor | null;
  /** Adds a causal mask (a hint in PyTorch; here it builds the mask when `attnMask` is absent). */
  isCausal?: boolean;
  /** Return the attention weights (default true, as PyTorch). */
  needWeights?: boolean;
  /** Average the returned weights over heads (default true). */
  averageAttnWeights?: boolean;
  dropoutP?: number;
  training?: boolean;
}

/** Turns a bool "not allowed" mask into an additive float mask; float masks pass through. */
function additive(m: Tensor, dtype: Tensor["dtype"]): Tensor {
  if (m.dtype !== "bool") return m.to(dtype);
  return zeros(m.shape, { dtype, device: m.device }).maskedFill(m, -Infinity);
}

/**
 * Multi-head attention over batch-first inputs q `[N, L, E]`, k `[N, S, E]`, v `[N, S, E]`: returns the output
 * `[N, L, E]` and the attention weights (`[N, L, S]` averaged, or `[N, H, L, S]`), or null when not needed.
 * @example const [out, w] = multiHeadAttentionForward(x, x, x, 4, weights, { isCausal: true });
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  numHeads: number,
  weights: MultiHeadAttentionWeights,
  opts: MultiHeadAttentionOptions = {},
): [Tensor, Tensor | null] {
  const [n, l, e] = query.shape;
  const s = key.shape[1];
  if (query.ndim !== 3 || key.ndim !== 3 || value.ndim !== 3)
    throw new RangeError(`multiHeadAttentionForward: expected 3-D batched inputs [N, L, E], got query [${query.shape.join(", ")}], key [${key.shape.join(", ")}].`);
  if (e % numHeads !== 0) throw new RangeError(`multiHeadAttentionForward: embed_dim ${e} must be divisible by num_heads ${numHeads}.`);
  const hd = e / numHeads;
  return scope(() => {
    const w = weights.inProjWeight;
    const b = weights.inProjBias ?? null;
    const part = (t: Tensor | null, i: number) => (t ? t.narrow(0, i * e, e) : null);
    const heads = (x: Tensor, len: number) => x.view(n, len, numHeads, hd).transpose(1, 2); // [N, H, len, hd]
    const q = heads(linear(query, part(w, 0)!, part(b, 0)), l);
    const k = heads(linear(key, part(w, 1)!, part(b, 1)), s);
    const v = heads(linear(value, part(w, 2)!, part(b, 2)), s);
    // One additive mask [N, H|1, L, S] from the attention mask, the padding mask and causality.
    let mask: Tensor | null = null;
    const addMask = (m: Tensor) => (mask = mask ? mask.add(m) : m);
    if (opts.attnMask) {
      const am = additive(opts.attnMask, q.dtype);
      addMask(am.ndim === 2 ? am.view(1, 1, l, s) : am.view(n, numHeads, l, s));
    } else if (opts.isCausal) {
      addMask(full([l, s], -Infinity, { dtype: q.dtype, device: q.device }).triu(1).view(1, 1, l, s));
    }
    if (opts.keyPaddingMask) addMask(additive(opts.keyPaddingMask, q.dtype).view(n, 1, 1, s));
    const p = opts.training === false ? 0 : (opts.dropoutP ?? 0);
    let out: Tensor;
    let attnWeights: Tensor | null = null;
    if (opts.needWeights ?? true) {
      let scores = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(hd)); // [N, H, L, S]
      if (mask) scores = scores.add(mask);
      let attn = softmax(scores, -1);
      attnWeights = attn;
      if (p > 0) attn = dropout(attn, p, true);
      out = attn.matmul(v);
      if (opts.averageAttnWeights ?? true) attnWeights = attnWeights.mean(1); // [N, L, S]
    } else {
      out = scaledDotProductAttention(q, k, v, { attnMask: mask, dropoutP: p, training: p > 0 });
    }
    const merged = out.transpose(1, 2).reshape(n, l, e); // [N, L, E]
    return [linear(merged, weights.outProjWeight, weights.outProjBias ?? null), attnWeights] as [Tensor, Tensor | null];
  });
}
