// BERT: config, encoder and every head, following HF transformers 4.37 models/bert (configuration_bert.py, modeling_bert.py).
import { arange, crossEntropy, zeros, type Tensor } from "@tsorch/tensor";
import { Dropout, Embedding, LayerNorm, Linear, Module, ModuleList, init } from "@tsorch/nn";
import { PretrainedConfig, type PretrainedConfigInit } from "../../configuration-utils.js";
import { PreTrainedModel } from "../../modeling-utils.js";
import { getActivation } from "../../activations.js";
import { attend, mergeHeads, splitHeads } from "../../internal/attention.js";
import { expandPaddingMask } from "../../internal/attention-mask.js";
import { initStandardWeights } from "../../internal/init-weights.js";
import { checkInputIds, questionAnsweringLoss, sequenceClassificationLoss, tokenClassificationLoss, checkLabels } from "../../internal/heads.js";
import type { BaseModelOutput, LogitsOutput, ModelInputs, QuestionAnsweringOutput } from "../../modeling-outputs.js";

/** BertConfig's keys, camelCased. */
export interface BertConfigInit extends PretrainedConfigInit {
  vocabSize?: number;
  hiddenSize?: number;
  numHiddenLayers?: number;
  numAttentionHeads?: number;
  intermediateSize?: number;
  hiddenAct?: string;
  hiddenDropoutProb?: number;
  attentionProbsDropoutProb?: number;
  maxPositionEmbeddings?: number;
  typeVocabSize?: number;
  initializerRange?: number;
  layerNormEps?: number;
  positionEmbeddingType?: string;
  useCache?: boolean;
  classifierDropout?: number | null;
}

/**
 * BERT's configuration with HF's defaults (bert-base-uncased's shapes).
 * @example const cfg = new BertConfig({ hiddenSize: 128, numHiddenLayers: 2, numAttentionHeads: 2, numLabels: 3 });
 */
export class BertConfig extends PretrainedConfig {
  static override modelType = "bert";
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  hiddenAct: string;
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  initializerRange: number;
  layerNormEps: number;
  positionEmbeddingType: string;
  useCache: boolean;
  classifierDropout: number | null;

  constructor(init: BertConfigInit = {}) {
    super({ padTokenId: 0, ...init });
    this.vocabSize = init.vocabSize ?? 30522;
    this.hiddenSize = init.hiddenSize ?? 768;
    this.numHiddenLayers = init.numHiddenLayers ?? 12;
    this.numAttentionHeads = init.numAttentionHeads ?? 12;
    this.intermediateSize = init.intermediateSize ?? 3072;
    this.hiddenAct = init.hiddenAct ?? "gelu";
    this.hiddenDropoutProb = init.hiddenDropoutProb ?? 0.1;
    this.attentionProbsDropoutProb = init.attentionProbsDropoutProb ?? 0.1;
    this.maxPositionEmbeddings = init.maxPositionEmbeddings ?? 512;
    this.typeVocabSize = init.typeVocabSize ?? 2;
    this.initializerRange = init.initializerRange ?? 0.02;
    this.layerNormEps = init.layerNormEps ?? 1e-12;
    this.positionEmbeddingType = init.positionEmbeddingType ?? "absolute";
    this.useCache = init.useCache ?? true;
    this.classifierDropout = init.classifierDropout ?? null;
    if (this.hiddenSize % this.numAttentionHeads !== 0)
      throw new RangeError(`${new.target.name}: hiddenSize ${this.hiddenSize} is not a multiple of numAttentionHeads ${this.numAttentionHeads}.`);
    if (this.positionEmbeddingType !== "absolute")
      throw new RangeError(`${new.target.name}: positionEmbeddingType ${JSON.stringify(this.positionEmbeddingType)} is not supported; only "absolute" is.`);
  }
}

/** Word + position + token-type embeddings, LayerNorm, dropout (`BertEmbeddings`). */
export class BertEmbeddings extends Module {
  readonly wordEmbeddings: Embedding;
  readonly positionEmbeddings: Embedding;
  readonly tokenTypeEmbeddings: Embedding;
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;

  constructor(readonly config: BertConfig, paddingIdx: number | null = config.padTokenId) {
    super();
    this.wordEmbeddings = this.registerModule("word_embeddings", new Embedding(config.vocabSize, config.hiddenSize, { paddingIdx }));
    this.positionEmbeddings = this.registerModule("position_embeddings", new Embedding(config.maxPositionEmbeddings, config.hiddenSize, positionPadding(this, paddingIdx)));
    this.tokenTypeEmbeddings = this.registerModule("token_type_embeddings", new Embedding(config.typeVocabSize, config.hiddenSize));
    this.layerNorm = this.registerModule("LayerNorm", new LayerNorm(config.hiddenSize, { eps: config.layerNormEps }));
    this.dropout = this.registerModule("dropout", new Dropout(config.hiddenDropoutProb));
  }

  /** Position ids when none are given: 0..T-1 (RoBERTa overrides). */
  protected defaultPositionIds(ids: Tensor | null, b: number, t: number, device: string): Tensor {
    void ids;
    return arange(0, t, 1, { device }).view(1, t).expand([b, t]); // [B, T]
  }

  forward(inputIds: Tensor | null, tokenTypeIds: Tensor | null, positionIds: Tensor | null, inputsEmbeds: Tensor | null): Tensor {
    const embeds = inputsEmbeds ?? this.wordEmbeddings.forward(inputIds!); // [B, T, H]
    const [b, t] = embeds.shape;
    const pos = positionIds ?? this.defaultPositionIds(inputIds, b, t, embeds.device);
    const types = tokenTypeIds ?? zeros([b, t], { dtype: "int64", device: embeds.device });
    const x = embeds.add(this.tokenTypeEmbeddings.forward(types)).add(this.positionEmbeddings.forward(pos)); // [B, T, H]
    return this.dropout.forward(this.layerNorm.forward(x));
  }
}

/** RoBERTa gives its position embedding a padding index; BERT does not. */
function positionPadding(emb: BertEmbeddings, paddingIdx: number | null): { paddingIdx?: number } {
  return (emb.constructor as { positionsUsePadding?: boolean }).positionsUsePadding && paddingIdx !== null ? { paddingIdx } : {};
}

/** Multi-head self-attention (`BertSelfAttention`): query/key/value projections. */
export class BertSelfAttention extends Module {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly dropoutP: number;
  readonly heads: number;

  constructor(config: BertConfig) {
    super();
    this.heads = config.numAttentionHeads;
    this.query = this.registerModule("query", new Linear(config.hiddenSize, config.hiddenSize));
    this.key = this.registerModule("key", new Linear(config.hiddenSize, config.hiddenSize));
    this.value = this.registerModule("value", new Linear(config.hiddenSize, config.hiddenSize));
    this.dropoutP = config.attentionProbsDropoutProb;
  }

  forward(x: Tensor, mask: Tensor | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor } {
    const q = splitHeads(this.query.forward(x), this.heads); // [B, nh, T, hs]
    const k = splitHeads(this.key.forward(x), this.heads); // [B, nh, T, hs]
    const v = splitHeads(this.value.forward(x), this.heads); // [B, nh, T, hs]
    const { out, weights } = attend(q, k, v, { mask, dropoutP: this.dropoutP, training: this.training, needWeights: outputAttentions });
    return { out: mergeHeads(out), weights }; // [B, T, H]
  }
}

/** Dense, dropout, residual LayerNorm (`BertSelfOutput` and `BertOutput`). */
export class BertResidualOutput extends Module {
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;
  readonly dropout: Dropout;

  constructor(config: BertConfig, inFeatures: number) {
    super();
    this.dense = this.registerModule("dense", new Linear(inFeatures, config.hiddenSize));
    this.layerNorm = this.registerModule("LayerNorm", new LayerNorm(config.hiddenSize, { eps: config.layerNormEps }));
    this.dropout = this.registerModule("dropout", new Dropout(config.hiddenDropoutProb));
  }

  forward(x: Tensor, residual: Tensor): Tensor {
    return this.layerNorm.forward(this.dropout.forward(this.dense.forward(x)).add(residual));
  }
}

/** `BertAttention`: self-attention and its output projection. */
export class BertAttention extends Module {
  readonly self: BertSelfAttention;
  readonly output: BertResidualOutput;

  constructor(config: BertConfig) {
    super();
    this.self = this.registerModule("self", new BertSelfAttention(config));
    this.output = this.registerModule("output", new BertResidualOutput(config, config.hiddenSize));
  }

  forward(x: Tensor, mask: Tensor | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor } {
    const { out, weights } = this.self.forward(x, mask, outputAttentions);
    return { out: this.output.forward(out, x), weights };
  }
}

/** `BertIntermediate`: the feed-forward expansion and its activation. */
export class BertIntermediate extends Module {
  readonly dense: Linear;
  readonly act: (x: Tensor) => Tensor;

  constructor(config: BertConfig) {
    super();
    this.dense = this.registerModule("dense", new Linear(config.hiddenSize, config.intermediateSize));
    this.act = getActivation(config.hiddenAct);
  }

  forward(x: Tensor): Tensor {
    return this.act(this.dense.forward(x));
  }
}

/** One transformer block (`BertLayer`). */
export class BertLayer extends Module {
  readonly attention: BertAttention;
  readonly intermediate: BertIntermediate;
  readonly output: BertResidualOutput;

  constructor(config: BertConfig) {
    super();
    this.attention = this.registerModule("attention", new BertAttention(config));
    this.intermediate = this.registerModule("intermediate", new BertIntermediate(config));
    this.output = this.registerModule("output", new BertResidualOutput(config, config.intermediateSize));
  }

  forward(x: Tensor, mask: Tensor | null, outputAttentions: boolean): { out: Tensor; weights?: Tensor } {
    const { out: a, weights } = this.attention.forward(x, mask, outputAttentions);
    return { out: this.output.forward(this.intermediate.forward(a), a), weights };
  }
}

/** The stack of layers (`BertEncoder`). */
export class BertEncoder extends Module {
  readonly layer: ModuleList<BertLayer>;

  constructor(config: BertConfig) {
    super();
    this.layer = this.registerModule("layer", new ModuleList(Array.from({ length: config.numHiddenLayers }, () => new BertLayer(config))));
  }

  forward(x: Tensor, mask: Tensor | null, outputHiddenStates: boolean, outputAttentions: boolean): BaseModelOutput {
    const hiddenStates: Tensor[] = [];
    const attentions: Tensor[] = [];
    for (const layer of this.layer) {
      if (outputHiddenStates) hiddenStates.push(x);
      const { out, weights } = layer.forward(x, mask, outputAttentions);
      if (weights) attentions.push(weights);
      x = out;
    }
    if (outputHiddenStates) hiddenStates.push(x);
    return { lastHiddenState: x, ...(outputHiddenStates ? { hiddenStates } : {}), ...(outputAttentions ? { attentions } : {}) };
  }
}

/** `BertPooler`: tanh(dense(first token)). */
export class BertPooler extends Module {
  readonly dense: Linear;

  constructor(config: BertConfig) {
    super();
    this.dense = this.registerModule("dense", new Linear(config.hiddenSize, config.hiddenSize));
  }

  forward(x: Tensor): Tensor {
    return this.dense.forward(x.select(1, 0)).tanh(); // [B, H]
  }
}

/** HF's `BertPreTrainedModel`: BERT's `_init_weights` and base prefix. */
export abstract class BertPreTrainedModel<C extends BertConfig = BertConfig> extends PreTrainedModel<C> {
  static override configClass: typeof PretrainedConfig = BertConfig;
  static override baseModelPrefix = "bert";

  protected override initWeights(m: Module): void {
    initStandardWeights(m, this.config.initializerRange, { layerNorm: true });
  }
}

/** The inputs of BERT-style encoders. */
export type EncoderInputs = ModelInputs;

/**
 * The bare BERT encoder (`BertModel`): last hidden state, pooled first token, optionally every hidden state and map.
 * @example const { lastHiddenState, poolerOutput } = model.forward({ inputIds, attentionMask });
 */
export class BertModel<C extends BertConfig = BertConfig> extends BertPreTrainedModel<C> {
  readonly embeddings: BertEmbeddings;
  readonly encoder: BertEncoder;
  readonly pooler: BertPooler | null;

  constructor(config: C, opts: { addPoolingLayer?: boolean; embeddings?: BertEmbeddings } = {}) {
    super(config);
    this.embeddings = this.registerModule("embeddings", opts.embeddings ?? new BertEmbeddings(config));
    this.encoder = this.registerModule("encoder", new BertEncoder(config));
    this.pooler = opts.addPoolingLayer === false ? null : this.registerModule("pooler", new BertPooler(config));
    this.postInit();
  }

  forward(inputs: EncoderInputs): BaseModelOutput {
    const { inputIds = null, inputsEmbeds = null } = inputs;
    if ((inputIds === null) === (inputsEmbeds === null)) throw new TypeError(`${this.constructor.name}: pass exactly one of inputIds and inputsEmbeds.`);
    if (inputIds) checkInputIds(inputIds, this.config.maxPositionEmbeddings, this.constructor.name);
    const [b, t] = inputIds ? inputIds.shape : inputsEmbeds!.shape;
    const x = this.embeddings.forward(inputIds, inputs.tokenTypeIds ?? null, inputs.positionIds ?? null, inputsEmbeds);
    const mask = inputs.attentionMask ? expandPaddingMask(inputs.attentionMask) : null; // [B, 1, 1, T]
    void b, void t;
    const enc = this.encoder.forward(x, mask, !!inputs.outputHiddenStates, !!inputs.outputAttentions);
    return { ...enc, ...(this.pooler ? { poolerOutput: this.pooler.forward(enc.lastHiddenState) } : {}) };
  }
}

/** Encoders with BERT's heads: the base model under `baseModelPrefix` and a constructor for it. */
type BaseFactory<C extends BertConfig> = (config: C, addPoolingLayer: boolean) => BertModel<C>;

/** Inputs of the sequence classification head. */
export type ClassificationInputs = EncoderInputs;

/**
 * BERT with a linear head on the pooled output (`BertForSequenceClassification`): HF's problem types (single-label,
 * multi-label, regression) pick the loss.
 * @example const { loss, logits } = model.forward({ inputIds, attentionMask, labels }); // logits [B, numLabels]
 */
export class BertForSequenceClassification<C extends BertConfig = BertConfig> extends BertPreTrainedModel<C> {
  readonly bert: BertModel<C>;
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(config: C, base: BaseFactory<C> = (c, p) => new BertModel(c, { addPoolingLayer: p })) {
    super(config);
    this.bert = this.registerModule((this.constructor as typeof PreTrainedModel).baseModelPrefix, base(config, true));
    this.dropout = this.registerModule("dropout", new Dropout(config.classifierDropout ?? config.hiddenDropoutProb));
    this.classifier = this.registerModule("classifier", new Linear(config.hiddenSize, config.numLabels));
    this.postInit();
  }

  forward(inputs: ClassificationInputs): LogitsOutput {
    const out = this.bert.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.poolerOutput!)); // [B, C]
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : undefined;
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/**
 * BERT with a per-token linear head (`BertForTokenClassification`), for NER and POS tagging; labels -100 are ignored.
 * @example const { logits } = model.forward({ inputIds, attentionMask }); // [B, T, numLabels]
 */
export class BertForTokenClassification<C extends BertConfig = BertConfig> extends BertPreTrainedModel<C> {
  readonly bert: BertModel<C>;
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(config: C, base: BaseFactory<C> = (c, p) => new BertModel(c, { addPoolingLayer: p })) {
    super(config);
    this.bert = this.registerModule((this.constructor as typeof PreTrainedModel).baseModelPrefix, base(config, false));
    this.dropout = this.registerModule("dropout", new Dropout(config.classifierDropout ?? config.hiddenDropoutProb));
    this.classifier = this.registerModule("classifier", new Linear(config.hiddenSize, config.numLabels));
    this.postInit();
  }

  forward(inputs: EncoderInputs): LogitsOutput {
    const out = this.bert.forward(inputs);
    const logits = this.classifier.forward(this.dropout.forward(out.lastHiddenState)); // [B, T, C]
    const loss = inputs.labels ? tokenClassificationLoss(logits, inputs.labels, this.config.numLabels) : undefined;
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/** Inputs of span question answering: the answer's start and end token positions as labels. */
export interface QuestionAnsweringInputs extends EncoderInputs {
  startPositions?: Tensor | null;
  endPositions?: Tensor | null;
}

/**
 * BERT with a span head (`BertForQuestionAnswering`): start and end logits per token.
 * @example const { startLogits, endLogits } = model.forward({ inputIds, attentionMask, tokenTypeIds });
 */
export class BertForQuestionAnswering<C extends BertConfig = BertConfig> extends BertPreTrainedModel<C> {
  readonly bert: BertModel<C>;
  readonly qaOutputs: Linear;

  constructor(config: C, base: BaseFactory<C> = (c, p) => new BertModel(c, { addPoolingLayer: p })) {
    super(config);
    this.bert = this.registerModule((this.constructor as typeof PreTrainedModel).baseModelPrefix, base(config, false));
    this.qaOutputs = this.registerModule("qa_outputs", new Linear(config.hiddenSize, config.numLabels));
    this.postInit();
  }

  forward(inputs: QuestionAnsweringInputs): QuestionAnsweringOutput {
    const out = this.bert.forward(inputs);
    return spanOutputs(this.qaOutputs.forward(out.lastHiddenState), inputs, out);
  }
}

/** Splits `[B, T, 2]` span logits into start/end and adds the loss when positions are given. */
export function spanOutputs(logits: Tensor, inputs: QuestionAnsweringInputs, out: BaseModelOutput): QuestionAnsweringOutput {
  const [start, end] = logits.split(1, -1); // [B, T, 1] each
  const startLogits = start.squeeze(-1).contiguous(); // [B, T]
  const endLogits = end.squeeze(-1).contiguous(); // [B, T]
  const loss = inputs.startPositions && inputs.endPositions ? questionAnsweringLoss(startLogits, endLogits, inputs.startPositions, inputs.endPositions) : undefined;
  return { ...(loss ? { loss } : {}), startLogits, endLogits, hiddenStates: out.hiddenStates, attentions: out.attentions };
}

/** `BertPredictionHeadTransform` + `BertLMPredictionHead`: dense, activation, LayerNorm, then the tied decoder. */
export class BertLMPredictionHead extends Module {
  readonly transform: Module & { dense: Linear; layerNorm: LayerNorm };
  readonly decoder: Linear;
  bias: Tensor;
  readonly act: (x: Tensor) => Tensor;

  constructor(config: BertConfig) {
    super();
    this.bias = this.registerParameter("bias", zeros([config.vocabSize]));
    const t = new (class extends Module {
      readonly dense = this.registerModule("dense", new Linear(config.hiddenSize, config.hiddenSize));
      readonly layerNorm = this.registerModule("LayerNorm", new LayerNorm(config.hiddenSize, { eps: config.layerNormEps }));
      forward(): void {}
    })();
    this.transform = this.registerModule("transform", t);
    this.decoder = this.registerModule("decoder", new Linear(config.hiddenSize, config.vocabSize));
    this.act = getActivation(config.hiddenAct);
  }

  forward(x: Tensor): Tensor {
    const h = this.transform.layerNorm.forward(this.act(this.transform.dense.forward(x)));
    return this.decoder.forward(h); // [B, T, V]
  }
}

/**
 * BERT with the masked-language-model head (`BertForMaskedLM`); the decoder is tied to the word embeddings.
 * @example const { loss, logits } = model.forward({ inputIds, attentionMask, labels }); // logits [B, T, vocab]
 */
export class BertForMaskedLM<C extends BertConfig = BertConfig> extends BertPreTrainedModel<C> {
  readonly bert: BertModel<C>;
  readonly cls: Module & { predictions: BertLMPredictionHead };

  constructor(config: C) {
    super(config);
    this.bert = this.registerModule("bert", new BertModel(config, { addPoolingLayer: false }));
    const cls = new (class extends Module {
      readonly predictions = this.registerModule("predictions", new BertLMPredictionHead(config));
      forward(): void {}
    })();
    this.cls = this.registerModule("cls", cls);
    this.postInit();
  }

  override tiedWeights(): Record<string, string> {
    const t: Record<string, string> = { "cls.predictions.decoder.bias": "cls.predictions.bias" };
    if (this.config.tieWordEmbeddings) t["cls.predictions.decoder.weight"] = "bert.embeddings.word_embeddings.weight";
    return t;
  }

  forward(inputs: EncoderInputs): LogitsOutput {
    const out = this.bert.forward(inputs);
    const logits = this.cls.predictions.forward(out.lastHiddenState); // [B, T, V]
    let loss: Tensor | undefined;
    if (inputs.labels) {
      checkLabels(inputs.labels, this.config.vocabSize, "masked LM");
      loss = crossEntropy(logits.view(-1, this.config.vocabSize), inputs.labels.view(-1)); // [B·T, V]
    }
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/**
 * BERT for multiple choice (`BertForMultipleChoice`): inputs `[B, choices, T]`, one score per choice.
 * @example const { logits } = model.forward({ inputIds }); // inputIds [B, C, T] → logits [B, C]
 */
export class BertForMultipleChoice<C extends BertConfig = BertConfig> extends BertPreTrainedModel<C> {
  readonly bert: BertModel<C>;
  readonly dropout: Dropout;
  readonly classifier: Linear;

  constructor(config: C, base: BaseFactory<C> = (c, p) => new BertModel(c, { addPoolingLayer: p })) {
    super(config);
    this.bert = this.registerModule((this.constructor as typeof PreTrainedModel).baseModelPrefix, base(config, true));
    this.dropout = this.registerModule("dropout", new Dropout(config.classifierDropout ?? config.hiddenDropoutProb));
    this.classifier = this.registerModule("classifier", new Linear(config.hiddenSize, 1));
    this.postInit();
  }

  forward(inputs: EncoderInputs): LogitsOutput {
    const first = inputs.inputIds ?? inputs.inputsEmbeds;
    if (!first || first.ndim < 3) throw new RangeError(`${this.constructor.name}: inputs must be [batch, choices, sequence]${first ? `, got [${first.shape.join(", ")}]` : ""}.`);
    const [b, c] = first.shape;
    const flat = (x: Tensor | null | undefined) => (x ? x.reshape([b * c, ...x.shape.slice(2)]) : x); // [B·C, T, …]
    const out = this.bert.forward({ ...inputs, inputIds: flat(inputs.inputIds), attentionMask: flat(inputs.attentionMask), tokenTypeIds: flat(inputs.tokenTypeIds), positionIds: flat(inputs.positionIds), inputsEmbeds: flat(inputs.inputsEmbeds), labels: null });
    const logits = this.classifier.forward(this.dropout.forward(out.poolerOutput!)).view(b, c); // [B, C]
    let loss: Tensor | undefined;
    if (inputs.labels) {
      checkLabels(inputs.labels, c, "multiple choice");
      loss = crossEntropy(logits, inputs.labels);
    }
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}
