// DistilBERT: config, encoder and every head, following HF transformers 4.37 models/distilbert.
import { arange, crossEntropy, fromTypedArray, relu, type Tensor } from "@tsorch/tensor";
import { Dropout, Embedding, LayerNorm, Linear, Module, ModuleList, init } from "@tsorch/nn";
import { PretrainedConfig, type PretrainedConfigInit } from "../../configuration-utils.js";
import { PreTrainedModel } from "../../modeling-utils.js";
import { getActivation } from "../../activations.js";
import { attend, mergeHeads, splitHeads } from "../../internal/attention.js";
import { expandPaddingMask } from "../../internal/attention-mask.js";
import { initStandardWeights } from "../../internal/init-weights.js";
import { checkInputIds, checkLabels, sequenceClassificationLoss, tokenClassificationLoss } from "../../internal/heads.js";
import { spanOutputs, type QuestionAnsweringInputs } from "../bert/modeling-bert.js";
import type { BaseModelOutput, LogitsOutput, ModelInputs, QuestionAnsweringOutput } from "../../modeling-outputs.js";

/** DistilBertConfig's keys, camelCased. */
export interface DistilBertConfigInit extends PretrainedConfigInit {
  vocabSize?: number;
  maxPositionEmbeddings?: number;
  sinusoidalPosEmbds?: boolean;
  nLayers?: number;
  nHeads?: number;
  dim?: number;
  hiddenDim?: number;
  dropout?: number;
  attentionDropout?: number;
  activation?: string;
  initializerRange?: number;
  qaDropout?: number;
  seqClassifDropout?: number;
}

/**
 * DistilBERT's configuration with HF's defaults (`hiddenSize` reads `dim`, as HF's attribute map).
 * @example const cfg = new DistilBertConfig({ dim: 64, nLayers: 2, nHeads: 2, hiddenDim: 128 });
 */
export class DistilBertConfig extends PretrainedConfig {
  static override modelType = "distilbert";
  vocabSize: number;
  maxPositionEmbeddings: number;
  sinusoidalPosEmbds: boolean;
  nLayers: number;
  nHeads: number;
  dim: number;
  hiddenDim: number;
  dropout: number;
  attentionDropout: number;
  activation: string;
  initializerRange: number;
  qaDropout: number;
  seqClassifDropout: number;

  constructor(init: DistilBertConfigInit = {}) {
    super({ padTokenId: 0, ...init });
    this.vocabSize = init.vocabSize ?? 30522;
    this.maxPositionEmbeddings = init.maxPositionEmbeddings ?? 512;
    this.sinusoidalPosEmbds = init.sinusoidalPosEmbds ?? false;
    this.nLayers = init.nLayers ?? 6;
    this.nHeads = init.nHeads ?? 12;
    this.dim = init.dim ?? 768;
    this.hiddenDim = init.hiddenDim ?? 3072;
    this.dropout = init.dropout ?? 0.1;
    this.attentionDropout = init.attentionDropout ?? 0.1;
    this.activation = init.activation ?? "gelu";
    this.initializerRange = init.initializerRange ?? 0.02;
    this.qaDropout = init.qaDropout ?? 0.1;
    this.seqClassifDropout = init.seqClassifDropout ?? 0.2;
    if (this.dim % this.nHeads !== 0) throw new RangeError(`${new.target.name}: dim ${this.dim} is not a multiple of nHeads ${this.nHeads}.`);
  }

  /** HF's attribute map: `hidden_size` → `dim`. */
  get hiddenSize(): number {
    return this.dim;
  }
}

/** The sinusoidal table of `create_sinusoidal_embeddings`: sin on even features, cos on odd ones, in float64 then cast. */
function sinusoidalTable(n: number, dim: number): Tensor {
  const out = new Float32Array(n * dim);
  for (let pos = 0; pos < n; pos++)
    for (let j = 0; j < dim; j++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
      out[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  return fromTypedArray(out, [n, dim]);
}

/** Word + position embeddings, LayerNorm, dropout (DistilBERT's `Embeddings`). */
export class DistilBertEmbeddings extends Module {
  readonly wordEmbeddings: Embedding;
  readonly positionEmbeddings: Embedding;
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;
  constructor(readonly config: DistilBertConfig) {
    super();
    this.wordEmbeddings = this.registerModule("word_embeddings", new Embedding(config.vocabSize, config.dim, { paddingIdx: config.padTokenId }));
    this.positionEmbeddings = this.registerModule("position_embeddings", new Embedding(config.maxPositionEmbeddings, config.dim));
    this.layerNorm = this.registerModule("LayerNorm", new LayerNorm(config.dim, { eps: 1e-12 }));
    this.dropout = this.registerModule("dropout", new Dropout(config.dropout));
  }
  forward(inputIds: Tensor | null, inputsEmbeds: Tensor | null): Tensor {
    const x = inputsEmbeds ?? this.wordEmbeddings.forward(inputIds!); // [B, T, D]
    const [b, t] = x.shape;
    const pos = arange(0, t, 1, { device: x.device }).view(1, t).expand([b, t]); // [B, T]
    return this.dropout.forward(this.layerNorm.forward(x.add(this.positionEmbeddings.forward(pos))));
  }
}

/** `MultiHeadSelfAttention`: q/k/v/out projections named `q_lin`, `k_lin`, `v_lin`, `out_lin`. */
export class DistilBertAttention extends Module {
  readonly qLin: Linear;
  readonly kLin: Linear;
  readonly vLin: Linear;
  readonly outLin: Linear;
  constructor(readonly config: DistilBertConfig) {
    super();
    this.qLin = this.registerModule("q_lin", new Linear(config.dim, config.dim));
    this.kLin = this.registerModule("k_lin", new Linear(config.dim, config.dim));
    this.vLin = this.registerModule("v_lin", new Linear(config.dim, config.dim));
    this.outLin = this.registerModule("out_lin", new Linear(config.dim, config.dim));
  }
  forward(x: Tensor, mask: Tensor | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor } {
    const h = this.config.nHeads;
    const q = splitHeads(this.qLin.forward(x), h); // [B, nh, T, hs]
    const k = splitHeads(this.kLin.forward(x), h); // [B, nh, T, hs]
    const v = splitHeads(this.vLin.forward(x), h); // [B, nh, T, hs]
    const { out, weights } = attend(q, k, v, { mask, dropoutP: this.config.attentionDropout, training: this.training, needWeights: outputAttentions });
    return { out: this.outLin.forward(mergeHeads(out)), weights }; // [B, T, D]
  }
}

/** `FFN`: lin1, activation, lin2, dropout. */
export class DistilBertFFN extends Module {
  readonly lin1: Linear;
  readonly lin2: Linear;
  readonly dropout: Dropout;
  readonly act: (x: Tensor) => Tensor;
  constructor(config: DistilBertConfig) {
    super();
    this.dropout = this.registerModule("dropout", new Dropout(config.dropout));
    this.lin1 = this.registerModule("lin1", new Linear(config.dim, config.hiddenDim));
    this.lin2 = this.registerModule("lin2", new Linear(config.hiddenDim, config.dim));
    this.act = getActivation(config.activation);
  }
  forward(x: Tensor): Tensor {
    return this.dropout.forward(this.lin2.forward(this.act(this.lin1.forward(x))));
  }
}

/** `TransformerBlock`: attention and FFN, each with a residual post-LayerNorm. */
export class DistilBertBlock extends Module {
  readonly attention: DistilBertAttention;
  readonly saLayerNorm: LayerNorm;
  readonly ffn: DistilBertFFN;
  readonly outputLayerNorm: LayerNorm;
  constructor(config: DistilBertConfig) {
    super();
    this.attention = this.registerModule("attention", new DistilBertAttention(config));
    this.saLayerNorm = this.registerModule("sa_layer_norm", new LayerNorm(config.dim, { eps: 1e-12 }));
    this.ffn = this.registerModule("ffn", new DistilBertFFN(config));
    this.outputLayerNorm = this.registerModule("output_layer_norm", new LayerNorm(config.dim, { eps: 1e-12 }));
  }
  forward(x: Tensor, mask: Tensor | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor } {
    const { out, weights } = this.attention.forward(x, mask, outputAttentions);
    const sa = this.saLayerNorm.forward(out.add(x));
    return { out: this.outputLayerNorm.forward(this.ffn.forward(sa).add(sa)), weights };
  }
}

/** DistilBERT's `_init_weights` and base prefix. */
export abstract class DistilBertPreTrainedModel extends PreTrainedModel<DistilBertConfig> {
  static override configClass: typeof PretrainedConfig = DistilBertConfig;
  static override baseModelPrefix = "distilbert";

  protected override initWeights(m: Module): void {
    initStandardWeights(m, this.config.initializerRange, { layerNorm: true });
    if (m instanceof DistilBertEmbeddings && this.config.sinusoidalPosEmbds) {
      m.positionEmbeddings.weight.detach().copy_(sinusoidalTable(this.config.maxPositionEmbeddings, this.config.dim));
      m.positionEmbeddings.weight.requiresGrad = false;
    }
  }
}

/** The bare DistilBERT encoder. @example const { lastHiddenState } = model.forward({ inputIds, attentionMask }); */
export class DistilBertModel extends DistilBertPreTrainedModel {
  readonly embeddings: DistilBertEmbeddings;
  readonly transformer: Module & { layer: ModuleList<DistilBertBlock> };
  constructor(config: DistilBertConfig) {
    super(config);
    this.embeddings = this.registerModule("embeddings", new DistilBertEmbeddings(config));
    const t = new (class extends Module {
      readonly layer = this.registerModule("layer", new ModuleList(Array.from({ length: config.nLayers }, () => new DistilBertBlock(config))));
      forward(): void {}
    })();
    this.transformer = this.registerModule("transformer", t);
    this.postInit();
  }
  forward(inputs: ModelInputs): BaseModelOutput {
    const { inputIds = null, inputsEmbeds = null } = inputs;
    if ((inputIds === null) === (inputsEmbeds === null)) throw new TypeError(`${this.constructor.name}: pass exactly one of inputIds and inputsEmbeds.`);
    if (inputIds) checkInputIds(inputIds, this.config.maxPositionEmbeddings, this.constructor.name);
    let x = this.embeddings.forward(inputIds, inputsEmbeds); // [B, T, D]
    const mask = inputs.attentionMask ? expandPaddingMask(inputs.attentionMask) : null; // [B, 1, 1, T]
    const hiddenStates: Tensor[] = [];
    const attentions: Tensor[] = [];
    for (const layer of this.transformer.layer) {
      if (inputs.outputHiddenStates) hiddenStates.push(x);
      const { out, weights } = (layer as DistilBertBlock).forward(x, mask, !!inputs.outputAttentions);
      if (weights) attentions.push(weights);
      x = out;
    }
    if (inputs.outputHiddenStates) hiddenStates.push(x);
    return { lastHiddenState: x, ...(inputs.outputHiddenStates ? { hiddenStates } : {}), ...(inputs.outputAttentions ? { attentions } : {}) };
  }
}

/** pre_classifier + ReLU + dropout + classifier on the first token: DistilBERT's sequence heads. */
function pooledLogits(m: { preClassifier: Linear; dropout: Dropout; classifier: Linear }, h: Tensor): Tensor {
  return m.classifier.forward(m.dropout.forward(relu(m.preClassifier.forward(h.select(1, 0))))); // [B, C]
}

/** DistilBERT for sequence classification. @example model.forward({ inputIds, labels }).loss */
export class DistilBertForSequenceClassification extends DistilBertPreTrainedModel {
  readonly distilbert: DistilBertModel;
  readonly preClassifier: Linear;
  readonly classifier: Linear;
  readonly dropout: Dropout;
  constructor(config: DistilBertConfig) {
    super(config);
    this.distilbert = this.registerModule("distilbert", new DistilBertModel(config));
    this.preClassifier = this.registerModule("pre_classifier", new Linear(config.dim, config.dim));
    this.classifier = this.registerModule("classifier", new Linear(config.dim, config.numLabels));
    this.dropout = this.registerModule("dropout", new Dropout(config.seqClassifDropout));
    this.postInit();
  }
  forward(inputs: ModelInputs): LogitsOutput {
    const out = this.distilbert.forward(inputs);
    const logits = pooledLogits(this, out.lastHiddenState);
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : undefined;
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/** DistilBERT for token classification. @example model.forward({ inputIds }).logits // [B, T, numLabels] */
export class DistilBertForTokenClassification extends DistilBertPreTrainedModel {
  readonly distilbert: DistilBertModel;
  readonly dropout: Dropout;
  readonly classifier: Linear;
  constructor(config: DistilBertConfig) {
    super(config);
    this.distilbert = this.registerModule("distilbert", new DistilBertModel(config));
    this.dropout = this.registerModule("dropout", new Dropout(config.dropout));
    this.classifier = this.registerModule("classifier", new Linear(config.dim, config.numLabels));
    this.postInit();
  }
  forward(inputs: ModelInputs): LogitsOutput {
    const out = this.distilbert.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.lastHiddenState)); // [B, T, C]
    const loss = inputs.labels ? tokenClassificationLoss(logits, inputs.labels, this.config.numLabels) : undefined;
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/** DistilBERT for span question answering. @example model.forward({ inputIds }).endLogits */
export class DistilBertForQuestionAnswering extends DistilBertPreTrainedModel {
  readonly distilbert: DistilBertModel;
  readonly qaOutputs: Linear;
  readonly dropout: Dropout;
  constructor(config: DistilBertConfig) {
    super(config);
    if (config.numLabels !== 2) throw new RangeError(`DistilBertForQuestionAnswering: numLabels must be 2 (start and end), got ${config.numLabels}.`);
    this.distilbert = this.registerModule("distilbert", new DistilBertModel(config));
    this.qaOutputs = this.registerModule("qa_outputs", new Linear(config.dim, config.numLabels));
    this.dropout = this.registerModule("dropout", new Dropout(config.qaDropout));
    this.postInit();
  }
  forward(inputs: QuestionAnsweringInputs): QuestionAnsweringOutput {
    const out = this.distilbert.forward(inputs);
    return spanOutputs(this.qaOutputs.forward(this.dropout.forward(out.lastHiddenState)), inputs, out);
  }
}

/** DistilBERT with the masked-LM head; `vocab_projector` is tied to the word embeddings. @example model.forward({ inputIds, labels }).loss */
export class DistilBertForMaskedLM extends DistilBertPreTrainedModel {
  readonly distilbert: DistilBertModel;
  readonly vocabTransform: Linear;
  readonly vocabLayerNorm: LayerNorm;
  readonly vocabProjector: Linear;
  readonly act: (x: Tensor) => Tensor;
  constructor(config: DistilBertConfig) {
    super(config);
    this.act = getActivation(config.activation);
    this.distilbert = this.registerModule("distilbert", new DistilBertModel(config));
    this.vocabTransform = this.registerModule("vocab_transform", new Linear(config.dim, config.dim));
    this.vocabLayerNorm = this.registerModule("vocab_layer_norm", new LayerNorm(config.dim, { eps: 1e-12 }));
    this.vocabProjector = this.registerModule("vocab_projector", new Linear(config.dim, config.vocabSize));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    return this.config.tieWordEmbeddings ? { "vocab_projector.weight": "distilbert.embeddings.word_embeddings.weight" } : {};
  }
  forward(inputs: ModelInputs): LogitsOutput {
    const out = this.distilbert.forward(inputs);
    const logits = this.vocabProjector.forward(this.vocabLayerNorm.forward(this.act(this.vocabTransform.forward(out.lastHiddenState)))); // [B, T, V]
    let loss: Tensor | undefined;
    if (inputs.labels) {
      checkLabels(inputs.labels, this.config.vocabSize, "masked LM");
      loss = crossEntropy(logits.view(-1, this.config.vocabSize), inputs.labels.view(-1)); // [B·T, V]
    }
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/** DistilBERT for multiple choice: inputs `[B, choices, T]`. @example model.forward({ inputIds }).logits // [B, choices] */
export class DistilBertForMultipleChoice extends DistilBertPreTrainedModel {
  readonly distilbert: DistilBertModel;
  readonly preClassifier: Linear;
  readonly classifier: Linear;
  readonly dropout: Dropout;
  constructor(config: DistilBertConfig) {
    super(config);
    this.distilbert = this.registerModule("distilbert", new DistilBertModel(config));
    this.preClassifier = this.registerModule("pre_classifier", new Linear(config.dim, config.dim));
    this.classifier = this.registerModule("classifier", new Linear(config.dim, 1));
    this.dropout = this.registerModule("dropout", new Dropout(config.seqClassifDropout));
    this.postInit();
  }
  forward(inputs: ModelInputs): LogitsOutput {
    const first = inputs.inputIds ?? inputs.inputsEmbeds;
    if (!first || first.ndim < 3) throw new RangeError(`${this.constructor.name}: inputs must be [batch, choices, sequence].`);
    const [b, c] = first.shape;
    const flat = (x: Tensor | null | undefined) => (x ? x.reshape([b * c, ...x.shape.slice(2)]) : x); // [B·C, T, …]
    const out = this.distilbert.forward({ ...inputs, inputIds: flat(inputs.inputIds), attentionMask: flat(inputs.attentionMask), inputsEmbeds: flat(inputs.inputsEmbeds), labels: null });
    const logits = pooledLogits(this, out.lastHiddenState).view(b, c); // [B, C]
    let loss: Tensor | undefined;
    if (inputs.labels) {
      checkLabels(inputs.labels, c, "multiple choice");
      loss = crossEntropy(logits, inputs.labels);
    }
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}
