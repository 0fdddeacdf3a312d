// Multi-head attention, as torch.nn.MultiheadAttention (packed in_proj_weight, out_proj; PyTorch's state-dict keys).

import { empty, type Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";
import { Linear, type FactoryOptions } from "./linear.js";
import { constant_, xavierUniform_ } from "./init.js";
import { multiHeadAttentionForward } from "./attention-functional.js";

/** Options of `MultiheadAttention`, as PyTorch's. */
export interface MultiheadAttentionOptions extends FactoryOptions {
  dropout?: number;
  bias?: boolean;
  /** Inputs are `[N, L, E]` (true) or `[L, N, E]` (false, the default, as PyTorch). */
  batchFirst?: boolean;
}

/** Per-call options of `MultiheadAttention.forward`. */
export interface MultiheadAttentionCall {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
  isCausal?: boolean;
}

/**
 * Multi-head attention, as `nn.MultiheadAttention`: returns `[output, weights | null]`.
 * @example
 * const mha = new MultiheadAttention(64, 4, { batchFirst: true });
 * const [y] = mha.forward(x, x, x, { isCausal: true, needWeights: false });
 */
export class MultiheadAttention extends Module {
  inProjWeight: Tensor;
  inProjBias: Tensor | null;
  readonly outProj: Linear;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    opts: MultiheadAttentionOptions = {},
  ) {
    super();
    if (embedDim % numHeads !== 0) throw new RangeError(`MultiheadAttention: embed_dim (${embedDim}) must be divisible by num_heads (${numHeads}).`);
    this.headDim = embedDim / numHeads;
    this.dropout = opts.dropout ?? 0;
    this.batchFirst = opts.batchFirst ?? false;
    const f = { device: opts.device, dtype: opts.dtype };
    const bias = opts.bias ?? true;
    this.inProjWeight = this.registerParameter("in_proj_weight", empty([3 * embedDim, embedDim], f));
    this.inProjBias = this.registerParameter("in_proj_bias", bias ? empty([3 * embedDim], f) : null);
    this.outProj = this.registerModule("out_proj", new Linear(embedDim, embedDim, { ...f, bias }));
    xavierUniform_(this.inProjWeight);
    if (this.inProjBias) constant_(this.inProjBias, 0);
    if (this.outProj.bias) constant_(this.outProj.bias, 0);
  }

  forward(query: Tensor, key: Tensor, value: Tensor, call: MultiheadAttentionCall = {}): [Tensor, Tensor | null] {
    const unbatched = query.ndim === 2;
    const prep = (t: Tensor) => (unbatched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1));
    const q = prep(query);
    const k = prep(key);
    const v = prep(value);
    try {
      const [out, w] = multiHeadAttentionForward(
        q,
        k,
        v,
        this.numHeads,
        { inProjWeight: this.inProjWeight, inProjBias: this.inProjBias, outProjWeight: this.outProj.weight, outProjBias: this.outProj.bias },
        {
          keyPaddingMask: call.keyPaddingMask && unbatched ? call.keyPaddingMask.unsqueeze(0) : call.keyPaddingMask,
          attnMask: call.attnMask,
          isCausal: call.isCausal,
          needWeights: call.needWeights,
          averageAttnWeights: call.averageAttnWeights,
          dropoutP: this.dropout,
          training: this.training,
        },
      );
      const post = (t: Tensor) => {
        const r = unbatched ? t.squeeze(0) : this.batchFirst ? t : t.transpose(0, 1);
        if (r !== t) t.dispose();
        return r;
      };
      return [post(out), w && unbatched ? post(w) : w];
    } finally {
      for (const [t, src] of [[q, query], [k, key], [v, value]] as const) if (t !== src) t.dispose();
    }
  }

  override extraRepr(): string {
    return "";
  }

  protected override namedChildrenForRepr(): [string, string][] {
    return [["out_proj", `NonDynamicallyQuantizableLinear(${this.outProj.extraRepr()})`]];
  }
}
