// BART: config, post-norm encoder-decoder with learned positions and key/value cache, heads — HF transformers 4.37 models/bart.
// Marian (models/marian) reuses these layers with sinusoidal positions and no embedding layer norm.
import { arange, cat, crossEntropy, dropout, zeros, type Tensor } from "@tsorch/tensor";
import { Dropout, Embedding, LayerNorm, Linear, Module, ModuleList, init } from "@tsorch/nn";
import { PretrainedConfig, type PretrainedConfigInit } from "../../configuration-utils.js";
import { PreTrainedModel } from "../../modeling-utils.js";
import { getActivation } from "../../activations.js";
import { attend, mergeHeads, splitHeads } from "../../internal/attention.js";
import { causalAttentionMask, expandPaddingMask } from "../../internal/attention-mask.js";
import { initStandardWeights } from "../../internal/init-weights.js";
import { runLayerStack } from "../../internal/layer-stack.js";
import { checkInputIds, checkLabels, sequenceClassificationLoss } from "../../internal/heads.js";
import { shiftTokensRight, type Seq2SeqInputs, type Seq2SeqOutput } from "../../internal/seq2seq.js";
import type { BaseModelOutput, LayerCache, LogitsOutput, PastKeyValues } from "../../modeling-outputs.js";

/** BartConfig's keys, camelCased (Marian's are the same). */
export interface BartConfigInit extends PretrainedConfigInit {
  vocabSize?: number;
  maxPositionEmbeddings?: number;
  encoderLayers?: number;
  encoderFfnDim?: number;
  encoderAttentionHeads?: number;
  decoderLayers?: number;
  decoderFfnDim?: number;
  decoderAttentionHeads?: number;
  encoderLayerdrop?: number;
  decoderLayerdrop?: number;
  activationFunction?: string;
  dModel?: number;
  dropout?: number;
  attentionDropout?: number;
  activationDropout?: number;
  initStd?: number;
  classifierDropout?: number;
  scaleEmbedding?: boolean;
  useCache?: boolean;
  forcedEosTokenId?: number | null;
}

/**
 * BART's configuration with HF's defaults (bart-large's shapes).
 * @example const cfg = new BartConfig({ vocabSize: 450, dModel: 32, encoderLayers: 2, decoderLayers: 2, encoderAttentionHeads: 4, decoderAttentionHeads: 4 });
 */
export class BartConfig extends PretrainedConfig {
  static override modelType = "bart";
  vocabSize: number;
  maxPositionEmbeddings: number;
  encoderLayers: number;
  encoderFfnDim: number;
  encoderAttentionHeads: number;
  decoderLayers: number;
  decoderFfnDim: number;
  decoderAttentionHeads: number;
  encoderLayerdrop: number;
  decoderLayerdrop: number;
  activationFunction: string;
  dModel: number;
  dropout: number;
  attentionDropout: number;
  activationDropout: number;
  initStd: number;
  classifierDropout: number;
  scaleEmbedding: boolean;
  useCache: boolean;
  forcedEosTokenId: number | null;
  /** HF keeps `num_hidden_layers` = `encoder_layers` as a config key of its own. */
  numHiddenLayers: number;

  constructor(init: BartConfigInit = {}, defaults: Partial<BartConfigInit> = { padTokenId: 1, bosTokenId: 0, eosTokenId: 2, decoderStartTokenId: 2, forcedEosTokenId: 2, numLabels: 3 }) {
    super({ isEncoderDecoder: true, ...defaults, ...init });
    const d = { ...defaults, ...init };
    this.vocabSize = d.vocabSize ?? 50265;
    this.maxPositionEmbeddings = d.maxPositionEmbeddings ?? 1024;
    this.encoderLayers = d.encoderLayers ?? 12;
    this.encoderFfnDim = d.encoderFfnDim ?? 4096;
    this.encoderAttentionHeads = d.encoderAttentionHeads ?? 16;
    this.decoderLayers = d.decoderLayers ?? 12;
    this.decoderFfnDim = d.decoderFfnDim ?? 4096;
    this.decoderAttentionHeads = d.decoderAttentionHeads ?? 16;
    this.encoderLayerdrop = d.encoderLayerdrop ?? 0;
    this.decoderLayerdrop = d.decoderLayerdrop ?? 0;
    this.activationFunction = d.activationFunction ?? "gelu";
    this.dModel = d.dModel ?? 1024;
    this.dropout = d.dropout ?? 0.1;
    this.attentionDropout = d.attentionDropout ?? 0;
    this.activationDropout = d.activationDropout ?? 0;
    this.initStd = d.initStd ?? 0.02;
    this.classifierDropout = d.classifierDropout ?? 0;
    this.scaleEmbedding = d.scaleEmbedding ?? false;
    this.useCache = d.useCache ?? true;
    this.forcedEosTokenId = d.forcedEosTokenId ?? null;
    this.numHiddenLayers = (d as { numHiddenLayers?: number }).numHiddenLayers ?? this.encoderLayers;
  }
  get hiddenSize(): number {
    return this.dModel;
  }
}

/** BART's learned positions: an embedding offset by 2 (`BartLearnedPositionalEmbedding`). */
export class BartLearnedPositionalEmbedding extends Embedding {
  static readonly offset = 2;
  constructor(numPositions: number, dim: number) {
    super(numPositions + BartLearnedPositionalEmbedding.offset, dim);
  }
  positions(b: number, t: number, past: number, device: string): Tensor {
    if (past + t > this.numEmbeddings - BartLearnedPositionalEmbedding.offset)
      throw new RangeError(`BART: ${past + t} positions exceed max_position_embeddings (${this.numEmbeddings - BartLearnedPositionalEmbedding.offset}); shorten the input.`);
    return this.forward(arange(past + BartLearnedPositionalEmbedding.offset, past + t + BartLearnedPositionalEmbedding.offset, 1, { device }).view(1, t).expand([b, t])); // [B, T, D]
  }
}

/** Where a stack gets its positions: BART's learned table or Marian's sinusoidal one. */
export interface PositionSource extends Module {
  positions(b: number, t: number, past: number, device: string): Tensor;
}

/** `BartAttention`: q scaled by head_dim^-0.5, k, v and out projections with bias; self or cross. */
export class BartAttention extends Module {
  readonly kProj: Linear;
  readonly vProj: Linear;
  readonly qProj: Linear;
  readonly outProj: Linear;
  constructor(readonly dim: number, readonly heads: number, readonly dropoutP: number) {
    super();
    this.kProj = this.registerModule("k_proj", new Linear(dim, dim));
    this.vProj = this.registerModule("v_proj", new Linear(dim, dim));
    this.qProj = this.registerModule("q_proj", new Linear(dim, dim));
    this.outProj = this.registerModule("out_proj", new Linear(dim, dim));
  }
  forward(x: Tensor, kv: Tensor | null, mask: Tensor | null, past: Tensor[] | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor; present: Tensor[] } {
    const hs = this.dim / this.heads;
    const q = splitHeads(this.qProj.forward(x).mul(hs ** -0.5), this.heads); // [B, nh, T, hs]
    let k: Tensor;
    let v: Tensor;
    if (kv && past) [k, v] = past;
    else {
      const src = kv ?? x;
      k = splitHeads(this.kProj.forward(src), this.heads); // [B, nh, S, hs]
      v = splitHeads(this.vProj.forward(src), this.heads); // [B, nh, S, hs]
      if (past && !kv) {
        k = cat([past[0], k], 2); // [B, nh, P+T, hs]
        v = cat([past[1], v], 2); // [B, nh, P+T, hs]
      }
    }
    const { out, weights } = attend(q, k, v, { mask, dropoutP: this.dropoutP, training: this.training, needWeights: outputAttentions, scale: 1 });
    return { out: this.outProj.forward(mergeHeads(out)), weights, present: [k, v] }; // [B, T, D]
  }
}

/** An encoder or decoder layer (`BartEncoderLayer` / `BartDecoderLayer`): post-norm attention(s) and FFN. */
export class BartLayer extends Module {
  readonly selfAttn: BartAttention;
  readonly selfAttnLayerNorm: LayerNorm;
  readonly encoderAttn: BartAttention | null;
  readonly encoderAttnLayerNorm: LayerNorm | null;
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly finalLayerNorm: LayerNorm;
  readonly act: (x: Tensor) => Tensor;
  constructor(readonly config: BartConfig, readonly isDecoder: boolean) {
    super();
    const c = config;
    const heads = isDecoder ? c.decoderAttentionHeads : c.encoderAttentionHeads;
    const ffn = isDecoder ? c.decoderFfnDim : c.encoderFfnDim;
    this.selfAttn = this.registerModule("self_attn", new BartAttention(c.dModel, heads, c.attentionDropout));
    this.selfAttnLayerNorm = this.registerModule("self_attn_layer_norm", new LayerNorm(c.dModel));
    this.encoderAttn = isDecoder ? this.registerModule("encoder_attn", new BartAttention(c.dModel, heads, c.attentionDropout)) : null;
    this.encoderAttnLayerNorm = isDecoder ? this.registerModule("encoder_attn_layer_norm", new LayerNorm(c.dModel)) : null;
    this.fc1 = this.registerModule("fc1", new Linear(c.dModel, ffn));
    this.fc2 = this.registerModule("fc2", new Linear(ffn, c.dModel));
    this.finalLayerNorm = this.registerModule("final_layer_norm", new LayerNorm(c.dModel));
    this.act = getActivation(c.activationFunction);
  }
  #drop(x: Tensor, p: number): Tensor {
    return this.training && p > 0 ? dropout(x, p, true) : x;
  }
  forward(x: Tensor, mask: Tensor | null, enc: Tensor | null, encMask: Tensor | null, past: LayerCache | null, outputAttentions: boolean) {
    const c = this.config;
    const a = this.selfAttn.forward(x, null, mask, past ? past.slice(0, 2) : null, outputAttentions);
    x = this.selfAttnLayerNorm.forward(x.add(this.#drop(a.out, c.dropout)));
    let present: LayerCache = a.present;
    let crossWeights: Tensor | undefined;
    if (this.encoderAttn && enc) {
      const r = this.encoderAttn.forward(x, enc, encMask, past ? past.slice(2, 4) : null, outputAttentions);
      x = this.encoderAttnLayerNorm!.forward(x.add(this.#drop(r.out, c.dropout)));
      present = [...present, ...r.present];
      crossWeights = r.weights;
    }
    const h = this.fc2.forward(this.#drop(this.act(this.fc1.forward(x)), c.activationDropout));
    x = this.finalLayerNorm.forward(x.add(this.#drop(h, c.dropout)));
    return { out: x, weights: a.weights, crossWeights, present };
  }
}

/** `BartEncoder` / `BartDecoder` (and Marian's): embeddings · scale + positions, optional embedding norm, layers. */
export class BartStack extends Module {
  readonly embedTokens: Embedding;
  readonly embedPositions: PositionSource;
  readonly layers: ModuleList<BartLayer>;
  readonly layernormEmbedding: LayerNorm | null;
  constructor(readonly config: BartConfig, embed: Embedding, positions: PositionSource, readonly isDecoder: boolean, embeddingNorm: boolean) {
    super();
    this.embedTokens = this.registerModule("embed_tokens", embed);
    this.embedPositions = this.registerModule("embed_positions", positions);
    const n = isDecoder ? config.decoderLayers : config.encoderLayers;
    this.layers = this.registerModule("layers", new ModuleList(Array.from({ length: n }, () => new BartLayer(config, isDecoder))));
    this.layernormEmbedding = embeddingNorm ? this.registerModule("layernorm_embedding", new LayerNorm(config.dModel)) : null;
  }
  forward(o: { inputIds?: Tensor | null; inputsEmbeds?: Tensor | null; attentionMask?: Tensor | null; encoderHiddenStates?: Tensor | null; encoderAttentionMask?: Tensor | null; pastKeyValues?: PastKeyValues | null; useCache?: boolean; outputHiddenStates?: boolean; outputAttentions?: boolean }): BaseModelOutput & { crossAttentions?: Tensor[] } {
    const c = this.config;
    if (o.inputIds) checkInputIds(o.inputIds, null, this.isDecoder ? "decoder" : "encoder");
    const scale = c.scaleEmbedding ? Math.sqrt(c.dModel) : 1;
    let x = o.inputsEmbeds ?? this.embedTokens.forward(o.inputIds!); // [B, T, D]
    if (scale !== 1) x = x.mul(scale);
    const [b, t] = x.shape;
    const pastLen = o.pastKeyValues?.[0]?.[0]?.shape[2] ?? 0;
    x = x.add(this.embedPositions.positions(b, t, pastLen, x.device)); // [B, T, D]
    if (this.layernormEmbedding) x = this.layernormEmbedding.forward(x);
    if (this.training && c.dropout > 0) x = dropout(x, c.dropout, true);
    const mask = this.isDecoder ? causalAttentionMask(b, t, pastLen, o.attentionMask ?? null, x.device) : o.attentionMask ? expandPaddingMask(o.attentionMask) : null;
    const enc = o.encoderHiddenStates ?? null;
    const encMask = enc && o.encoderAttentionMask ? expandPaddingMask(o.encoderAttentionMask) : null;
    return runLayerStack(this.layers, x, o, o.pastKeyValues, (layer, x, past, outputAttentions) =>
      (layer as BartLayer).forward(x, mask, enc, encMask, past, outputAttentions), (x) => x, enc !== null);
  }
}

/** The shared encoder-decoder body (`BartModel.model`): embeddings, encoder, decoder. */
export class BartEncoderDecoder extends Module {
  readonly shared: Embedding;
  readonly encoder: BartStack;
  readonly decoder: BartStack;
  constructor(config: BartConfig, positions: (isDecoder: boolean) => PositionSource, embeddingNorm: boolean) {
    super();
    this.shared = this.registerModule("shared", new Embedding(config.vocabSize, config.dModel, { paddingIdx: config.padTokenId }));
    this.encoder = this.registerModule("encoder", new BartStack(config, this.shared, positions(false), false, embeddingNorm));
    this.decoder = this.registerModule("decoder", new BartStack(config, this.shared, positions(true), true, embeddingNorm));
  }
  forward(inputs: Seq2SeqInputs, decoderInputIds: Tensor | null): Omit<Seq2SeqOutput, "logits"> & { lastHiddenState: Tensor } {
    const enc =
      inputs.encoderOutputs ??
      this.encoder.forward({ inputIds: inputs.inputIds, inputsEmbeds: inputs.inputsEmbeds, attentionMask: inputs.attentionMask, outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
    const dec = this.decoder.forward({ inputIds: decoderInputIds, inputsEmbeds: inputs.decoderInputsEmbeds, attentionMask: inputs.decoderAttentionMask, encoderHiddenStates: enc.lastHiddenState, encoderAttentionMask: inputs.attentionMask, pastKeyValues: inputs.pastKeyValues, useCache: inputs.useCache, outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
    return { lastHiddenState: dec.lastHiddenState, pastKeyValues: dec.pastKeyValues, decoderHiddenStates: dec.hiddenStates, decoderAttentions: dec.attentions, crossAttentions: dec.crossAttentions, encoderLastHiddenState: enc.lastHiddenState, encoderHiddenStates: enc.hiddenStates, encoderAttentions: enc.attentions };
  }
}

/** BART's `_init_weights` and base prefix; Marian's classes extend it. */
export abstract class BartPreTrainedModel<C extends BartConfig = BartConfig> extends PreTrainedModel<C> {
  static override configClass: typeof PretrainedConfig = BartConfig;
  static override baseModelPrefix = "model";
  protected override initWeights(m: Module): void {
    // LayerNorm: torch's own defaults, restated so a norm missing from a checkpoint is initialised after loading.
    initStandardWeights(m, this.config.initStd, { layerNorm: true, skipFrozenEmbeddings: true });
  }
  override generationConfig(): Record<string, unknown> | null {
    const c = this.config;
    return { _from_model_config: true, bos_token_id: c.bosTokenId ?? undefined, decoder_start_token_id: c.decoderStartTokenId, eos_token_id: c.eosTokenId, forced_eos_token_id: c.forcedEosTokenId ?? undefined, pad_token_id: c.padTokenId, transformers_version: "4.37.2" };
  }
  /** Decoder inputs from labels (`shift_tokens_right`). @example model.prepareDecoderInputIdsFromLabels(labels) */
  prepareDecoderInputIdsFromLabels(labels: Tensor): Tensor {
    return shiftTokensRight(labels, this.config.padTokenId, this.config.decoderStartTokenId, this.constructor.name);
  }
}

const learned = (c: BartConfig) => () => new BartLearnedPositionalEmbedding(c.maxPositionEmbeddings, c.dModel);

/** The bare BART encoder-decoder (`BartModel`). @example model.forward({ inputIds, decoderInputIds }).lastHiddenState */
export class BartModel extends BartPreTrainedModel {
  readonly shared: Embedding;
  readonly encoder: BartStack;
  readonly decoder: BartStack;
  readonly #body: BartEncoderDecoder;
  constructor(config: BartConfig) {
    super(config);
    const body = new BartEncoderDecoder(config, learned(config), true);
    this.#body = body;
    this.shared = this.registerModule("shared", body.shared);
    this.encoder = this.registerModule("encoder", body.encoder);
    this.decoder = this.registerModule("decoder", body.decoder);
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    return { "encoder.embed_tokens.weight": "shared.weight", "decoder.embed_tokens.weight": "shared.weight" };
  }
  forward(inputs: Seq2SeqInputs) {
    const dec = inputs.decoderInputIds ?? (inputs.inputIds ? shiftTokensRight(inputs.inputIds, this.config.padTokenId, this.config.decoderStartTokenId, "BartModel") : null);
    return this.#body.forward(inputs, dec);
  }
}

/** A seq2seq LM head over a BART-style body, with `final_logits_bias` (BART and Marian). */
export abstract class BartLikeForConditionalGeneration<C extends BartConfig = BartConfig> extends BartPreTrainedModel<C> {
  finalLogitsBias: Tensor;
  readonly model: BartEncoderDecoder;
  readonly lmHead: Linear;
  constructor(config: C, positions: (isDecoder: boolean) => PositionSource, embeddingNorm: boolean) {
    super(config);
    this.finalLogitsBias = this.registerBuffer("final_logits_bias", zeros([1, config.vocabSize]));
    this.model = this.registerModule("model", new BartEncoderDecoder(config, positions, embeddingNorm));
    this.lmHead = this.registerModule("lm_head", new Linear(config.dModel, config.vocabSize, { bias: false }));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    const t: Record<string, string> = { "model.encoder.embed_tokens.weight": "model.shared.weight", "model.decoder.embed_tokens.weight": "model.shared.weight" };
    if (this.config.tieWordEmbeddings) t["lm_head.weight"] = "model.shared.weight";
    return t;
  }
  forward(inputs: Seq2SeqInputs): Seq2SeqOutput {
    let dec = inputs.decoderInputIds ?? null;
    if (!dec && !inputs.decoderInputsEmbeds) {
      if (!inputs.labels) throw new TypeError(`${this.constructor.name}: pass decoderInputIds or labels.`);
      dec = this.prepareDecoderInputIdsFromLabels(inputs.labels);
    }
    const out = this.model.forward(inputs, dec);
    const logits = this.lmHead.forward(out.lastHiddenState).add(this.finalLogitsBias); // [B, T, V]
    let loss: Tensor | undefined;
    if (inputs.labels) {
      checkLabels(inputs.labels, this.config.vocabSize, "seq2seq LM");
      loss = crossEntropy(logits.view(-1, this.config.vocabSize), inputs.labels.view(-1)); // [B·T, V]
    }
    const { lastHiddenState: _unused, ...rest } = out;
    void _unused;
    return { ...(loss ? { loss } : {}), logits, ...rest };
  }
}

/**
 * BART with its language-model head (`BartForConditionalGeneration`): summarization, translation, denoising.
 * @example const { loss } = model.forward({ inputIds, attentionMask, labels });
 */
export class BartForConditionalGeneration extends BartLikeForConditionalGeneration {
  constructor(config: BartConfig) {
    super(config, learned(config), true);
  }
}

/** `BartClassificationHead`: dense + tanh on the last EOS token, then the projection to labels. */
export class BartClassificationHead extends Module {
  readonly dense: Linear;
  readonly outProj: Linear;
  constructor(readonly config: BartConfig) {
    super();
    this.dense = this.registerModule("dense", new Linear(config.dModel, config.dModel));
    this.outProj = this.registerModule("out_proj", new Linear(config.dModel, config.numLabels));
  }
  forward(x: Tensor): Tensor {
    const p = this.config.classifierDropout;
    const d = (t: Tensor) => (this.training && p > 0 ? dropout(t, p, true) : t);
    return this.outProj.forward(d(this.dense.forward(d(x)).tanh()));
  }
}

/** BART for sequence classification, read at each row's last EOS token. @example model.forward({ inputIds, labels }).logits // [B, numLabels] */
export class BartForSequenceClassification extends BartPreTrainedModel {
  readonly model: BartEncoderDecoder;
  readonly classificationHead: BartClassificationHead;
  constructor(config: BartConfig) {
    super(config);
    this.model = this.registerModule("model", new BartEncoderDecoder(config, learned(config), true));
    this.classificationHead = this.registerModule("classification_head", new BartClassificationHead(config));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    return { "model.encoder.embed_tokens.weight": "model.shared.weight", "model.decoder.embed_tokens.weight": "model.shared.weight" };
  }
  forward(inputs: Seq2SeqInputs): LogitsOutput {
    const ids = inputs.inputIds;
    if (!ids) throw new TypeError("BartForSequenceClassification: pass inputIds (the EOS positions pick the sentence representation).");
    const dec = inputs.decoderInputIds ?? shiftTokensRight(ids, this.config.padTokenId, this.config.decoderStartTokenId, this.constructor.name);
    const out = this.model.forward(inputs, dec);
    const eos = this.config.eosTokenId as number;
    const rows = (ids.to("int64").contiguous().dataSync() as BigInt64Array);
    const [b, t] = ids.shape;
    const counts = new Set<number>();
    const last = Array.from({ length: b }, (_, i) => {
      let n = 0;
      let p = -1;
      for (let j = 0; j < t; j++) if (rows[i * t + j] === BigInt(eos)) ((p = j), n++);
      counts.add(n);
      if (p < 0) throw new RangeError(`BartForSequenceClassification: row ${i} has no EOS token (${eos}); every input must end with it.`);
      return p;
    });
    if (counts.size > 1) throw new RangeError("BartForSequenceClassification: all examples must have the same number of <eos> tokens.");
    const h = out.lastHiddenState;
    const rep = last.map((p, i) => h.select(0, i).select(0, p).unsqueeze(0)); // [1, D] each
    const logits = this.classificationHead.forward(rep.length === 1 ? rep[0] : cat(rep, 0)); // [B, C]
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : undefined;
    return { ...(loss ? { loss } : {}), logits };
  }
}
