// The losses of HF's task heads: problem_type for sequence classification, token classification, span QA, LM shifting.
import { bceWithLogits, crossEntropy, mseLoss, type Tensor } from "@tsorch/tensor";
import type { PretrainedConfig } from "../configuration-utils.js";

/**
 * HF's sequence-classification loss: regression (MSE) for one label, cross-entropy for integer labels, BCE with
 * logits for float multi-hot labels; the chosen `problemType` is recorded on the config, as HF does.
 */
export function sequenceClassificationLoss(config: PretrainedConfig, logits: Tensor, labels: Tensor): Tensor {
  const n = config.numLabels;
  if (!config.problemType) {
    if (n === 1) config.problemType = "regression";
    else if (labels.dtype === "int64" || labels.dtype === "int32") config.problemType = "single_label_classification";
    else config.problemType = "multi_label_classification";
  }
  switch (config.problemType) {
    case "regression":
      return n === 1 ? mseLoss(logits.squeeze(), labels.squeeze().to(logits.dtype)) : mseLoss(logits, labels.to(logits.dtype));
    case "single_label_classification":
      checkLabels(labels, n, "sequence classification");
      return crossEntropy(logits.view(-1, n), labels.view(-1)); // [B, C] vs [B]
    case "multi_label_classification":
      return bceWithLogits(logits, labels.to(logits.dtype));
    default:
      throw new RangeError(`unknown problemType ${JSON.stringify(config.problemType)}: use "regression", "single_label_classification" or "multi_label_classification".`);
  }
}

/** Refuses integer labels outside [0, n) other than the ignore index -100, naming the bad value. */
export function checkLabels(labels: Tensor, n: number, what: string): void {
  if (labels.device !== "cpu") return;
  const data = labels.dataSync() as ArrayLike<number | bigint>;
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (v !== -100 && (v < 0 || v >= n || !Number.isInteger(v)))
      throw new RangeError(`${what}: label ${v} at position ${i} is outside [0, ${n}) (numLabels = ${n}); use -100 to ignore a position, or set numLabels / id2label in the config.`);
  }
}

/** Token classification: cross-entropy over `[B·T, C]`, -100 ignored. */
export function tokenClassificationLoss(logits: Tensor, labels: Tensor, n: number): Tensor {
  checkLabels(labels, n, "token classification");
  return crossEntropy(logits.view(-1, n), labels.view(-1)); // [B·T, C] vs [B·T]
}

/** Span QA: positions outside the sequence are clamped to T and ignored, the loss is the mean of start and end. */
export function questionAnsweringLoss(startLogits: Tensor, endLogits: Tensor, startPositions: Tensor, endPositions: Tensor): Tensor {
  const ignored = startLogits.shape[1];
  const s = startPositions.view(-1).clamp(0, ignored);
  const e = endPositions.view(-1).clamp(0, ignored);
  const ls = crossEntropy(startLogits, s, { ignoreIndex: ignored });
  const le = crossEntropy(endLogits, e, { ignoreIndex: ignored });
  return ls.add(le).div(2);
}

/** Causal LM: predicts token t+1 from t (labels shifted inside), -100 ignored. */
export function causalLmLoss(logits: Tensor, labels: Tensor): Tensor {
  const [b, t, v] = logits.shape;
  const shifted = logits.narrow(1, 0, t - 1).contiguous().view(b * (t - 1), v); // [B·(T-1), V]
  const target = labels.narrow(1, 1, t - 1).contiguous().view(b * (t - 1)); // [B·(T-1)]
  return crossEntropy(shifted.to("float32"), target);
}

/** Checks token ids: an integer tensor of rank 2 (or `rank`), with the length the model can take. */
export function checkInputIds(ids: Tensor, maxPositions: number | null, model: string, rank = 2): void {
  if (ids.dtype !== "int64" && ids.dtype !== "int32")
    throw new TypeError(`${model}: inputIds must be an int64 (or int32) tensor of token ids, got ${ids.dtype}; build it with tensor(ids, { dtype: "int64" }).`);
  if (ids.ndim !== rank) throw new RangeError(`${model}: inputIds must have ${rank} dims ([batch, sequence]${rank === 3 ? " with choices" : ""}), got [${ids.shape.join(", ")}].`);
  const t = ids.shape[ids.ndim - 1];
  if (maxPositions !== null && t > maxPositions)
    throw new RangeError(`${model}: a sequence of ${t} tokens is longer than max_position_embeddings (${maxPositions}); truncate the input (tokenizer truncation / maxLength) or split it.`);
}
