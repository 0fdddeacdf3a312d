// Typed model outputs: Hugging Face's ModelOutput classes (modeling_outputs.py), fields camelCased.
import type { Tensor } from "@tsorch/tensor";

/** A layer's cached keys and values, HF's legacy tuple layout: `[key, value]` each `[B, nh, T, hs]` (self-attention),
 * then `[crossKey, crossValue]` `[B, nh, S, hs]` for encoder-decoder layers. */
export type LayerCache = Tensor[];
/** The key/value cache of a decoder: one `LayerCache` per layer. */
export type PastKeyValues = LayerCache[];

/** Inputs every model's `forward` accepts (HF's argument names, camelCased). */
export interface ModelInputs {
  inputIds?: Tensor | null;
  attentionMask?: Tensor | null;
  tokenTypeIds?: Tensor | null;
  positionIds?: Tensor | null;
  inputsEmbeds?: Tensor | null;
  labels?: Tensor | null;
  pastKeyValues?: PastKeyValues | null;
  useCache?: boolean;
  outputHiddenStates?: boolean;
  outputAttentions?: boolean;
}

/** `BaseModelOutputWithPoolingAndCrossAttentions` / `BaseModelOutputWithPast`. */
export interface BaseModelOutput {
  lastHiddenState: Tensor;
  poolerOutput?: Tensor;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
  pastKeyValues?: PastKeyValues;
}

/** `SequenceClassifierOutput`, `TokenClassifierOutput`, `MaskedLMOutput`, `MultipleChoiceModelOutput`, `CausalLMOutputWithPast`. */
export interface LogitsOutput {
  loss?: Tensor;
  logits: Tensor;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
  pastKeyValues?: PastKeyValues;
}

/** `QuestionAnsweringModelOutput`. */
export interface QuestionAnsweringOutput {
  loss?: Tensor;
  startLogits: Tensor;
  endLogits: Tensor;
  hiddenStates?: Tensor[];
  attentions?: Tensor[];
}
