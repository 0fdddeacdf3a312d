// The Trainer with the package's own Dataset and collators: token classification with padded batches of different lengths.

import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Embedding, Linear, Module, functional as F } from "@tsorch/nn";
import { manualSeed, type Tensor } from "@tsorch/tensor";
import { DataCollatorForTokenClassification, Dataset, Trainer } from "@tsorch/trainer";

/** Tags each token: label = token id mod 3 (learnable from the embedding alone). */
class Tagger extends Module {
  readonly config = { numLabels: 3 };
  readonly inputNames = ["inputIds", "attentionMask", "labels"];
  readonly emb = this.registerModule("emb", new Embedding(20, 16));
  readonly head = this.registerModule("head", new Linear(16, 3));
  forward(batch: Record<string, Tensor>): { loss?: Tensor; logits: Tensor } {
    const logits = this.head.forward(this.emb.forward(batch.inputIds)); // [B, T, 3]
    return { loss: batch.labels ? F.crossEntropy(logits.flatten(0, 1), batch.labels.flatten(), { ignoreIndex: -100 }) : undefined, logits };
  }
}

const rows = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => {
    const len = 2 + ((i * 7 + seed) % 6);
    const ids = Array.from({ length: len }, (_, j) => 1 + ((i * 5 + j * 3 + seed) % 19));
    return { input_ids: ids, labels: ids.map((t) => t % 3), text: "dropped" };
  });

describe("Trainer with Dataset and DataCollatorForTokenClassification", () => {
  it("trains on padded batches and evaluates across batches of different lengths (padded with -100)", async () => {
    const out = mkdtempSync(join(tmpdir(), "tsorch-trainer-tok-"));
    manualSeed(0);
    const tokenizer = { padTokenId: 0, paddingSide: "right" as const, modelInputNames: ["input_ids", "attention_mask"] };
    let lastPredShape: number[] = [];
    const t = new Trainer({
      model: new Tagger(),
      args: { outputDir: out, numTrainEpochs: 4, perDeviceTrainBatchSize: 8, perDeviceEvalBatchSize: 5, learningRate: 0.05, evalStrategy: "epoch", saveStrategy: "no", disableTqdm: true },
      trainDataset: Dataset.fromList(rows(64, 1)),
      evalDataset: Dataset.fromList(rows(23, 2)),
      dataCollator: new DataCollatorForTokenClassification({ tokenizer }),
      computeMetrics: ({ predictions, labelIds }) => {
        lastPredShape = [...predictions.shape];
        const p = predictions.argmax(-1).dataSync() as BigInt64Array, l = labelIds!.dataSync() as BigInt64Array;
        let ok = 0, n = 0;
        for (let i = 0; i < l.length; i++) if (l[i] !== -100n) (n++, p[i] === l[i] && ok++);
        return { accuracy: ok / n };
      },
    });
    await t.train();
    const evals = t.state.logHistory.filter((e) => "eval_accuracy" in e);
    expect(evals.length).toBe(4);
    expect(evals[3].eval_accuracy).toBeGreaterThan(0.9);
    expect(lastPredShape).toEqual([23, 7, 3]);
    rmSync(out, { recursive: true, force: true });
  });
});
