// Benchmark: the Trainer's time per optimizer step beside the same loop written by hand (collate, forward, backward, clip, AdamW, schedule).

import { rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clipGradNorm_ } from "@tsorch/nn";
import { getLinearScheduleWithWarmup } from "@tsorch/optim";
import { manualSeed, scope } from "@tsorch/tensor";
import { Trainer, TrainingArguments, defaultDataCollator } from "../src/index.js";
import { TinyClassifier, makeRows } from "../src/internal/tiny-classifier.js";
import { createOptimizer } from "../src/internal/optimizer-setup.js";

const STEPS = Number(process.env.BENCH_STEPS ?? 300);
const IN = 64, HIDDEN = 256, LABELS = 10, BATCH = 32;
const rows = makeRows(BATCH * 40, 1, IN, LABELS);
// CPU time of this process (user + system): on a shared machine, wall time mostly measures the neighbours.
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function byHand(): Promise<number> {
  manualSeed(0);
  const model = new TinyClassifier(IN, HIDDEN, LABELS);
  const args = new TrainingArguments({ outputDir: "unused", learningRate: 1e-3, weightDecay: 0.01 });
  const opt = createOptimizer(model, args);
  const sched = getLinearScheduleWithWarmup(opt, { numWarmupSteps: 0, numTrainingSteps: STEPS });
  const params = model.parameters();
  model.train();
  const t0 = cpuMs();
  for (let step = 0; step < STEPS; step++) {
    const start = (step * BATCH) % rows.length;
    opt.zeroGrad();
    await scope(async () => {
      const out = model.forward(defaultDataCollator(rows.slice(start, start + BATCH)));
      out.loss!.backward();
      await out.loss!.item();
      await clipGradNorm_(params, 1).item();
    });
    opt.step();
    sched.step();
  }
  return (cpuMs() - t0) / STEPS;
}

async function withTrainer(): Promise<number> {
  manualSeed(0);
  const out = mkdtempSync(join(tmpdir(), "tsorch-trainer-bench-"));
  const trainer = new Trainer({
    model: new TinyClassifier(IN, HIDDEN, LABELS),
    args: { outputDir: out, maxSteps: STEPS, perDeviceTrainBatchSize: BATCH, learningRate: 1e-3, weightDecay: 0.01, saveStrategy: "no", loggingSteps: 50, disableTqdm: true },
    trainDataset: rows,
  });
  const t0 = cpuMs();
  await trainer.train();
  const ms = (cpuMs() - t0) / STEPS;
  rmSync(out, { recursive: true, force: true });
  return ms;
}

console.log(`@tsorch/trainer: CPU ms per optimizer step, MLP ${IN}->${HIDDEN}->${LABELS}, batch ${BATCH}, ${STEPS} steps, CPU\n`);
// Warm up both paths once, then alternate to spread machine noise.
await byHand();
await withTrainer();
const hand: number[] = [], trainer: number[] = [];
for (let i = 0; i < 5; i++) {
  hand.push(await byHand());
  trainer.push(await withTrainer());
}
// The fastest of five alternated runs: on a shared machine other processes only ever add time.
const h = Math.min(...hand), t = Math.min(...trainer);
console.log(`hand-written loop   ${h.toFixed(3)} ms/step (best of 5; all: ${hand.map((x) => x.toFixed(2)).join(", ")})`);
console.log(`Trainer.train()     ${t.toFixed(3)} ms/step (best of 5; all: ${trainer.map((x) => x.toFixed(2)).join(", ")})`);
console.log(`Trainer overhead    ${(((t - h) / h) * 100).toFixed(1)} % (target < 5 %)`);
