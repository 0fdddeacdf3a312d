// What encoder-decoder families share: HF's Seq2Seq inputs/outputs and `shift_tokens_right` for labels.
import { cat, full, type Tensor } from "@tsorch/tensor";
import type { ModelInputs, PastKeyValues } from "../modeling-outputs.js";

/** Inputs of encoder-decoder models (HF's names camelCased). */
export interface Seq2SeqInputs extends ModelInputs {
  decoderInputIds?: Tensor | null;
  decoderAttentionMask?: Tensor | null;
  decoderInputsEmbeds?: Tensor | null;
  /** A precomputed encoder output (generation runs the encoder once). */
  encoderOutputs?: { lastHiddenState: Tensor; hiddenStates?: Tensor[]; attentions?: Tensor[] } | null;
}

/** `Seq2SeqLMOutput` / `Seq2SeqModelOutput`, camelCased. */
export interface Seq2SeqOutput {
  loss?: Tensor;
  logits: Tensor;
  lastHiddenState?: Tensor;
  pastKeyValues?: PastKeyValues;
  decoderHiddenStates?: Tensor[];
  decoderAttentions?: Tensor[];
  crossAttentions?: Tensor[];
  encoderLastHiddenState: Tensor;
  encoderHiddenStates?: Tensor[];
  encoderAttentions?: Tensor[];
}

/**
 * Decoder inputs from labels, as HF's `shift_tokens_right` / T5's `_shift_right`: the start token first, each label
 * one position later, -100 replaced by the pad id.
 */
export function shiftTokensRight(labels: Tensor, padTokenId: number | null, decoderStartTokenId: number | null, model: string): Tensor {
  if (decoderStartTokenId === null) throw new RangeError(`${model}: config.decoderStartTokenId is not set; it is needed to build decoder inputs from labels.`);
  if (padTokenId === null) throw new RangeError(`${model}: config.padTokenId is not set; it is needed to replace -100 in shifted labels.`);
  const [b, t] = labels.shape;
  const start = full([b, 1], decoderStartTokenId, { dtype: "int64", device: labels.device }); // [B, 1]
  const shifted = cat([start, labels.to("int64").narrow(1, 0, t - 1)], 1); // [B, T]
  return shifted.maskedFill(shifted.eq(-100), padTokenId);
}
