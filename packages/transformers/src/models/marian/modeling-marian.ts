// Marian: BART's layers with sinusoidal positions and no embedding layer norm — HF transformers 4.37 models/marian.
import { fromTypedArray, type Tensor, arange } from "@tsorch/tensor";
import { Embedding } from "@tsorch/nn";
import { PretrainedConfig } from "../../configuration-utils.js";
import { BartConfig, BartLikeForConditionalGeneration, type BartConfigInit, type PositionSource } from "../bart/modeling-bart.js";

/**
 * Marian's configuration with HF's defaults (opus-mt's shapes: pad = decoder start = vocab - 1, eos 0).
 * @example const cfg = new MarianConfig({ vocabSize: 300, dModel: 32, padTokenId: 299, decoderStartTokenId: 299, scaleEmbedding: true });
 */
export class MarianConfig extends BartConfig {
  static override modelType = "marian";
  constructor(init: BartConfigInit = {}) {
    super(init, { vocabSize: 58101, padTokenId: 58100, decoderStartTokenId: 58100, eosTokenId: 0, forcedEosTokenId: 0, numLabels: 2 });
    // MarianConfig has no classifier head key; keep config.json as Python writes it.
    if (init.classifierDropout === undefined) delete (this as { classifierDropout?: number }).classifierDropout;
  }
}

/**
 * Marian's fixed sinusoidal table (`MarianSinusoidalPositionalEmbedding`): the first half of the features sin, the
 * second cos, computed in float64 and cast; not trained and not saved.
 */
export class MarianSinusoidalPositionalEmbedding extends Embedding implements PositionSource {
  constructor(numPositions: number, dim: number) {
    super(numPositions, dim);
    this.fillTable();
  }
  /** Writes the table (also after initialisation or loading, which would otherwise overwrite it). */
  fillTable(): void {
    const [n, dim] = [this.numEmbeddings, this.embeddingDim];
    const out = new Float32Array(n * dim);
    const sentinel = dim % 2 === 0 ? dim / 2 : Math.floor(dim / 2) + 1;
    for (let pos = 0; pos < n; pos++)
      for (let j = 0; j < dim; j++) {
        const angle = pos / Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
        if (j % 2 === 0) out[pos * dim + j / 2] = Math.sin(angle);
        else out[pos * dim + sentinel + (j - 1) / 2] = Math.cos(angle);
      }
    this.weight.detach().copy_(fromTypedArray(out, [n, dim]));
    this.weight.requiresGrad = false;
  }
  positions(b: number, t: number, past: number, device: string): Tensor {
    if (past + t > this.numEmbeddings) throw new RangeError(`Marian: ${past + t} positions exceed max_position_embeddings (${this.numEmbeddings}); shorten the input.`);
    return this.forward(arange(past, past + t, 1, { device }).view(1, t).expand([b, t])); // [B, T, D]
  }
}

/**
 * Marian's translation model (`MarianMTModel`).
 * @example const out = await model.generate({ inputIds, attentionMask }, { numBeams: 4, maxNewTokens: 64 });
 */
export class MarianMTModel extends BartLikeForConditionalGeneration<MarianConfig> {
  static override configClass: typeof PretrainedConfig = MarianConfig;
  constructor(config: MarianConfig) {
    super(config, () => new MarianSinusoidalPositionalEmbedding(config.maxPositionEmbeddings, config.dModel), false);
  }
  override keysNotSaved(): string[] {
    return ["model.encoder.embed_positions.weight", "model.decoder.embed_positions.weight"];
  }
}
