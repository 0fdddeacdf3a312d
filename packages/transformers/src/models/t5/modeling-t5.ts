// T5: config, encoder and decoder stacks with relative position buckets and key/value cache, heads — HF transformers 4.37 models/t5.
import { cat, crossEntropy, empty, rmsNorm, tensor, zeros, type Tensor } from "@tsorch/tensor";
import { Dropout, Embedding, Linear, Module, ModuleList, init } from "@tsorch/nn";
import { PretrainedConfig, type PretrainedConfigInit } from "../../configuration-utils.js";
import { PreTrainedModel } from "../../modeling-utils.js";
import { getActivation } from "../../activations.js";
import { attend, mergeHeads, splitHeads } from "../../internal/attention.js";
import { causalAttentionMask, expandPaddingMask } from "../../internal/attention-mask.js";
import { runLayerStack } from "../../internal/layer-stack.js";
import { checkInputIds, checkLabels } from "../../internal/heads.js";
import { shiftTokensRight, type Seq2SeqInputs, type Seq2SeqOutput } from "../../internal/seq2seq.js";
import type { BaseModelOutput, LayerCache, PastKeyValues } from "../../modeling-outputs.js";

/** T5Config's keys, camelCased. */
export interface T5ConfigInit extends PretrainedConfigInit {
  vocabSize?: number;
  dModel?: number;
  dKv?: number;
  dFf?: number;
  numLayers?: number;
  numDecoderLayers?: number | null;
  numHeads?: number;
  relativeAttentionNumBuckets?: number;
  relativeAttentionMaxDistance?: number;
  dropoutRate?: number;
  layerNormEpsilon?: number;
  initializerFactor?: number;
  feedForwardProj?: string;
  useCache?: boolean;
  classifierDropout?: number;
}

/**
 * T5's configuration with HF's defaults (t5-small's shapes); `feedForwardProj` "relu" or "gated-gelu" style.
 * @example const cfg = new T5Config({ vocabSize: 400, dModel: 32, dKv: 8, dFf: 64, numLayers: 2, numHeads: 4 });
 */
export class T5Config extends PretrainedConfig {
  static override modelType = "t5";
  vocabSize: number;
  dModel: number;
  dKv: number;
  dFf: number;
  numLayers: number;
  numDecoderLayers: number;
  numHeads: number;
  relativeAttentionNumBuckets: number;
  relativeAttentionMaxDistance: number;
  dropoutRate: number;
  layerNormEpsilon: number;
  initializerFactor: number;
  feedForwardProj: string;
  useCache: boolean;
  classifierDropout: number;
  denseActFn: string;
  isGatedAct: boolean;

  constructor(init: T5ConfigInit = {}) {
    super({ padTokenId: 0, eosTokenId: 1, decoderStartTokenId: 0, isEncoderDecoder: true, ...init });
    this.vocabSize = init.vocabSize ?? 32128;
    this.dModel = init.dModel ?? 512;
    this.dKv = init.dKv ?? 64;
    this.dFf = init.dFf ?? 2048;
    this.numLayers = init.numLayers ?? 6;
    this.numDecoderLayers = init.numDecoderLayers ?? this.numLayers;
    this.numHeads = init.numHeads ?? 8;
    this.relativeAttentionNumBuckets = init.relativeAttentionNumBuckets ?? 32;
    this.relativeAttentionMaxDistance = init.relativeAttentionMaxDistance ?? 128;
    this.dropoutRate = init.dropoutRate ?? 0.1;
    this.layerNormEpsilon = init.layerNormEpsilon ?? 1e-6;
    this.initializerFactor = init.initializerFactor ?? 1;
    this.feedForwardProj = init.feedForwardProj ?? "relu";
    this.useCache = init.useCache ?? true;
    this.classifierDropout = init.classifierDropout ?? 0;
    const parts = typeof this.feedForwardProj === "string" ? this.feedForwardProj.split("-") : [];
    this.isGatedAct = parts[0] === "gated";
    if (parts.length === 0 || parts.length > 2 || (parts.length === 2 && !this.isGatedAct))
      throw new RangeError(`${new.target.name}: feedForwardProj ${JSON.stringify(this.feedForwardProj)} is not "{ACT_FN}" or "gated-{ACT_FN}" (e.g. "relu", "gated-gelu").`);
    const act = parts[parts.length - 1];
    this.denseActFn = act === "gelu" && this.isGatedAct ? "gelu_new" : act;
  }
  get hiddenSize(): number {
    return this.dModel;
  }
  get numHiddenLayers(): number {
    return this.numLayers;
  }
}

/** HF's `_relative_position_bucket`, in float32 as torch computes it (the log rounding decides boundary buckets). */
export function relativePositionBucket(rel: number, bidirectional: boolean, numBuckets: number, maxDistance: number): number {
  let buckets = 0;
  let n = numBuckets;
  let r = rel;
  if (bidirectional) {
    n = Math.floor(n / 2);
    if (r > 0) buckets += n;
    r = Math.abs(r);
  } else r = -Math.min(r, 0);
  const maxExact = Math.floor(n / 2);
  if (r < maxExact) return buckets + r;
  const ratio = Math.fround(Math.fround(r) / maxExact);
  const logv = Math.fround(Math.log(ratio));
  const scaled = Math.fround(Math.fround(logv / Math.fround(Math.log(maxDistance / maxExact))) * (n - maxExact));
  return buckets + Math.min(maxExact + Math.trunc(scaled), n - 1);
}

/** `T5Attention`: q/k/v/o without bias or scaling; the first layer of a stack owns the relative position bias. */
export class T5Attention extends Module {
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly o: Linear;
  readonly relativeAttentionBias: Embedding | null;
  constructor(readonly config: T5Config, readonly isDecoder: boolean, hasRelativeBias: boolean) {
    super();
    const inner = config.numHeads * config.dKv;
    this.q = this.registerModule("q", new Linear(config.dModel, inner, { bias: false }));
    this.k = this.registerModule("k", new Linear(config.dModel, inner, { bias: false }));
    this.v = this.registerModule("v", new Linear(config.dModel, inner, { bias: false }));
    this.o = this.registerModule("o", new Linear(inner, config.dModel, { bias: false }));
    this.relativeAttentionBias = hasRelativeBias ? this.registerModule("relative_attention_bias", new Embedding(config.relativeAttentionNumBuckets, config.numHeads)) : null;
  }

  /** The bias `[1, nh, q, k]` for query positions `[k - q, k)` of `k` key positions. */
  computeBias(qLen: number, kLen: number, device: string): Tensor {
    const c = this.config;
    if (!this.relativeAttentionBias) return zeros([1, c.numHeads, qLen, kLen], { device });
    const ids: number[][] = [];
    for (let i = kLen - qLen; i < kLen; i++) {
      const row: number[] = [];
      for (let j = 0; j < kLen; j++) row.push(relativePositionBucket(j - i, !this.isDecoder, c.relativeAttentionNumBuckets, c.relativeAttentionMaxDistance));
      ids.push(row);
    }
    const b = tensor(ids, { dtype: "int64" });
    const vals = this.relativeAttentionBias.forward(device === "cpu" ? b : b.to(device)); // [q, k, nh]
    return vals.permute([2, 0, 1]).unsqueeze(0); // [1, nh, q, k]
  }

  forward(x: Tensor, kv: Tensor | null, bias: Tensor, past: Tensor[] | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor; present: Tensor[] } {
    const h = this.config.numHeads;
    const q = splitHeads(this.q.forward(x), h); // [B, nh, T, dkv]
    let k: Tensor;
    let v: Tensor;
    if (kv && past) [k, v] = past; // cross-attention: the encoder's keys and values are computed once
    else {
      const src = kv ?? x;
      k = splitHeads(this.k.forward(src), h); // [B, nh, S, dkv]
      v = splitHeads(this.v.forward(src), h); // [B, nh, S, dkv]
      if (past && !kv) {
        k = cat([past[0], k], 2); // [B, nh, P+T, dkv]
        v = cat([past[1], v], 2); // [B, nh, P+T, dkv]
      }
    }
    const { out, weights } = attend(q, k, v, { mask: bias, dropoutP: this.config.dropoutRate, training: this.training, needWeights: outputAttentions, scale: 1 });
    return { out: this.o.forward(mergeHeads(out)), weights, present: [k, v] }; // [B, T, D]
  }
}

/** T5's RMS layer norm (no mean, no bias). */
export class T5LayerNorm extends Module {
  weight: Tensor;
  constructor(readonly size: number, readonly eps: number) {
    super();
    this.weight = this.registerParameter("weight", empty([size]).fill_(1));
  }
  forward(x: Tensor): Tensor {
    return rmsNorm(x, [this.size], this.weight, this.eps);
  }
}

/** `T5DenseActDense` / `T5DenseGatedActDense` inside `T5LayerFF`. */
export class T5DenseReluDense extends Module {
  readonly wi: Linear | null;
  readonly wi0: Linear | null;
  readonly wi1: Linear | null;
  readonly wo: Linear;
  readonly dropout: Dropout;
  readonly act: (x: Tensor) => Tensor;
  constructor(readonly config: T5Config) {
    super();
    const g = config.isGatedAct;
    this.wi = g ? null : this.registerModule("wi", new Linear(config.dModel, config.dFf, { bias: false }));
    this.wi0 = g ? this.registerModule("wi_0", new Linear(config.dModel, config.dFf, { bias: false })) : null;
    this.wi1 = g ? this.registerModule("wi_1", new Linear(config.dModel, config.dFf, { bias: false })) : null;
    this.wo = this.registerModule("wo", new Linear(config.dFf, config.dModel, { bias: false }));
    this.dropout = this.registerModule("dropout", new Dropout(config.dropoutRate));
    this.act = getActivation(config.denseActFn);
  }
  forward(x: Tensor): Tensor {
    const h = this.wi ? this.act(this.wi.forward(x)) : this.act(this.wi0!.forward(x)).mul(this.wi1!.forward(x));
    return this.wo.forward(this.dropout.forward(h));
  }
}

/** A residual sub-layer: pre-norm, the inner module, dropout, add (`T5LayerSelfAttention`, `T5LayerCrossAttention`, `T5LayerFF`). */
class T5SubLayer<M extends Module> extends Module {
  readonly inner: M;
  readonly layerNorm: T5LayerNorm;
  readonly dropout: Dropout;
  constructor(name: string, inner: M, config: T5Config) {
    super();
    this.inner = this.registerModule(name, inner);
    this.layerNorm = this.registerModule("layer_norm", new T5LayerNorm(config.dModel, config.layerNormEpsilon));
    this.dropout = this.registerModule("dropout", new Dropout(config.dropoutRate));
  }
  forward(): void {}
}

/** `T5Block`: self-attention, cross-attention (decoder), feed-forward. */
export class T5Block extends Module {
  readonly layer: ModuleList<Module>;
  readonly selfAttn: T5SubLayer<T5Attention>;
  readonly crossAttn: T5SubLayer<T5Attention> | null;
  readonly ff: T5SubLayer<T5DenseReluDense>;
  constructor(readonly config: T5Config, readonly isDecoder: boolean, hasRelativeBias: boolean) {
    super();
    this.selfAttn = new T5SubLayer("SelfAttention", new T5Attention(config, isDecoder, hasRelativeBias), config);
    this.crossAttn = isDecoder ? new T5SubLayer("EncDecAttention", new T5Attention(config, true, false), config) : null;
    this.ff = new T5SubLayer("DenseReluDense", new T5DenseReluDense(config), config);
    this.layer = this.registerModule("layer", new ModuleList<Module>(this.crossAttn ? [this.selfAttn, this.crossAttn, this.ff] : [this.selfAttn, this.ff]));
  }
  forward(x: Tensor, selfBias: Tensor, enc: Tensor | null, crossBias: Tensor | null, past: LayerCache | null, outputAttentions: boolean) {
    const s = this.selfAttn;
    const a = s.inner.forward(s.layerNorm.forward(x), null, selfBias, past ? past.slice(0, 2) : null, outputAttentions);
    x = x.add(s.dropout.forward(a.out));
    let crossWeights: Tensor | undefined;
    let present: LayerCache = a.present;
    if (this.crossAttn && enc) {
      const c = this.crossAttn;
      const r = c.inner.forward(c.layerNorm.forward(x), enc, crossBias!, past ? past.slice(2, 4) : null, outputAttentions);
      x = x.add(c.dropout.forward(r.out));
      crossWeights = r.weights;
      present = [...present, ...r.present];
    }
    x = x.add(this.ff.dropout.forward(this.ff.inner.forward(this.ff.layerNorm.forward(x))));
    return { out: x, weights: a.weights, crossWeights, present };
  }
}

/** `T5Stack`: embeddings (shared), blocks, final layer norm; the encoder or the decoder. */
export class T5Stack extends Module {
  readonly embedTokens: Embedding;
  readonly block: ModuleList<T5Block>;
  readonly finalLayerNorm: T5LayerNorm;
  readonly dropout: Dropout;
  constructor(readonly config: T5Config, embed: Embedding, readonly isDecoder: boolean) {
    super();
    this.embedTokens = this.registerModule("embed_tokens", embed);
    const n = isDecoder ? config.numDecoderLayers : config.numLayers;
    this.block = this.registerModule("block", new ModuleList(Array.from({ length: n }, (_, i) => new T5Block(config, isDecoder, i === 0))));
    this.finalLayerNorm = this.registerModule("final_layer_norm", new T5LayerNorm(config.dModel, config.layerNormEpsilon));
    this.dropout = this.registerModule("dropout", new Dropout(config.dropoutRate));
  }

  forward(o: { inputIds?: Tensor | null; inputsEmbeds?: Tensor | null; attentionMask?: Tensor | null; encoderHiddenStates?: Tensor | null; encoderAttentionMask?: Tensor | null; pastKeyValues?: PastKeyValues | null; useCache?: boolean; outputHiddenStates?: boolean; outputAttentions?: boolean }): BaseModelOutput & { crossAttentions?: Tensor[] } {
    const ids = o.inputIds ?? null;
    if (ids) checkInputIds(ids, null, this.isDecoder ? "T5 decoder" : "T5 encoder");
    let x = o.inputsEmbeds ?? this.embedTokens.forward(ids!); // [B, T, D]
    const [b, t] = x.shape;
    const pastLen = o.pastKeyValues?.[0]?.[0]?.shape[2] ?? 0;
    const first = (this.block.get(0) as T5Block).selfAttn.inner;
    // The relative bias of the first layer plus the mask, shared by every layer (as HF passes position_bias along).
    let selfBias = first.computeBias(t, pastLen + t, x.device); // [1, nh, T, P+T]
    const mask = this.isDecoder ? causalAttentionMask(b, t, pastLen, o.attentionMask ?? null, x.device) : o.attentionMask ? expandPaddingMask(o.attentionMask) : null;
    if (mask) selfBias = selfBias.add(mask); // [B, nh, T, P+T]
    const enc = o.encoderHiddenStates ?? null;
    const crossBias = enc ? (o.encoderAttentionMask ? expandPaddingMask(o.encoderAttentionMask) : zeros([1, 1, 1, enc.shape[1]], { device: x.device })).add(zeros([1, this.config.numHeads, t, enc.shape[1]], { device: x.device })) : null; // [B, nh, T, S]
    x = this.dropout.forward(x);
    return runLayerStack(this.block, x, o, o.pastKeyValues, (blk, x, past, outputAttentions) =>
      (blk as T5Block).forward(x, selfBias, enc, crossBias, past, outputAttentions), (x) => this.dropout.forward(this.finalLayerNorm.forward(x)), enc !== null);
  }
}

/** T5's `_init_weights` (scaled by `initializer_factor`) and base prefix. */
export abstract class T5PreTrainedModel extends PreTrainedModel<T5Config> {
  static override configClass: typeof PretrainedConfig = T5Config;
  static override baseModelPrefix = "transformer";
  protected override initWeights(m: Module): void {
    const c = this.config;
    const f = c.initializerFactor;
    if (m instanceof T5LayerNorm) init.constant_(m.weight, f);
    else if (m instanceof T5DenseReluDense) {
      for (const w of [m.wi, m.wi0, m.wi1]) if (w) init.normal_(w.weight, 0, f * c.dModel ** -0.5);
      init.normal_(m.wo.weight, 0, f * c.dFf ** -0.5);
    } else if (m instanceof T5Attention) {
      init.normal_(m.q.weight, 0, f * (c.dModel * c.dKv) ** -0.5);
      init.normal_(m.k.weight, 0, f * c.dModel ** -0.5);
      init.normal_(m.v.weight, 0, f * c.dModel ** -0.5);
      init.normal_(m.o.weight, 0, f * (c.numHeads * c.dKv) ** -0.5);
      if (m.relativeAttentionBias) init.normal_(m.relativeAttentionBias.weight, 0, f * c.dModel ** -0.5);
    } else if (m instanceof T5Model || m instanceof T5ForConditionalGeneration || m instanceof T5EncoderModel) {
      init.normal_(m.shared.weight, 0, f);
      if (m instanceof T5ForConditionalGeneration && !c.tieWordEmbeddings) init.normal_(m.lmHead.weight, 0, f);
    }
  }
  override generationConfig(): Record<string, unknown> | null {
    return { _from_model_config: true, decoder_start_token_id: this.config.decoderStartTokenId, eos_token_id: this.config.eosTokenId, pad_token_id: this.config.padTokenId, transformers_version: "4.37.2" };
  }
}

function runEncoder(encoder: T5Stack, inputs: Seq2SeqInputs): BaseModelOutput {
  if (inputs.encoderOutputs) return inputs.encoderOutputs;
  if (!inputs.inputIds && !inputs.inputsEmbeds) throw new TypeError("T5: pass inputIds (or inputsEmbeds, or encoderOutputs) for the encoder.");
  return encoder.forward({ inputIds: inputs.inputIds, inputsEmbeds: inputs.inputsEmbeds, attentionMask: inputs.attentionMask, outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
}

/**
 * The bare T5 encoder-decoder (`T5Model`): the decoder's last hidden state and the encoder's.
 * @example const { lastHiddenState } = model.forward({ inputIds, attentionMask, decoderInputIds });
 */
export class T5Model extends T5PreTrainedModel {
  readonly shared: Embedding;
  readonly encoder: T5Stack;
  readonly decoder: T5Stack;
  constructor(config: T5Config) {
    super(config);
    this.shared = this.registerModule("shared", new Embedding(config.vocabSize, config.dModel));
    this.encoder = this.registerModule("encoder", new T5Stack(config, this.shared, false));
    this.decoder = this.registerModule("decoder", new T5Stack(config, this.shared, true));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    return { "encoder.embed_tokens.weight": "shared.weight", "decoder.embed_tokens.weight": "shared.weight" };
  }
  forward(inputs: Seq2SeqInputs): Omit<Seq2SeqOutput, "logits"> & { lastHiddenState: Tensor } {
    const enc = runEncoder(this.encoder, inputs);
    if (!inputs.decoderInputIds && !inputs.decoderInputsEmbeds) throw new TypeError("T5Model: pass decoderInputIds.");
    const dec = this.decoder.forward({ inputIds: inputs.decoderInputIds, inputsEmbeds: inputs.decoderInputsEmbeds, attentionMask: inputs.decoderAttentionMask, encoderHiddenStates: enc.lastHiddenState, encoderAttentionMask: inputs.attentionMask, pastKeyValues: inputs.pastKeyValues, useCache: inputs.useCache, outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
    return { lastHiddenState: dec.lastHiddenState, pastKeyValues: dec.pastKeyValues, decoderHiddenStates: dec.hiddenStates, decoderAttentions: dec.attentions, crossAttentions: dec.crossAttentions, encoderLastHiddenState: enc.lastHiddenState, encoderHiddenStates: enc.hiddenStates, encoderAttentions: enc.attentions };
  }
}

/**
 * T5 with its language-model head (`T5ForConditionalGeneration`): labels give the loss and the decoder inputs
 * (shifted right); the decoder output is scaled by d_model^-0.5 before a tied head, as HF does.
 * @example const { loss, logits } = model.forward({ inputIds, attentionMask, labels });
 */
export class T5ForConditionalGeneration extends T5PreTrainedModel {
  readonly shared: Embedding;
  readonly encoder: T5Stack;
  readonly decoder: T5Stack;
  readonly lmHead: Linear;
  constructor(config: T5Config) {
    super(config);
    this.shared = this.registerModule("shared", new Embedding(config.vocabSize, config.dModel));
    this.encoder = this.registerModule("encoder", new T5Stack(config, this.shared, false));
    this.decoder = this.registerModule("decoder", new T5Stack(config, this.shared, true));
    this.lmHead = this.registerModule("lm_head", new Linear(config.dModel, config.vocabSize, { bias: false }));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    const t: Record<string, string> = { "encoder.embed_tokens.weight": "shared.weight", "decoder.embed_tokens.weight": "shared.weight" };
    if (this.config.tieWordEmbeddings) t["lm_head.weight"] = "shared.weight";
    return t;
  }
  /** Decoder inputs from labels (`_shift_right`). @example model.prepareDecoderInputIdsFromLabels(labels) */
  prepareDecoderInputIdsFromLabels(labels: Tensor): Tensor {
    return shiftTokensRight(labels, this.config.padTokenId, this.config.decoderStartTokenId, this.constructor.name);
  }
  forward(inputs: Seq2SeqInputs): Seq2SeqOutput {
    const enc = runEncoder(this.encoder, inputs);
    let decIds = inputs.decoderInputIds ?? null;
    if (!decIds && !inputs.decoderInputsEmbeds) {
      if (!inputs.labels) throw new TypeError(`${this.constructor.name}: pass decoderInputIds or labels.`);
      decIds = this.prepareDecoderInputIdsFromLabels(inputs.labels);
    }
    const dec = this.decoder.forward({ inputIds: decIds, inputsEmbeds: inputs.decoderInputsEmbeds, attentionMask: inputs.decoderAttentionMask, encoderHiddenStates: enc.lastHiddenState, encoderAttentionMask: inputs.attentionMask, pastKeyValues: inputs.pastKeyValues, useCache: inputs.useCache, outputHiddenStates: inputs.outputHiddenStates, outputAttentions: inputs.outputAttentions });
    let h = dec.lastHiddenState;
    if (this.config.tieWordEmbeddings) h = h.mul(this.config.dModel ** -0.5);
    const logits = this.lmHead.forward(h); // [B, T, V]
    let loss: Tensor | undefined;
    if (inputs.labels) {
      checkLabels(inputs.labels, this.config.vocabSize, "seq2seq LM");
      loss = crossEntropy(logits.view(-1, logits.shape[2]), inputs.labels.view(-1)); // [B·T, V]
    }
    return { ...(loss ? { loss } : {}), logits, pastKeyValues: dec.pastKeyValues, decoderHiddenStates: dec.hiddenStates, decoderAttentions: dec.attentions, crossAttentions: dec.crossAttentions, encoderLastHiddenState: enc.lastHiddenState, encoderHiddenStates: enc.hiddenStates, encoderAttentions: enc.attentions };
  }
}

/** T5's encoder alone (`T5EncoderModel`). @example const { lastHiddenState } = enc.forward({ inputIds, attentionMask }); */
export class T5EncoderModel extends T5PreTrainedModel {
  readonly shared: Embedding;
  readonly encoder: T5Stack;
  constructor(config: T5Config) {
    super(config);
    this.shared = this.registerModule("shared", new Embedding(config.vocabSize, config.dModel));
    this.encoder = this.registerModule("encoder", new T5Stack(config, this.shared, false));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    return { "encoder.embed_tokens.weight": "shared.weight" };
  }
  override generationConfig(): Record<string, unknown> | null {
    return null;
  }
  forward(inputs: Seq2SeqInputs): BaseModelOutput {
    return runEncoder(this.encoder, inputs);
  }
}
