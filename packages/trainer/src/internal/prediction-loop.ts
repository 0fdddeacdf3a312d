// The evaluation / prediction loop: batches in order without gradients, mean loss, concatenated logits and labels.

import { noGrad } from "@tsorch/autograd";
import { Tensor, cat, keep, pad, scope, toAsync } from "@tsorch/tensor";
import type { Module } from "@tsorch/nn";
import type { Batch, Row, RowSource } from "./rows.js";
import { forwardBatch, isAllocationFailure } from "./forward-batch.js";
import { TrainerOutOfMemoryError } from "../out-of-memory-error.js";

export interface LoopOutput {
  /** Mean loss over the examples (null when the model returned none). */
  loss: number | null;
  predictions: Tensor | null;
  labelIds: Tensor | null;
  numSamples: number;
  numBatches: number;
}


/** Runs the model over `src` in batches of `batchSize`, as HF's `evaluation_loop` (labels from `labelNames`). */
export async function predictionLoop(
  model: Module,
  src: RowSource,
  batchSize: number,
  makeBatch: (rows: Row[]) => Batch,
  labelName: string,
  keepOutputs: boolean,
): Promise<LoopOutput> {
  const wasTraining = model.training;
  model.train(false);
  let lossSum = 0, lossCount = 0, numBatches = 0;
  const preds: Tensor[] = [], labels: Tensor[] = [];
  try {
    for (let start = 0; start < src.size; start += batchSize) {
      const rows: Row[] = [];
      for (let i = start; i < Math.min(src.size, start + batchSize); i++) rows.push(src.row(i));
      numBatches++;
      const r = await scope(async () =>
        noGrad(async () => {
          const batch = makeBatch(rows);
          let out: { loss?: unknown; logits?: unknown };
          try {
            out = forwardBatch(model, batch);
          } catch (e) {
            if (isAllocationFailure(e)) throw new TrainerOutOfMemoryError("evaluation", numBatches, rows.length, e);
            throw e;
          }
          const loss = out.loss instanceof Tensor ? await out.loss.item() : null;
          // Outputs go to the CPU (asynchronously: a device such as WebGPU cannot be read synchronously).
          const toCpu = async (t: Tensor) => keep(t.device === "cpu" ? t.detach() : await toAsync(t.detach(), "cpu"));
          const p = keepOutputs && out.logits instanceof Tensor ? await toCpu(out.logits) : null;
          const l = keepOutputs && batch[labelName] ? await toCpu(batch[labelName]) : null;
          return { loss, p, l };
        }),
      );
      if (r.loss !== null) (lossSum += Number(r.loss) * rows.length), (lossCount += rows.length);
      if (r.p) preds.push(r.p);
      if (r.l) labels.push(r.l);
    }
  } finally {
    model.train(wasTraining);
  }
  // Batches padded to different lengths are padded again to the longest with -100, as HF's evaluation loop does.
  const join = (ts: Tensor[]): Tensor | null => {
    if (ts.length === 0) return null;
    if (ts.length === 1) return ts[0];
    const nd = ts[0].ndim;
    const max = ts[0].shape.map((_, d) => Math.max(...ts.map((t) => t.shape[d])));
    const padded = ts.map((t) => {
      if (t.shape.every((n, d) => d === 0 || n === max[d])) return t;
      const spec: number[] = [];
      for (let d = nd - 1; d >= 1; d--) spec.push(0, max[d] - t.shape[d]);
      return pad(t, spec, -100); // [b, max_1, …]
    });
    const out = cat(padded, 0); // [N, max_1, …]
    for (const t of new Set([...ts, ...padded])) t.dispose();
    return out;
  };
  return { loss: lossCount ? lossSum / lossCount : null, predictions: join(preds), labelIds: join(labels), numSamples: src.size, numBatches };
}
