// A tiny classifier for the Trainer's tests and bench: Linear -> LayerNorm -> dropout -> Linear, HF-style batch in, { loss, logits } out.

import { Dropout, LayerNorm, Linear, Module, functional as F } from "@tsorch/nn";
import type { Tensor } from "@tsorch/tensor";

/** A model that takes `{ features, labels? }` and returns `{ loss?, logits }`, with a config carrying numLabels. */
export class TinyClassifier extends Module {
  readonly fc1: Linear;
  readonly norm: LayerNorm;
  readonly drop: Dropout;
  readonly head: Linear;
  readonly config: { numLabels: number; hiddenSize: number; modelType: string };
  readonly inputNames = ["features", "labels"] as const;

  constructor(inFeatures = 4, hidden = 16, numLabels = 3, dropout = 0.1) {
    super();
    this.config = { numLabels, hiddenSize: hidden, modelType: "tiny-classifier" };
    this.fc1 = this.registerModule("fc1", new Linear(inFeatures, hidden));
    this.norm = this.registerModule("norm", new LayerNorm([hidden]));
    this.drop = this.registerModule("drop", new Dropout(dropout));
    this.head = this.registerModule("head", new Linear(hidden, numLabels));
  }

  forward(batch: Record<string, Tensor>): { loss?: Tensor; logits: Tensor } {
    const h = this.drop.forward(this.norm.forward(this.fc1.forward(batch.features).relu())); // [B, hidden]
    const logits = this.head.forward(h); // [B, numLabels]
    return batch.labels ? { loss: F.crossEntropy(logits, batch.labels), logits } : { logits };
  }
}

/** Rows of a learnable problem: the label is the argmax of the first `numLabels` features (deterministic xorshift). */
export function makeRows(n: number, seed = 1, inFeatures = 4, numLabels = 3): { features: number[]; labels: number }[] {
  let s = seed >>> 0 || 1;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => {
    const features = Array.from({ length: inFeatures }, () => next() * 2 - 1);
    const head = features.slice(0, numLabels);
    return { features, labels: head.indexOf(Math.max(...head)) };
  });
}
