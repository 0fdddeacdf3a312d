// GPT-2: config, decoder with key/value cache, and its heads, following HF transformers 4.37 models/gpt2.
import { arange, cat, empty, matmul, zeros, type Tensor } from "@tsorch/tensor";
import { Dropout, Embedding, LayerNorm, Linear, Module, ModuleList, init } from "@tsorch/nn";
import { PretrainedConfig, type PretrainedConfigInit } from "../../configuration-utils.js";
import { PreTrainedModel } from "../../modeling-utils.js";
import { getActivation } from "../../activations.js";
import { attend, mergeHeads, splitHeads } from "../../internal/attention.js";
import { causalAttentionMask } from "../../internal/attention-mask.js";
import { initStandardWeights } from "../../internal/init-weights.js";
import { causalLmOutput, runLayerStack } from "../../internal/layer-stack.js";
import { checkInputIds, sequenceClassificationLoss, tokenClassificationLoss } from "../../internal/heads.js";
import { lastNonPadLogits } from "../../internal/pooling.js";
import type { BaseModelOutput, LayerCache, LogitsOutput, ModelInputs } from "../../modeling-outputs.js";

/** GPT2Config's keys, camelCased. */
export interface GPT2ConfigInit extends PretrainedConfigInit {
  vocabSize?: number;
  nPositions?: number;
  nEmbd?: number;
  nLayer?: number;
  nHead?: number;
  nInner?: number | null;
  activationFunction?: string;
  residPdrop?: number;
  embdPdrop?: number;
  attnPdrop?: number;
  layerNormEpsilon?: number;
  initializerRange?: number;
  scaleAttnWeights?: boolean;
  useCache?: boolean;
  scaleAttnByInverseLayerIdx?: boolean;
  reorderAndUpcastAttn?: boolean;
  summaryType?: string;
  summaryUseProj?: boolean;
  summaryActivation?: string | null;
  summaryProjToLabels?: boolean;
  summaryFirstDropout?: number;
}

/**
 * GPT-2's configuration with HF's defaults (gpt2's shapes); `hiddenSize`, `numHiddenLayers`, … read HF's aliases.
 * @example const cfg = new GPT2Config({ nEmbd: 48, nLayer: 2, nHead: 4, vocabSize: 1000 });
 */
export class GPT2Config extends PretrainedConfig {
  static override modelType = "gpt2";
  vocabSize: number;
  nPositions: number;
  nEmbd: number;
  nLayer: number;
  nHead: number;
  nInner: number | null;
  activationFunction: string;
  residPdrop: number;
  embdPdrop: number;
  attnPdrop: number;
  layerNormEpsilon: number;
  initializerRange: number;
  scaleAttnWeights: boolean;
  useCache: boolean;
  scaleAttnByInverseLayerIdx: boolean;
  reorderAndUpcastAttn: boolean;
  summaryType: string;
  summaryUseProj: boolean;
  summaryActivation: string | null;
  summaryProjToLabels: boolean;
  summaryFirstDropout: number;

  constructor(init: GPT2ConfigInit = {}) {
    super({ bosTokenId: 50256, eosTokenId: 50256, ...init });
    this.vocabSize = init.vocabSize ?? 50257;
    this.nPositions = init.nPositions ?? 1024;
    this.nEmbd = init.nEmbd ?? 768;
    this.nLayer = init.nLayer ?? 12;
    this.nHead = init.nHead ?? 12;
    this.nInner = init.nInner ?? null;
    this.activationFunction = init.activationFunction ?? "gelu_new";
    this.residPdrop = init.residPdrop ?? 0.1;
    this.embdPdrop = init.embdPdrop ?? 0.1;
    this.attnPdrop = init.attnPdrop ?? 0.1;
    this.layerNormEpsilon = init.layerNormEpsilon ?? 1e-5;
    this.initializerRange = init.initializerRange ?? 0.02;
    this.scaleAttnWeights = init.scaleAttnWeights ?? true;
    this.useCache = init.useCache ?? true;
    this.scaleAttnByInverseLayerIdx = init.scaleAttnByInverseLayerIdx ?? false;
    this.reorderAndUpcastAttn = init.reorderAndUpcastAttn ?? false;
    this.summaryType = init.summaryType ?? "cls_index";
    this.summaryUseProj = init.summaryUseProj ?? true;
    this.summaryActivation = init.summaryActivation ?? null;
    this.summaryProjToLabels = init.summaryProjToLabels ?? true;
    this.summaryFirstDropout = init.summaryFirstDropout ?? 0.1;
    if (this.nEmbd % this.nHead !== 0) throw new RangeError(`${new.target.name}: nEmbd ${this.nEmbd} is not a multiple of nHead ${this.nHead}.`);
  }

  get hiddenSize(): number {
    return this.nEmbd;
  }
  get numHiddenLayers(): number {
    return this.nLayer;
  }
  get numAttentionHeads(): number {
    return this.nHead;
  }
  get maxPositionEmbeddings(): number {
    return this.nPositions;
  }
}

/** GPT-2's `Conv1D`: a linear layer whose weight is stored `[in, out]` (the transpose of nn.Linear's). */
export class Conv1D extends Module {
  weight: Tensor;
  bias: Tensor;
  constructor(readonly nf: number, readonly nx: number) {
    super();
    this.weight = this.registerParameter("weight", empty([nx, nf]));
    this.bias = this.registerParameter("bias", zeros([nf]));
    init.normal_(this.weight, 0, 0.02);
  }
  forward(x: Tensor): Tensor {
    return matmul(x, this.weight).add(this.bias); // [..., nf]
  }
}

/** `GPT2Attention`: fused q/k/v projection, causal attention over the cache, output projection. */
export class GPT2Attention extends Module {
  readonly cAttn: Conv1D;
  readonly cProj: Conv1D;
  readonly residDropout: Dropout;
  constructor(readonly config: GPT2Config, readonly layerIdx: number) {
    super();
    this.cAttn = this.registerModule("c_attn", new Conv1D(3 * config.nEmbd, config.nEmbd));
    this.cProj = this.registerModule("c_proj", new Conv1D(config.nEmbd, config.nEmbd));
    this.residDropout = this.registerModule("resid_dropout", new Dropout(config.residPdrop));
  }
  forward(x: Tensor, mask: Tensor, past: LayerCache | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor; present: LayerCache } {
    const e = this.config.nEmbd;
    const h = this.config.nHead;
    const [qx, kx, vx] = this.cAttn.forward(x).split(e, 2); // [B, T, E] each
    const q = splitHeads(qx, h); // [B, nh, T, hs]
    let k = splitHeads(kx, h); // [B, nh, T, hs]
    let v = splitHeads(vx, h); // [B, nh, T, hs]
    if (past) {
      k = catTime(past[0], k); // [B, nh, P+T, hs]
      v = catTime(past[1], v); // [B, nh, P+T, hs]
    }
    const hs = e / h;
    let scale = this.config.scaleAttnWeights ? 1 / Math.sqrt(hs) : 1;
    if (this.config.scaleAttnByInverseLayerIdx) scale /= this.layerIdx + 1;
    const eagerScale = this.config.scaleAttnWeights && !this.config.scaleAttnByInverseLayerIdx ? undefined : scale;
    const { out, weights } = attend(q, k, v, { mask, dropoutP: this.config.attnPdrop, training: this.training, needWeights: outputAttentions, scale: outputAttentions ? eagerScale : scale });
    return { out: this.residDropout.forward(this.cProj.forward(mergeHeads(out))), weights, present: [k, v] }; // [B, T, E]
  }
}

/** Appends new keys or values to the cached ones along time: `[B, nh, P, hs]` + `[B, nh, T, hs]`. */
export function catTime(past: Tensor, now: Tensor): Tensor {
  return past.shape[2] === 0 ? now : cat([past, now], 2); // [B, nh, P+T, hs]
}

/** `GPT2MLP`: expansion, activation, projection, dropout. */
export class GPT2MLP extends Module {
  readonly cFc: Conv1D;
  readonly cProj: Conv1D;
  readonly dropout: Dropout;
  readonly act: (x: Tensor) => Tensor;
  constructor(config: GPT2Config) {
    super();
    const inner = config.nInner ?? 4 * config.nEmbd;
    this.cFc = this.registerModule("c_fc", new Conv1D(inner, config.nEmbd));
    this.cProj = this.registerModule("c_proj", new Conv1D(config.nEmbd, inner));
    this.dropout = this.registerModule("dropout", new Dropout(config.residPdrop));
    this.act = getActivation(config.activationFunction);
  }
  forward(x: Tensor): Tensor {
    return this.dropout.forward(this.cProj.forward(this.act(this.cFc.forward(x))));
  }
}

/** `GPT2Block`: pre-norm attention and MLP with residuals. */
export class GPT2Block extends Module {
  readonly ln1: LayerNorm;
  readonly attn: GPT2Attention;
  readonly ln2: LayerNorm;
  readonly mlp: GPT2MLP;
  constructor(config: GPT2Config, layerIdx: number) {
    super();
    this.ln1 = this.registerModule("ln_1", new LayerNorm(config.nEmbd, { eps: config.layerNormEpsilon }));
    this.attn = this.registerModule("attn", new GPT2Attention(config, layerIdx));
    this.ln2 = this.registerModule("ln_2", new LayerNorm(config.nEmbd, { eps: config.layerNormEpsilon }));
    this.mlp = this.registerModule("mlp", new GPT2MLP(config));
  }
  forward(x: Tensor, mask: Tensor, past: LayerCache | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor; present: LayerCache } {
    const a = this.attn.forward(this.ln1.forward(x), mask, past, outputAttentions);
    const h = a.out.add(x);
    return { out: this.mlp.forward(this.ln2.forward(h)).add(h), weights: a.weights, present: a.present };
  }
}

/** GPT-2's `_init_weights` (with the scaled init of residual projections) and base prefix. */
export abstract class GPT2PreTrainedModel extends PreTrainedModel<GPT2Config> {
  static override configClass: typeof PretrainedConfig = GPT2Config;
  static override baseModelPrefix = "transformer";

  protected override initWeights(m: Module): void {
    const std = this.config.initializerRange;
    if (m instanceof Conv1D) {
      init.normal_(m.weight, 0, std);
      init.zeros_(m.bias);
    } else initStandardWeights(m, std, { layerNorm: true });
    // "Scale the weights of residual layers at initialization by 1/√N" (GPT-2 paper), as HF does for c_proj.
    if (m instanceof GPT2Attention || m instanceof GPT2MLP) init.normal_(m.cProj.weight, 0, std / Math.sqrt(2 * this.config.nLayer));
  }

  override generationConfig(): Record<string, unknown> | null {
    return { _from_model_config: true, bos_token_id: this.config.bosTokenId, eos_token_id: this.config.eosTokenId, transformers_version: "4.37.2" };
  }
}

/** Inputs of decoder-only models. */
export type DecoderInputs = ModelInputs;

/**
 * The bare GPT-2 decoder (`GPT2Model`), with the key/value cache of HF's legacy layout.
 * @example const { lastHiddenState, pastKeyValues } = model.forward({ inputIds, useCache: true });
 */
export class GPT2Model extends GPT2PreTrainedModel {
  readonly wte: Embedding;
  readonly wpe: Embedding;
  readonly drop: Dropout;
  readonly h: ModuleList<GPT2Block>;
  readonly lnF: LayerNorm;
  constructor(config: GPT2Config) {
    super(config);
    this.wte = this.registerModule("wte", new Embedding(config.vocabSize, config.nEmbd));
    this.wpe = this.registerModule("wpe", new Embedding(config.nPositions, config.nEmbd));
    this.drop = this.registerModule("drop", new Dropout(config.embdPdrop));
    this.h = this.registerModule("h", new ModuleList(Array.from({ length: config.nLayer }, (_, i) => new GPT2Block(config, i))));
    this.lnF = this.registerModule("ln_f", new LayerNorm(config.nEmbd, { eps: config.layerNormEpsilon }));
    this.postInit();
  }

  forward(inputs: DecoderInputs): BaseModelOutput {
    const { inputIds = null, inputsEmbeds = null, pastKeyValues = null } = inputs;
    if ((inputIds === null) === (inputsEmbeds === null)) throw new TypeError(`${this.constructor.name}: pass exactly one of inputIds and inputsEmbeds.`);
    const pastLen = pastKeyValues?.[0]?.[0]?.shape[2] ?? 0;
    if (inputIds) checkInputIds(inputIds, null, this.constructor.name);
    let x = inputsEmbeds ?? this.wte.forward(inputIds!); // [B, T, E]
    const [b, t] = x.shape;
    if (pastLen + t > this.config.nPositions)
      throw new RangeError(`${this.constructor.name}: ${pastLen + t} positions exceed n_positions (${this.config.nPositions}); shorten the prompt or generate fewer tokens.`);
    const pos = inputs.positionIds ?? arange(pastLen, pastLen + t, 1, { device: x.device }).view(1, t).expand([b, t]); // [B, T]
    x = x.add(this.wpe.forward(pos));
    if (inputs.tokenTypeIds) x = x.add(this.wte.forward(inputs.tokenTypeIds));
    x = this.drop.forward(x);
    const mask = causalAttentionMask(b, t, pastLen, inputs.attentionMask ?? null, x.device); // [B, 1, T, P+T]
    return runLayerStack(this.h, x, inputs, pastKeyValues, (block, x, past, outputAttentions) =>
      (block as GPT2Block).forward(x, mask, past, outputAttentions), (x) => this.lnF.forward(x));
  }
}

/**
 * GPT-2 with its language-model head tied to the token embeddings (`GPT2LMHeadModel`); labels are shifted inside.
 * @example const { logits, pastKeyValues } = lm.forward({ inputIds, useCache: true }); // logits [B, T, vocab]
 */
export class GPT2LMHeadModel extends GPT2PreTrainedModel {
  readonly transformer: GPT2Model;
  readonly lmHead: Linear;
  constructor(config: GPT2Config) {
    super(config);
    this.transformer = this.registerModule("transformer", new GPT2Model(config));
    this.lmHead = this.registerModule("lm_head", new Linear(config.nEmbd, config.vocabSize, { bias: false }));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    return this.config.tieWordEmbeddings ? { "lm_head.weight": "transformer.wte.weight" } : {};
  }
  forward(inputs: DecoderInputs): LogitsOutput {
    const out = this.transformer.forward(inputs);
    const logits = this.lmHead.forward(out.lastHiddenState); // [B, T, V]
    return causalLmOutput(out, logits, inputs.labels, this.config.vocabSize);
  }
}

/**
 * GPT-2 with a classification head read at the last non-pad token (`GPT2ForSequenceClassification`).
 * @example const { logits } = model.forward({ inputIds }); // [B, numLabels]
 */
export class GPT2ForSequenceClassification extends GPT2PreTrainedModel {
  readonly transformer: GPT2Model;
  readonly score: Linear;
  constructor(config: GPT2Config) {
    super(config);
    this.transformer = this.registerModule("transformer", new GPT2Model(config));
    this.score = this.registerModule("score", new Linear(config.nEmbd, config.numLabels, { bias: false }));
    this.postInit();
  }
  forward(inputs: DecoderInputs): LogitsOutput {
    const out = this.transformer.forward(inputs);
    const all = this.score.forward(out.lastHiddenState); // [B, T, C]
    const logits = lastNonPadLogits(all, inputs.inputIds ?? null, this.config.padTokenId, this.constructor.name); // [B, C]
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : undefined;
    return { ...(loss ? { loss } : {}), logits, pastKeyValues: out.pastKeyValues, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/** GPT-2 with a per-token classification head (`GPT2ForTokenClassification`). @example model.forward({ inputIds }).logits // [B, T, C] */
export class GPT2ForTokenClassification extends GPT2PreTrainedModel {
  readonly transformer: GPT2Model;
  readonly dropout: Dropout;
  readonly classifier: Linear;
  constructor(config: GPT2Config) {
    super(config);
    this.transformer = this.registerModule("transformer", new GPT2Model(config));
    const p = (config.getExtra("classifier_dropout") ?? config.getExtra("hidden_dropout") ?? 0.1) as number;
    this.dropout = this.registerModule("dropout", new Dropout(p));
    this.classifier = this.registerModule("classifier", new Linear(config.nEmbd, config.numLabels));
    this.postInit();
  }
  forward(inputs: DecoderInputs): LogitsOutput {
    const out = this.transformer.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.lastHiddenState)); // [B, T, C]
    const loss = inputs.labels ? tokenClassificationLoss(logits, inputs.labels, this.config.numLabels) : undefined;
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}
