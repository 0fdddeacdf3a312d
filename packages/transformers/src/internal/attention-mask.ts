// HF's attention-mask arithmetic (modeling_attn_mask_utils.py): masks become additive float32 tensors of 0 and finfo.min.
import { arange, full, scope, type Tensor } from "@tsorch/tensor";

/** `torch.finfo(torch.float32).min`: HF adds it, not -inf, so fully masked rows stay finite (they become uniform). */
export const FLOAT32_MIN = -3.4028234663852886e38;

/**
 * An encoder's padding mask `[B, S]` (1 = attend) as the additive `[B, 1, 1, S]` mask of
 * `get_extended_attention_mask`: `(1 - mask) * finfo.min`.
 */
export function expandPaddingMask(mask: Tensor): Tensor {
  return scope(() => mask.view(mask.shape[0], 1, 1, mask.shape[1]).to("float32").neg().add(1).mul(FLOAT32_MIN)); // [B, 1, 1, S]
}

/**
 * The decoder mask of `_prepare_4d_causal_attention_mask`: finfo.min above the causal diagonal (offset by the
 * `pastLength` cached positions) and on padded keys, 0 elsewhere, `[B, 1, T, pastLength + T]`.
 */
export function causalAttentionMask(batch: number, t: number, pastLength: number, mask: Tensor | null, device: string): Tensor {
  return scope(() => {
    const s = pastLength + t;
    const rows = arange(pastLength, s, 1, { device }).view(t, 1); // [T, 1]
    const cols = arange(0, s, 1, { device }).view(1, s); // [1, S]
    let blocked = cols.gt(rows).view(1, 1, t, s).expand([batch, 1, t, s]); // [B, 1, T, S]
    if (mask) {
      if (mask.ndim !== 2 || mask.shape[0] !== batch || mask.shape[1] !== s)
        throw new RangeError(`attention mask of shape [${mask.shape.join(", ")}] does not fit a batch of ${batch} with ${s} key positions (past ${pastLength} + ${t} new): pass [${batch}, ${s}].`);
      blocked = blocked.logicalOr(mask.eq(0).view(batch, 1, 1, s)); // [B, 1, T, S]
    }
    return full([batch, 1, t, s], 0, { device, dtype: "float32" }).maskedFill(blocked, FLOAT32_MIN);
  });
}
