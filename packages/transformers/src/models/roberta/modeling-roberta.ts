// RoBERTa and XLM-RoBERTa: BERT's encoder with RoBERTa's embeddings and heads, as HF transformers 4.37 models/roberta.
import { arange, crossEntropy, zeros, type Tensor } from "@tsorch/tensor";
import { Dropout, LayerNorm, Linear, Module } from "@tsorch/nn";
import { gelu } from "@tsorch/tensor";
import { PretrainedConfig } from "../../configuration-utils.js";
import {
  BertConfig,
  BertEmbeddings,
  BertForMultipleChoice,
  BertForQuestionAnswering,
  BertForTokenClassification,
  BertModel,
  BertPreTrainedModel,
  type BertConfigInit,
} from "../bert/modeling-bert.js";
import { checkLabels, sequenceClassificationLoss } from "../../internal/heads.js";
import type { LogitsOutput, ModelInputs } from "../../modeling-outputs.js";

/**
 * RoBERTa's configuration: BERT's keys, with RoBERTa's special tokens (bos 0, pad 1, eos 2).
 * @example const cfg = new RobertaConfig({ vocabSize: 500, maxPositionEmbeddings: 66 });
 */
export class RobertaConfig extends BertConfig {
  static override modelType = "roberta";
  constructor(init: BertConfigInit = {}) {
    super({ padTokenId: 1, bosTokenId: 0, eosTokenId: 2, ...init });
  }
}

/** XLM-RoBERTa: the same model under `model_type: "xlm-roberta"`. @example new XLMRobertaConfig({ vocabSize: 250002 }) */
export class XLMRobertaConfig extends RobertaConfig {
  static override modelType = "xlm-roberta";
}

/** RoBERTa's embeddings: positions count from `padTokenId + 1` over non-pad tokens (`create_position_ids_from_input_ids`). */
export class RobertaEmbeddings extends BertEmbeddings {
  static positionsUsePadding = true;

  protected override defaultPositionIds(ids: Tensor | null, b: number, t: number, device: string): Tensor {
    const pad = this.config.padTokenId ?? 1;
    if (!ids) return arange(pad + 1, t + pad + 1, 1, { device }).view(1, t).expand([b, t]); // [B, T]
    const mask = ids.ne(pad).to("int64"); // [B, T]
    return mask.cumsum(1).mul(mask).add(pad); // [B, T]
  }
}

/** The bare RoBERTa encoder. @example const { lastHiddenState } = model.forward({ inputIds, attentionMask }); */
export class RobertaModel<C extends RobertaConfig = RobertaConfig> extends BertModel<C> {
  static override configClass: typeof PretrainedConfig = RobertaConfig;
  static override baseModelPrefix = "roberta";
  constructor(config: C, opts: { addPoolingLayer?: boolean } = {}) {
    super(config, { ...opts, embeddings: new RobertaEmbeddings(config, config.padTokenId) });
  }
}

const base = <C extends RobertaConfig>(c: C, p: boolean) => new RobertaModel(c, { addPoolingLayer: p });

/** `RobertaClassificationHead`: dense + tanh on the `<s>` token, then the projection to labels. */
export class RobertaClassificationHead extends Module {
  readonly dense: Linear;
  readonly dropout: Dropout;
  readonly outProj: Linear;
  constructor(config: RobertaConfig) {
    super();
    this.dense = this.registerModule("dense", new Linear(config.hiddenSize, config.hiddenSize));
    this.dropout = this.registerModule("dropout", new Dropout(config.classifierDropout ?? config.hiddenDropoutProb));
    this.outProj = this.registerModule("out_proj", new Linear(config.hiddenSize, config.numLabels));
  }
  forward(x: Tensor): Tensor {
    const h = this.dropout.forward(this.dense.forward(this.dropout.forward(x.select(1, 0))).tanh()); // [B, H]
    return this.outProj.forward(h); // [B, C]
  }
}

/** RoBERTa with its classification head (`RobertaForSequenceClassification`). @example model.forward({ inputIds, labels }).loss */
export class RobertaForSequenceClassification<C extends RobertaConfig = RobertaConfig> extends BertPreTrainedModel<C> {
  static override configClass: typeof PretrainedConfig = RobertaConfig;
  static override baseModelPrefix = "roberta";
  readonly roberta: RobertaModel<C>;
  readonly classifier: RobertaClassificationHead;
  constructor(config: C) {
    super(config);
    this.roberta = this.registerModule("roberta", new RobertaModel(config, { addPoolingLayer: false }));
    this.classifier = this.registerModule("classifier", new RobertaClassificationHead(config));
    this.postInit();
  }
  forward(inputs: ModelInputs): LogitsOutput {
    const out = this.roberta.forward(inputs);
    const logits = this.classifier.forward(out.lastHiddenState);
    const loss = inputs.labels ? sequenceClassificationLoss(this.config, logits, inputs.labels) : undefined;
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/** RoBERTa for token classification. @example model.forward({ inputIds }).logits // [B, T, numLabels] */
export class RobertaForTokenClassification<C extends RobertaConfig = RobertaConfig> extends BertForTokenClassification<C> {
  static override configClass: typeof PretrainedConfig = RobertaConfig;
  static override baseModelPrefix = "roberta";
  constructor(config: C) {
    super(config, base);
  }
}

/** RoBERTa for span question answering. @example model.forward({ inputIds }).startLogits */
export class RobertaForQuestionAnswering<C extends RobertaConfig = RobertaConfig> extends BertForQuestionAnswering<C> {
  static override configClass: typeof PretrainedConfig = RobertaConfig;
  static override baseModelPrefix = "roberta";
  constructor(config: C) {
    super(config, base);
  }
}

/** RoBERTa for multiple choice. @example model.forward({ inputIds }).logits // [B, choices] */
export class RobertaForMultipleChoice<C extends RobertaConfig = RobertaConfig> extends BertForMultipleChoice<C> {
  static override configClass: typeof PretrainedConfig = RobertaConfig;
  static override baseModelPrefix = "roberta";
  constructor(config: C) {
    super(config, base);
  }
}

/** `RobertaLMHead`: dense, GELU, layer norm, then the decoder tied to the word embeddings. */
export class RobertaLMHead extends Module {
  readonly dense: Linear;
  readonly layerNorm: LayerNorm;
  readonly decoder: Linear;
  bias: Tensor;
  constructor(config: RobertaConfig) {
    super();
    this.dense = this.registerModule("dense", new Linear(config.hiddenSize, config.hiddenSize));
    this.layerNorm = this.registerModule("layer_norm", new LayerNorm(config.hiddenSize, { eps: config.layerNormEps }));
    this.decoder = this.registerModule("decoder", new Linear(config.hiddenSize, config.vocabSize));
    this.bias = this.registerParameter("bias", zeros([config.vocabSize]));
  }
  forward(x: Tensor): Tensor {
    return this.decoder.forward(this.layerNorm.forward(gelu(this.dense.forward(x)))); // [B, T, V]
  }
}

/** RoBERTa with the masked-LM head (`RobertaForMaskedLM`). @example model.forward({ inputIds, labels }).loss */
export class RobertaForMaskedLM<C extends RobertaConfig = RobertaConfig> extends BertPreTrainedModel<C> {
  static override configClass: typeof PretrainedConfig = RobertaConfig;
  static override baseModelPrefix = "roberta";
  readonly roberta: RobertaModel<C>;
  readonly lmHead: RobertaLMHead;
  constructor(config: C) {
    super(config);
    this.roberta = this.registerModule("roberta", new RobertaModel(config, { addPoolingLayer: false }));
    this.lmHead = this.registerModule("lm_head", new RobertaLMHead(config));
    this.postInit();
  }
  override tiedWeights(): Record<string, string> {
    const t: Record<string, string> = { "lm_head.decoder.bias": "lm_head.bias" };
    if (this.config.tieWordEmbeddings) t["lm_head.decoder.weight"] = "roberta.embeddings.word_embeddings.weight";
    return t;
  }
  forward(inputs: ModelInputs): LogitsOutput {
    const out = this.roberta.forward(inputs);
    const logits = this.lmHead.forward(out.lastHiddenState);
    let loss: Tensor | undefined;
    if (inputs.labels) {
      checkLabels(inputs.labels, this.config.vocabSize, "masked LM");
      loss = crossEntropy(logits.view(-1, this.config.vocabSize), inputs.labels.view(-1)); // [B·T, V]
    }
    return { ...(loss ? { loss } : {}), logits, hiddenStates: out.hiddenStates, attentions: out.attentions };
  }
}

/** XLM-RoBERTa's classes: RoBERTa's code under HF's XLM-R names, so saved `architectures` read as Python writes them. */
export class XLMRobertaModel extends RobertaModel<XLMRobertaConfig> {
  static override configClass: typeof PretrainedConfig = XLMRobertaConfig;
}
/** @example await XLMRobertaForSequenceClassification.fromPretrained("./xlmr") */
export class XLMRobertaForSequenceClassification extends RobertaForSequenceClassification<XLMRobertaConfig> {
  static override configClass: typeof PretrainedConfig = XLMRobertaConfig;
}
/** @example await XLMRobertaForTokenClassification.fromPretrained("./xlmr-ner") */
export class XLMRobertaForTokenClassification extends RobertaForTokenClassification<XLMRobertaConfig> {
  static override configClass: typeof PretrainedConfig = XLMRobertaConfig;
}
/** @example await XLMRobertaForQuestionAnswering.fromPretrained("./xlmr-qa") */
export class XLMRobertaForQuestionAnswering extends RobertaForQuestionAnswering<XLMRobertaConfig> {
  static override configClass: typeof PretrainedConfig = XLMRobertaConfig;
}
/** @example await XLMRobertaForMultipleChoice.fromPretrained("./xlmr-swag") */
export class XLMRobertaForMultipleChoice extends RobertaForMultipleChoice<XLMRobertaConfig> {
  static override configClass: typeof PretrainedConfig = XLMRobertaConfig;
}
/** @example await XLMRobertaForMaskedLM.fromPretrained("./xlmr") */
export class XLMRobertaForMaskedLM extends RobertaForMaskedLM<XLMRobertaConfig> {
  static override configClass: typeof PretrainedConfig = XLMRobertaConfig;
}
