// Layer composites (torch.nn.functional): embedding, one-hot, conv1d via an index-select im2col, scaled-dot-product attention.

import { fmtShape } from "../backend/layout.js";
import type { Tensor } from "../tensor.js";
import { scope } from "../memory.js";
import { arange, full, fromTypedArray } from "./creation.js";
import { where } from "./elementwise.js";
import { indexSelect } from "./indexing.js";
import { dropout, softmax } from "./activations.js";
import { matmul } from "./linalg.js";
import { amax } from "./reduce.js";
import { pad } from "./shape.js";
import type { Generator } from "./random.js";
import { fusable, hasFused, runFused } from "./fused.js";

/**
 * Rows of `weight` at the ids in `input`; rows at `paddingIdx` get no gradient, as `F.embedding`.
 * @example embedding(ids, wte) // [B, T] -> [B, T, D]
 */
export function embedding(input: Tensor, weight: Tensor, paddingIdx?: number | null): Tensor {
  if (input.dtype !== "int64" && input.dtype !== "int32")
    throw new TypeError(`embedding: expected int64 (or int32) ids, got ${input.dtype}. Convert them with .long().`);
  if (weight.ndim !== 2) throw new RangeError(`embedding: weight must be 2-D [num_embeddings, dim], got ${fmtShape(weight.shape)}.`);
  return scope(() => {
    const flat = input.reshape(-1);
    const rows = indexSelect(weight, 0, flat); // [N, D]
    let out = rows;
    if (paddingIdx !== undefined && paddingIdx !== null) {
      const p = paddingIdx < 0 ? paddingIdx + weight.shape[0] : paddingIdx;
      // Same values; the gradient only flows where the id is not the padding id.
      const isPad = flat.eq(p).unsqueeze(1);
      out = where(isPad, rows.detach(), rows);
    }
    return out.view(...input.shape, weight.shape[1]); // [..., D]
  });
}

/**
 * One-hot int64 encoding with `numClasses` (inferred as max + 1 from the values when -1, which needs a CPU read).
 * @example oneHot(labels, 4)
 */
export function oneHot(input: Tensor, numClasses = -1): Tensor {
  if (input.dtype !== "int64" && input.dtype !== "int32") throw new TypeError(`oneHot: expected an int64 tensor of class indices, got ${input.dtype}.`);
  return scope(() => {
    let c = numClasses;
    if (c < 0) {
      if (input.numel() === 0) throw new RangeError("oneHot: can not infer total number of classes from an empty tensor.");
      if (!input.storage.backend.readSync)
        throw new Error(
          `oneHot: numClasses = -1 infers the number of classes from the values, which needs a synchronous read that device "${input.device}" cannot do. ` +
            `Pass numClasses explicitly, e.g. oneHot(labels, Number(await labels.amax().item()) + 1).`,
        );
      c = Number(amax(input).itemSync()) + 1;
    }
    const classes = arange(0, c, 1, { device: input.device });
    return input.unsqueeze(-1).eq(classes).to("int64");
  });
}

/** Options of conv1d, as `F.conv1d` (padding may be a number or "same" / "valid"). */
export interface Conv1dOptions {
  stride?: number;
  padding?: number | "same" | "valid";
  dilation?: number;
  groups?: number;
}

/**
 * 1-D convolution (cross-correlation) of [N, Cin, L] (or [Cin, L]) with weight [Cout, Cin/groups, K], as `F.conv1d`.
 * Windows are gathered with one index-select (so the backward accumulates through index-add) and multiplied per group.
 * @example conv1d(x, w, b, { stride: 2, padding: 2, dilation: 2, groups: 2 })
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts: Conv1dOptions = {}): Tensor {
  const stride = opts.stride ?? 1;
  const dilation = opts.dilation ?? 1;
  const groups = opts.groups ?? 1;
  const batched = input.ndim === 3;
  if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`conv1d: expected 2-D or 3-D input, got ${fmtShape(input.shape)}.`);
  if (weight.ndim !== 3) throw new RangeError(`conv1d: weight must be 3-D [out_channels, in_channels/groups, kernel], got ${fmtShape(weight.shape)}.`);
  const [cout, cinG, k] = weight.shape;
  const cin = batched ? input.shape[1] : input.shape[0];
  if (cin !== cinG * groups || cout % groups !== 0)
    throw new RangeError(
      `conv1d: expected input ${fmtShape(input.shape)} to have ${cinG * groups} channels (weight ${fmtShape(weight.shape)}, groups ${groups}), and out_channels divisible by groups.`,
    );
  if (stride < 1 || dilation < 1) throw new RangeError(`conv1d: stride and dilation must be positive, got ${stride} and ${dilation}.`);
  const p = opts.padding ?? 0;
  let padL: number;
  let padR: number;
  if (p === "valid") padL = padR = 0;
  else if (p === "same") {
    if (stride !== 1) throw new RangeError("conv1d: padding='same' is not supported for strided convolutions.");
    const total = dilation * (k - 1);
    padL = Math.floor(total / 2);
    padR = total - padL;
  } else padL = padR = p;
  return scope(() => {
    const x = batched ? input : input.unsqueeze(0); // [N, Cin, L]
    const xp = padL || padR ? pad(x, [padL, padR]) : x; // [N, Cin, Lp]
    const lp = xp.shape[2];
    const lout = Math.floor((lp - dilation * (k - 1) - 1) / stride) + 1;
    if (lout <= 0) throw new RangeError(`conv1d: the kernel (${k}, dilation ${dilation}) is larger than the padded input length ${lp}.`);
    const idx = new BigInt64Array(lout * k);
    for (let o = 0; o < lout; o++) for (let j = 0; j < k; j++) idx[o * k + j] = BigInt(o * stride + j * dilation);
    const index = fromTypedArray(idx, [lout * k], { dtype: "int64", device: input.device });
    const n = x.shape[0];
    const cols = indexSelect(xp, 2, index) // [N, Cin, Lout*K]
      .view(n, groups, cinG, lout, k) // [N, G, Cin/G, Lout, K]
      .permute(0, 1, 3, 2, 4) // [N, G, Lout, Cin/G, K]
      .reshape(n, groups, lout, cinG * k); // [N, G, Lout, Cin/G*K]
    const w = weight.view(groups, cout / groups, cinG * k).transpose(1, 2); // [G, Cin/G*K, Cout/G]
    let y = matmul(cols, w) // [N, G, Lout, Cout/G]
      .permute(0, 1, 3, 2) // [N, G, Cout/G, Lout]
      .reshape(n, cout, lout); // [N, Cout, Lout]
    if (bias) y = y.add(bias.view(1, cout, 1));
    return batched ? y : y.squeeze(0);
  });
}

/** Options of scaled-dot-product attention, as `F.scaled_dot_product_attention`. */
export interface SdpaOptions {
  /** Bool mask (true = attend) or additive float mask, broadcastable to [..., Lq, Lk]. */
  attnMask?: Tensor | null;
  dropoutP?: number;
  isCausal?: boolean;
  /** Defaults to 1/sqrt(head dim). */
  scale?: number;
  /** Dropout only applies in training; defaults to true when dropoutP > 0, as PyTorch. */
  training?: boolean;
  generator?: Generator;
}

/**
 * softmax(q kᵀ · scale + mask) v over [..., L, E] tensors, as `F.scaled_dot_product_attention`.
 * @example scaledDotProductAttention(q, k, v, { isCausal: true }) // [B, nh, T, hs]
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: SdpaOptions = {}): Tensor {
  if (q.ndim < 2 || k.ndim < 2 || v.ndim < 2) throw new RangeError("scaledDotProductAttention: q, k and v need at least 2 dims [..., L, E].");
  const e = q.shape[q.ndim - 1];
  if (k.shape[k.ndim - 1] !== e)
    throw new RangeError(`scaledDotProductAttention: q ${fmtShape(q.shape)} and k ${fmtShape(k.shape)} must share the last (embedding) dim.`);
  if (opts.isCausal && opts.attnMask) throw new RangeError("scaledDotProductAttention: pass either attnMask or isCausal, not both (as PyTorch).");
  const scale = opts.scale ?? 1 / Math.sqrt(e);
  const dropping = (opts.dropoutP ?? 0) > 0 && (opts.training ?? true);
  const m = opts.attnMask ?? null;
  // The fused op takes q [B, H, L, E], k, v [B, H, S, *] and a mask broadcastable to [B, H, L, S] as they are; batch
  // and head broadcasts of q, k, v (and masks the composite would refuse or broadcast further) take the composite.
  const sameBatch = q.ndim === 4 && k.ndim === 4 && v.ndim === 4 && [0, 1].every((d) => k.shape[d] === q.shape[d] && v.shape[d] === q.shape[d]) && k.shape[2] === v.shape[2];
  const scores = [q.shape[0], q.shape[1], q.shape[2], k.shape[2]];
  const maskFits = !m || (m.ndim <= 4 && m.shape.every((s, i) => s === 1 || s === scores[4 - m.ndim + i]));
  if (!dropping && sameBatch && maskFits && fusable(q, k, v) && (!m || m.dtype === "bool" || fusable(q, m)) && hasFused("sdpa", q.device, q.dtype))
    return runFused("sdpa", m ? [q, k, v, m] : [q, k, v], { scale, isCausal: !!opts.isCausal, mask: !m ? "none" : m.dtype === "bool" ? "bool" : "additive" })[0];
  return scope(() => {
    const lq = q.shape[q.ndim - 2];
    const lk = k.shape[k.ndim - 2];
    let scores = matmul(q, k.transpose(-2, -1)).mul(scale); // [..., Lq, Lk]
    if (opts.isCausal) {
      const rows = arange(0, lq, 1, { device: q.device }).view(lq, 1);
      const cols = arange(0, lk, 1, { device: q.device }).view(1, lk);
      scores = scores.maskedFill(cols.gt(rows), -Infinity);
    }
    if (opts.attnMask) {
      const m = opts.attnMask;
      scores = m.dtype === "bool" ? scores.maskedFill(m.logicalNot(), -Infinity) : scores.add(m);
    }
    let attn = softmax(scores, -1);
    const p = opts.dropoutP ?? 0;
    if (p > 0 && (opts.training ?? true)) attn = dropout(attn, p, true, { generator: opts.generator });
    return matmul(attn, v); // [..., Lq, Ev]
  });
}

/** A causal additive mask: 0 on and below the diagonal, -inf above, as `torch.full((T, T), -inf).triu(1)`. @example causalMask(5) */
export function causalMask(t: number, opts?: { device?: string }): Tensor {
  return scope(() => full([t, t], -Infinity, { device: opts?.device, dtype: "float32" }).triu(1));
}
