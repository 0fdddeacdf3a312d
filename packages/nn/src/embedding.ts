// Embedding: a lookup table of vectors with padding index and max norm, as torch.nn.Embedding.

import { empty, type Tensor } from "@tsorch/tensor";
import { Module } from "./module.js";
import { normal_ } from "./init.js";
import { embedding } from "./functional.js";
import type { FactoryOptions } from "./linear.js";

/** Options of `Embedding`, as PyTorch's. */
export interface EmbeddingModuleOptions extends FactoryOptions {
  paddingIdx?: number | null;
  maxNorm?: number | null;
  normType?: number;
  /** Use this weight `[num, dim]` instead of a fresh N(0, 1) one (as `Embedding.from_pretrained`, but trainable). */
  weight?: Tensor;
}

/**
 * Maps ids to vectors, as `nn.Embedding`: weight `[numEmbeddings, embeddingDim]` ~ N(0, 1), the padding row zeroed
 * and left without gradient.
 * @example const wte = new Embedding(50257, 768); wte.forward(ids) // [B, T, 768]
 */
export class Embedding extends Module {
  weight: Tensor;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    opts: EmbeddingModuleOptions = {},
  ) {
    super();
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (pad >= numEmbeddings || pad < -numEmbeddings)
        throw new RangeError(`Embedding: paddingIdx ${pad} must be within num_embeddings (${numEmbeddings}).`);
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.maxNorm = opts.maxNorm ?? null;
    this.normType = opts.normType ?? 2;
    if (opts.weight) {
      if (opts.weight.ndim !== 2 || opts.weight.shape[0] !== numEmbeddings || opts.weight.shape[1] !== embeddingDim)
        throw new RangeError(`Embedding: weight of shape [${opts.weight.shape.join(", ")}] does not match [${numEmbeddings}, ${embeddingDim}].`);
      this.weight = this.registerParameter("weight", opts.weight);
    } else {
      this.weight = this.registerParameter("weight", empty([numEmbeddings, embeddingDim], { device: opts.device, dtype: opts.dtype }));
      this.resetParameters();
    }
  }

  /** N(0, 1), padding row zero, as PyTorch. @example emb.resetParameters() */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.weight.detach().select(0, this.paddingIdx);
      row.zero_();
      row.dispose();
    }
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType });
  }

  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${this.maxNorm}`;
    if (this.normType !== 2) s += `, norm_type=${this.normType}`;
    return s;
  }
}
