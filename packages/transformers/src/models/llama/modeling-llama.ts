// Llama: config, decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU) with key/value cache, heads — HF transformers 4.37 models/llama.
import { arange, cat, empty, fromTypedArray, rmsNorm, silu, type Tensor } from "@tsorch/tensor";
import { Embedding, Linear, Module, ModuleList } from "@tsorch/nn";
import { PretrainedConfig, type PretrainedConfigInit } from "../../configuration-utils.js";
import { PreTrainedModel } from "../../modeling-utils.js";
import { getActivation } from "../../activations.js";
import { attend, mergeHeads } from "../../internal/attention.js";
import { causalAttentionMask } from "../../internal/attention-mask.js";
import { initStandardWeights } from "../../internal/init-weights.js";
import { causalLmOutput, runLayerStack } from "../../internal/layer-stack.js";
import { checkInputIds, sequenceClassificationLoss } from "../../internal/heads.js";
import { lastNonPadLogits } from "../../internal/pooling.js";
import type { BaseModelOutput, LayerCache, LogitsOutput, ModelInputs } from "../../modeling-outputs.js";

/** LlamaConfig's keys, camelCased. */
export interface LlamaConfigInit extends PretrainedConfigInit {
  vocabSize?: number;
  hiddenSize?: number;
  intermediateSize?: number;
  numHiddenLayers?: number;
  numAttentionHeads?: number;
  numKeyValueHeads?: number | null;
  hiddenAct?: string;
  maxPositionEmbeddings?: number;
  initializerRange?: number;
  rmsNormEps?: number;
  useCache?: boolean;
  pretrainingTp?: number;
  ropeTheta?: number;
  ropeScaling?: { type: string; factor: number } | null;
  attentionBias?: boolean;
  attentionDropout?: number;
}

/**
 * Llama's configuration with HF's defaults (Llama-2-7B's shapes).
 * @example const cfg = new LlamaConfig({ hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 128 });
 */
export class LlamaConfig extends PretrainedConfig {
  static override modelType = "llama";
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  hiddenAct: string;
  maxPositionEmbeddings: number;
  initializerRange: number;
  rmsNormEps: number;
  useCache: boolean;
  pretrainingTp: number;
  ropeTheta: number;
  ropeScaling: { type: string; factor: number } | null;
  attentionBias: boolean;
  attentionDropout: number;

  constructor(init: LlamaConfigInit = {}) {
    super({ bosTokenId: 1, eosTokenId: 2, tieWordEmbeddings: false, ...init });
    this.vocabSize = init.vocabSize ?? 32000;
    this.hiddenSize = init.hiddenSize ?? 4096;
    this.intermediateSize = init.intermediateSize ?? 11008;
    this.numHiddenLayers = init.numHiddenLayers ?? 32;
    this.numAttentionHeads = init.numAttentionHeads ?? 32;
    this.numKeyValueHeads = init.numKeyValueHeads ?? this.numAttentionHeads;
    this.hiddenAct = init.hiddenAct ?? "silu";
    this.maxPositionEmbeddings = init.maxPositionEmbeddings ?? 2048;
    this.initializerRange = init.initializerRange ?? 0.02;
    this.rmsNormEps = init.rmsNormEps ?? 1e-6;
    this.useCache = init.useCache ?? true;
    this.pretrainingTp = init.pretrainingTp ?? 1;
    this.ropeTheta = init.ropeTheta ?? 10000;
    this.ropeScaling = init.ropeScaling ?? null;
    this.attentionBias = init.attentionBias ?? false;
    this.attentionDropout = init.attentionDropout ?? 0;
    if (this.hiddenSize % this.numAttentionHeads !== 0) throw new RangeError(`${new.target.name}: hiddenSize ${this.hiddenSize} is not a multiple of numAttentionHeads ${this.numAttentionHeads}.`);
    if (this.numAttentionHeads % this.numKeyValueHeads !== 0)
      throw new RangeError(`${new.target.name}: numAttentionHeads ${this.numAttentionHeads} is not a multiple of numKeyValueHeads ${this.numKeyValueHeads}.`);
    if (this.ropeScaling && !["linear", "dynamic"].includes(this.ropeScaling.type))
      throw new RangeError(`${new.target.name}: ropeScaling type ${JSON.stringify(this.ropeScaling.type)} is not supported; use "linear" or "dynamic".`);
  }
}

/** `LlamaRMSNorm`: x / rms(x) · weight, computed in float32. */
export class LlamaRMSNorm extends Module {
  weight: Tensor;
  constructor(readonly size: number, readonly eps: number) {
    super();
    this.weight = this.registerParameter("weight", empty([size]).fill_(1));
  }
  forward(x: Tensor): Tensor {
    return rmsNorm(x, [this.size], this.weight, this.eps);
  }
}

/**
 * The rotary tables of `LlamaRotaryEmbedding`: inv_freq = θ^(-2i/d), cos/sin of position·inv_freq duplicated over
 * both halves, all in float32 as HF computes them; `cosSin(positionIds)` gathers `[B, T, hs]` tables.
 */
export class LlamaRotaryEmbedding {
  readonly invFreq: Float32Array;
  constructor(readonly dim: number, readonly base: number, readonly scaling: { type: string; factor: number } | null, readonly maxPositions: number) {
    this.invFreq = new Float32Array(dim / 2);
    for (let i = 0; i < dim / 2; i++) this.invFreq[i] = 1 / Math.fround(Math.pow(base, Math.fround((2 * i) / dim)));
  }

  /** cos and sin `[B, T, hs]` for integer positions `[B, T]`. */
  cosSin(positionIds: Tensor, device: string): [Tensor, Tensor] {
    const pos = positionIds.to("int64").contiguous().dataSync() as BigInt64Array;
    const [b, t] = positionIds.shape;
    const half = this.dim / 2;
    let inv = this.invFreq;
    let factor = 1;
    const maxPos = Number(pos.reduce((m, p) => (p > m ? p : m), 0n)) + 1;
    if (this.scaling?.type === "linear") factor = this.scaling.factor;
    if (this.scaling?.type === "dynamic" && maxPos > this.maxPositions) {
      const f = this.scaling.factor;
      const base = this.base * Math.pow((f * maxPos) / this.maxPositions - (f - 1), this.dim / (this.dim - 2));
      inv = new Float32Array(half).map((_, i) => 1 / Math.fround(Math.pow(base, Math.fround((2 * i) / this.dim))));
    }
    const cos = new Float32Array(b * t * this.dim);
    const sin = new Float32Array(b * t * this.dim);
    for (let r = 0; r < b * t; r++) {
      const p = Math.fround(Number(pos[r]) / factor);
      for (let i = 0; i < half; i++) {
        const f = Math.fround(p * inv[i]);
        const c = Math.fround(Math.cos(f));
        const s = Math.fround(Math.sin(f));
        cos[r * this.dim + i] = c;
        cos[r * this.dim + i + half] = c;
        sin[r * this.dim + i] = s;
        sin[r * this.dim + i + half] = s;
      }
    }
    const mk = (a: Float32Array) => tensorFrom(a, [b, 1, t, this.dim], device); // [B, 1, T, hs]
    return [mk(cos), mk(sin)];
  }
}

function tensorFrom(a: Float32Array, shape: number[], device: string): Tensor {
  const t = fromTypedArray(a, shape);
  return device === "cpu" ? t : t.to(device);
}

/** `rotate_half`: [x1, x2] → [-x2, x1] over the last dim. */
function rotateHalf(x: Tensor): Tensor {
  const half = x.shape[x.ndim - 1] / 2;
  const [x1, x2] = x.split(half, -1);
  return cat([x2.neg(), x1], -1);
}

/** q·cos + rotate_half(q)·sin (`apply_rotary_pos_emb`). */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  return x.mul(cos).add(rotateHalf(x).mul(sin)); // [B, nh, T, hs]
}

/** `repeat_kv`: `[B, nkv, S, hs]` → `[B, nkv·nrep, S, hs]` for grouped-query attention. */
export function repeatKv(x: Tensor, nRep: number): Tensor {
  if (nRep === 1) return x;
  const [b, nkv, s, hs] = x.shape;
  return x.view(b, nkv, 1, s, hs).expand([b, nkv, nRep, s, hs]).reshape([b, nkv * nRep, s, hs]); // [B, nh, S, hs]
}

/** `LlamaAttention`: projections, RoPE, the cache, grouped-query attention. */
export class LlamaAttention extends Module {
  readonly qProj: Linear;
  readonly kProj: Linear;
  readonly vProj: Linear;
  readonly oProj: Linear;
  readonly headDim: number;
  constructor(readonly config: LlamaConfig) {
    super();
    const c = config;
    this.headDim = c.hiddenSize / c.numAttentionHeads;
    const bias = { bias: c.attentionBias };
    this.qProj = this.registerModule("q_proj", new Linear(c.hiddenSize, c.numAttentionHeads * this.headDim, bias));
    this.kProj = this.registerModule("k_proj", new Linear(c.hiddenSize, c.numKeyValueHeads * this.headDim, bias));
    this.vProj = this.registerModule("v_proj", new Linear(c.hiddenSize, c.numKeyValueHeads * this.headDim, bias));
    this.oProj = this.registerModule("o_proj", new Linear(c.numAttentionHeads * this.headDim, c.hiddenSize, bias));
  }
  forward(x: Tensor, mask: Tensor, cos: Tensor, sin: Tensor, past: LayerCache | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor; present: LayerCache } {
    const [b, t] = x.shape;
    const c = this.config;
    const hs = this.headDim;
    const q = applyRotary(this.qProj.forward(x).view(b, t, c.numAttentionHeads, hs).transpose(1, 2), cos, sin); // [B, nh, T, hs]
    let k = applyRotary(this.kProj.forward(x).view(b, t, c.numKeyValueHeads, hs).transpose(1, 2), cos, sin); // [B, nkv, T, hs]
    let v = this.vProj.forward(x).view(b, t, c.numKeyValueHeads, hs).transpose(1, 2); // [B, nkv, T, hs]
    if (past) {
      k = cat([past[0], k], 2); // [B, nkv, P+T, hs]
      v = cat([past[1], v], 2); // [B, nkv, P+T, hs]
    }
    const rep = c.numAttentionHeads / c.numKeyValueHeads;
    const { out, weights } = attend(q, repeatKv(k, rep), repeatKv(v, rep), { mask, dropoutP: c.attentionDropout, training: this.training, needWeights: outputAttentions });
    return { out: this.oProj.forward(mergeHeads(out)), weights, present: [k, v] }; // [B, T, H]
  }
}

/** `LlamaMLP`: down(act(gate(x)) · up(x)) — SwiGLU with SiLU. */
export class LlamaMLP extends Module {
  readonly gateProj: Linear;
  readonly upProj: Linear;
  readonly downProj: Linear;
  readonly act: (x: Tensor) => Tensor;
  constructor(config: LlamaConfig) {
    super();
    this.gateProj = this.registerModule("gate_proj", new Linear(config.hiddenSize, config.intermediateSize, { bias: false }));
    this.upProj = this.registerModule("up_proj", new Linear(config.hiddenSize, config.intermediateSize, { bias: false }));
    this.downProj = this.registerModule("down_proj", new Linear(config.intermediateSize, config.hiddenSize, { bias: false }));
    this.act = config.hiddenAct === "silu" ? silu : getActivation(config.hiddenAct);
  }
  forward(x: Tensor): Tensor {
    return this.downProj.forward(this.act(this.gateProj.forward(x)).mul(this.upProj.forward(x)));
  }
}

/** `LlamaDecoderLayer`: pre-norm attention and MLP with residuals. */
export class LlamaDecoderLayer extends Module {
  readonly selfAttn: LlamaAttention;
  readonly mlp: LlamaMLP;
  readonly inputLayernorm: LlamaRMSNorm;
  readonly postAttentionLayernorm: LlamaRMSNorm;
  constructor(config: LlamaConfig) {
    super();
    this.selfAttn = this.registerModule("self_attn", new LlamaAttention(config));
    this.mlp = this.registerModule("mlp", new LlamaMLP(config));
    this.inputLayernorm = this.registerModule("input_layernorm", new LlamaRMSNorm(config.hiddenSize, config.rmsNormEps));
    this.postAttentionLayernorm = this.registerModule("post_attention_layernorm", new LlamaRMSNorm(config.hiddenSize, config.rmsNormEps));
  }
  forward(x: Tensor, mask: Tensor, cos: Tensor, sin: Tensor, past: LayerCache | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor; present: LayerCache } {
    const a = this.selfAttn.forward(this.inputLayernorm.forward(x), mask, cos, sin, past, outputAttentions);
    const h = x.add(a.out);
    return { out: h.add(this.mlp.forward(this.postAttentionLayernorm.forward(h))), weights: a.weights, present: a.present };
  }
}

/** Llama's `_init_weights` and base prefix. */
export abstract class LlamaPreTrainedModel extends PreTrainedModel<LlamaConfig> {
  static override configClass: typeof PretrainedConfig = LlamaConfig;
  static override baseModelPrefix = "model";
  protected override initWeights(m: Module): void {
    initStandardWeights(m, this.config.initializerRange);
  }
  override generationConfig(): Record<string, unknown> | null {
    return { _from_model_config: true, bos_token_id: this.config.bosTokenId, eos_token_id: this.config.eosTokenId, pad_token_id: this.config.padTokenId ?? undefined, transformers_version: "4.37.2" };
  }
}

/**
 * The bare Llama decoder (`LlamaModel`), with the key/value cache of HF's legacy layout (`[B, nkv, T, hs]` per layer).
 * @example const { lastHiddenState, pastKeyValues } = model.forward({ inputIds, useCache: true });
 */
export class LlamaModel extends LlamaPreTrainedModel {
  readonly embedTokens: Embedding;
  readonly layers: ModuleList<LlamaDecoderLayer>;
  readonly norm: LlamaRMSNorm;
  readonly rotary: LlamaRotaryEmbedding;
  constructor(config: LlamaConfig) {
    super(config);
    this.embedTokens = this.registerModule("embed_tokens", new Embedding(config.vocabSize, config.hiddenSize, { paddingIdx: config.padTokenId }));
    this.layers = this.registerModule("layers", new ModuleList(Array.from({ length: config.numHiddenLayers }, () => new LlamaDecoderLayer(config))));
    this.norm = this.registerModule("norm", new LlamaRMSNorm(config.hiddenSize, config.rmsNormEps));
    this.rotary = new LlamaRotaryEmbedding(config.hiddenSize / config.numAttentionHeads, config.ropeTheta, config.ropeScaling, config.maxPositionEmbeddings);
    this.postInit();
  }
  forward(inputs: ModelInputs): BaseModelOutput {
    const { inputIds = null, inputsEmbeds = null, pastKeyValues = null } = inputs;
    if ((inputIds === null) === (inputsEmbeds === null)) throw new TypeError(`${this.constructor.name}: pass exactly one of inputIds and inputsEmbeds.`);
    if (inputIds) checkInputIds(inputIds, null, this.constructor.name);
    let x = inputsEmbeds ?? this.embedTokens.forward(inputIds!); // [B, T, H]
    const [b, t] = x.shape;
    const pastLen = pastKeyValues?.[0]?.[0]?.shape[2] ?? 0;
    // Built on the CPU: the rotary tables are computed on the host from the position values, whatever the device.
    const pos = inputs.positionIds ?? arange(pastLen, pastLen + t, 1, { device: "cpu" }).view(1, t).expand([b, t]); // [B, T]
    const [cos, sin] = this.rotary.cosSin(pos, x.device); // [B, 1, T, hs]
    const mask = causalAttentionMask(b, t, pastLen, inputs.attentionMask ?? null, x.device); // [B, 1, T, P+T]
    return runLayerStack(this.layers, x, inputs, pastKeyValues, (layer, x, past, outputAttentions) =>
      (layer as LlamaDecoderLayer).forward(x, mask, cos, sin, past, outputAttentions), (x) => this.norm.forward(x));
  }
}

/**
 * Llama with its language-model head (`LlamaForCausalLM`), tied to the embeddings when `tieWordEmbeddings`.
 * @example const { logits } = lm.forward({ inputIds, attentionMask }); // [B, T, vocab]
 */
export class LlamaForCausalLM extends LlamaPreTrainedModel {
  readonly model: LlamaModel;
  readonly lmHead: Linear;
  constructor(config: LlamaConfig) {
    super(config);
    this.model = this.registerModule("model", new LlamaModel(config));
    this.lmHead = this.registerModule("lm_head", new Linear(config.hiddenSize, config.vocabSize, { bias: false }));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    return this.config.tieWordEmbeddings ? { "lm_head.weight": "model.embed_tokens.weight" } : {};
  }
  forward(inputs: ModelInputs): LogitsOutput {
    const out = this.model.forward(inputs);
    const logits = this.lmHead.forward(out.lastHiddenState); // [B, T, V]
    return causalLmOutput(out, logits, inputs.labels, this.config.vocabSize);
  }
}

/** Llama with a classification head read at the last non-pad token. @example model.forward({ inputIds }).logits // [B, numLabels] */
export class LlamaForSequenceClassification extends LlamaPreTrainedModel {
  readonly model: LlamaModel;
  readonly score: Linear;
  constructor(config: LlamaConfig) {
    super(config);
    this.model = this.registerModule("model", new LlamaModel(config));
    this.score = this.registerModule("score", new Linear(config.hiddenSize, config.numLabels, { bias: false }));
    this.postInit();
  }
  forward(inputs: ModelInputs): LogitsOutput {
    const out = this.model.forward(inputs);
    const logits = lastNonPadLogits(this.score.forward(out.lastHiddenState), inputs.inputIds ?? null, this.config.padTokenId, this.constructor.name); // [B, C]
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : undefined;
    return { ...(loss ? { loss } : {}), logits, pastKeyValues: out.pastKeyValues, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}
