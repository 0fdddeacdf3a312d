// Tests of the Trainer loop: training learns, strategies, checkpoints (HF's files, rotation), bit-exact resume, memory, errors.

import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSafetensors, manualSeed, memoryReport, zeros } from "@tsorch/tensor";
import { SGD, StepLR } from "@tsorch/optim";
import { EarlyStoppingCallback, Trainer, TrainerOutOfMemoryError, TrainerState, TrainingArguments, type TrainerCallback } from "@tsorch/trainer";
import { TinyClassifier, makeRows } from "./internal/tiny-classifier.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tsorch-trainer-"));
const model = (seed = 0) => (manualSeed(seed), new TinyClassifier());
const paramsOf = (m: TinyClassifier) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.dataSync() as Float32Array)]));
const lossesOf = (s: TrainerState) => s.logHistory.filter((e) => "loss" in e).map((e) => [e.step, e.loss, e.grad_norm, e.learning_rate]);
const evalsOf = (s: TrainerState) => s.logHistory.filter((e) => "eval_loss" in e).map((e) => [e.step, e.eval_loss, e.eval_accuracy]);
const accuracy = ({ predictions, labelIds }: { predictions: import("@tsorch/tensor").Tensor; labelIds: import("@tsorch/tensor").Tensor | null }) => {
  const p = predictions.argmax(-1).dataSync() as BigInt64Array, l = labelIds!.dataSync() as BigInt64Array;
  let ok = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === l[i]) ok++;
  return { accuracy: ok / p.length };
};

describe("TrainingArguments", () => {
  it("has HF's defaults and post-init rules, and round-trips through training_args.json with snake_case keys", () => {
    const a = new TrainingArguments({ outputDir: "o", evalStrategy: "steps", loggingSteps: 7, loadBestModelAtEnd: true, saveStrategy: "steps", saveSteps: 14 });
    expect([a.learningRate, a.numTrainEpochs, a.perDeviceTrainBatchSize, a.adamEpsilon, a.maxGradNorm, a.lrSchedulerType, a.seed]).toEqual([5e-5, 3, 8, 1e-8, 1, "linear", 42]);
    expect(a.evalSteps).toBe(7);
    expect(a.metricForBestModel).toBe("loss");
    expect(a.greaterIsBetter).toBe(false);
    const json = JSON.parse(a.toJsonString());
    expect(json.per_device_train_batch_size).toBe(8);
    expect(json.adam_beta1).toBe(0.9);
    expect(json.gradient_accumulation_steps).toBe(1);
    expect(TrainingArguments.fromJsonString(a.toJsonString()).toObject()).toEqual(a.toObject());
    expect(() => new TrainingArguments({ outputDir: "o", learningrate: 1 } as never)).toThrow(/unknown argument "learningrate"/);
    expect(() => new TrainingArguments({ outputDir: "o", loadBestModelAtEnd: true, evalStrategy: "epoch" })).toThrow(/strategies to match/);
  });
});

describe("Trainer", () => {
  it("learns, logs, evaluates and writes HF's checkpoint folders with rotation keeping the best", async () => {
    const out = tmp();
    const m = model();
    const t = new Trainer({
      model: m,
      args: { outputDir: out, numTrainEpochs: 6, perDeviceTrainBatchSize: 8, learningRate: 0.05, weightDecay: 0.01, loggingSteps: 4, evalStrategy: "epoch", saveStrategy: "epoch", saveTotalLimit: 2, loadBestModelAtEnd: true, metricForBestModel: "accuracy", disableTqdm: true, warmupRatio: 0.1 },
      trainDataset: makeRows(96, 1),
      evalDataset: makeRows(40, 2),
      computeMetrics: accuracy,
    });
    const r = await t.train();
    expect(r.globalStep).toBe(72);
    const losses = lossesOf(t.state).map((x) => x[1] as number);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.7);
    const evals = evalsOf(t.state);
    expect(evals.length).toBe(6);
    expect(t.state.bestMetric).toBe(Math.max(...evals.map((e) => e[2] as number)));
    const ckpts = readdirSync(out).filter((n) => n.startsWith("checkpoint-"));
    expect(ckpts.length).toBeLessThanOrEqual(2);
    expect(t.state.bestModelCheckpoint && existsSync(t.state.bestModelCheckpoint)).toBeTruthy();
    // loadBestModelAtEnd: the model now holds the best checkpoint's weights.
    const best = loadSafetensors(new Uint8Array(readFileSync(join(t.state.bestModelCheckpoint!, "model.safetensors"))));
    for (const [k, v] of Object.entries(m.stateDict())) expect(Array.from(v.dataSync() as Float32Array), k).toEqual(Array.from(best[k].dataSync() as Float32Array));
    const last = join(out, "checkpoint-72");
    for (const f of ["model.safetensors", "config.json", "optimizer.safetensors", "optimizer.json", "scheduler.json", "rng_state.json", "trainer_state.json", "training_args.json"])
      expect(existsSync(join(last, f)), f).toBe(true);
    const st = JSON.parse(readFileSync(join(last, "trainer_state.json"), "utf8"));
    for (const k of ["log_history", "best_metric", "best_model_checkpoint", "global_step", "epoch", "max_steps"]) expect(st).toHaveProperty(k);
    expect(st.global_step).toBe(72);
    expect(JSON.parse(readFileSync(join(last, "config.json"), "utf8")).numLabels).toBe(3);
    expect(TrainingArguments.fromJsonString(readFileSync(join(last, "training_args.json"), "utf8")).toObject()).toEqual(t.args.toObject());
    // The optimizer's groups: weight decay on the Linear weights only.
    const groups = JSON.parse(readFileSync(join(last, "optimizer.json"), "utf8")).param_groups;
    expect(groups.map((g: { weightDecay: number; params: number[] }) => [g.weightDecay, g.params.length])).toEqual([[0.01, 2], [0, 4]]);
    rmSync(out, { recursive: true, force: true });
  });

  it("resumes bit-exactly from a mid-epoch checkpoint with gradient accumulation (losses, grad norms, parameters, metrics)", async () => {
    const args = (out: string) => ({ outputDir: out, maxSteps: 14, perDeviceTrainBatchSize: 3, gradientAccumulationSteps: 2, learningRate: 0.03, loggingSteps: 1, evalStrategy: "steps" as const, evalSteps: 5, saveSteps: 5, disableTqdm: true, lrSchedulerType: "cosine" as const, warmupSteps: 2 });
    const rows = makeRows(20, 3); // 7 batches of 3 -> 4 optimizer steps per epoch, so checkpoint-5 is mid-epoch
    const full = tmp();
    const a = new Trainer({ model: model(), args: args(full), trainDataset: rows, evalDataset: makeRows(9, 4), computeMetrics: accuracy });
    await a.train();

    const part = tmp();
    const stopAt7: TrainerCallback = { onStepEnd: (_a, s, c) => void (s.globalStep === 7 && (c.shouldTrainingStop = true)) };
    const b1 = new Trainer({ model: model(), args: args(part), trainDataset: rows, evalDataset: makeRows(9, 4), computeMetrics: accuracy, callbacks: [stopAt7] });
    await b1.train();
    expect(existsSync(join(part, "checkpoint-5"))).toBe(true);
    rmSync(join(part, "checkpoint-7"), { recursive: true, force: true }); // as if killed before step 7's save
    const b2 = new Trainer({ model: model(99), args: args(part), trainDataset: rows, evalDataset: makeRows(9, 4), computeMetrics: accuracy });
    await b2.train({ resumeFromCheckpoint: join(part, "checkpoint-5") });
    expect(lossesOf(b2.state)).toEqual(lossesOf(a.state));
    expect(evalsOf(b2.state)).toEqual(evalsOf(a.state));
    expect(paramsOf(b2.model as TinyClassifier)).toEqual(paramsOf(a.model as TinyClassifier));
    console.log(`resume: ${lossesOf(a.state).length} logged steps and ${evalsOf(a.state).length} evaluations equal bit for bit`);
    rmSync(full, { recursive: true, force: true });
    rmSync(part, { recursive: true, force: true });
  });

  it("frees every step's intermediates: live tensors, storages and bytes stay flat over many steps", async () => {
    const out = tmp();
    const seen: { t: number; s: number; b: number }[] = [];
    const probe: TrainerCallback = {
      onStepEnd: (_a, s) => {
        if (s.globalStep % 250 === 0) {
          const r = memoryReport();
          seen.push({ t: r.liveTensors, s: r.liveStorages, b: Object.values(r.bytesByDevice).reduce((x, y) => x + y, 0) });
        }
      },
    };
    const t = new Trainer({ model: model(), args: { outputDir: out, maxSteps: 2000, perDeviceTrainBatchSize: 2, gradientAccumulationSteps: 2, loggingSteps: 10, saveStrategy: "no", disableTqdm: true }, trainDataset: makeRows(64, 5), callbacks: [probe] });
    await t.train();
    expect(seen.length).toBe(8);
    for (const x of seen.slice(1)) expect(x).toEqual(seen[0]);
    console.log(`memory over 2000 steps: ${seen[0].t} tensors, ${seen[0].s} storages, ${seen[0].b} bytes at every probe`);
    rmSync(out, { recursive: true, force: true });
  });

  it("uses the optimizer and scheduler it is given (optimizers: [opt, sched])", async () => {
    const out = tmp();
    const m = model();
    const opt = new SGD(m.parameters(), { lr: 0.1 });
    const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const saved: string[] = [];
    const tokenizer = { savePretrained: (dir: string) => void (writeFileSync(join(dir, "tokenizer.json"), "{}"), saved.push(dir)) };
    const t = new Trainer({ model: m, args: { outputDir: out, maxSteps: 5, perDeviceTrainBatchSize: 4, loggingSteps: 1, saveSteps: 5, disableTqdm: true }, trainDataset: makeRows(16), optimizers: [opt, sched], tokenizer });
    await t.train();
    expect(existsSync(join(out, "checkpoint-5", "tokenizer.json"))).toBe(true); // the tokenizer goes into each checkpoint
    expect(t.state.logHistory.filter((e) => "learning_rate" in e).map((e) => e.learning_rate)).toEqual([0.1, 0.05, 0.05, 0.025, 0.025]);
    rmSync(out, { recursive: true, force: true });
  });

  it("predicts: logits for every row, labels, and test_ metrics", async () => {
    const out = tmp();
    const t = new Trainer({ model: model(), args: { outputDir: out, perDeviceEvalBatchSize: 7, disableTqdm: true }, computeMetrics: accuracy });
    const r = await t.predict(makeRows(20, 8));
    expect(r.predictions!.shape).toEqual([20, 3]);
    expect(Array.from(r.labelIds!.dataSync() as BigInt64Array).map(Number)).toEqual(makeRows(20, 8).map((x) => x.labels));
    expect(Object.keys(r.metrics)).toEqual(expect.arrayContaining(["test_loss", "test_accuracy", "test_runtime"]));
    expect(t.state.logHistory.length).toBe(0); // predict does not log, as HF
    rmSync(out, { recursive: true, force: true });
  });

  it("stops early when the metric stops improving", async () => {
    const out = tmp();
    const t = new Trainer({
      model: model(),
      args: { outputDir: out, numTrainEpochs: 50, perDeviceTrainBatchSize: 16, learningRate: 1e-9, evalStrategy: "epoch", saveStrategy: "epoch", metricForBestModel: "loss", disableTqdm: true, saveTotalLimit: 1 },
      trainDataset: makeRows(32, 1),
      evalDataset: makeRows(16, 2),
      callbacks: [new EarlyStoppingCallback({ earlyStoppingPatience: 2, earlyStoppingThreshold: 0.1 })],
    });
    const r = await t.train();
    expect(r.globalStep).toBe(2 * 3);
    rmSync(out, { recursive: true, force: true });
  });
});

describe("Trainer errors", () => {
  const base = (out: string) => ({ outputDir: out, maxSteps: 4, perDeviceTrainBatchSize: 4, disableTqdm: true, saveSteps: 2 });
  it("refuses an empty dataset, unknown columns, out-of-range labels, a metric that is not computed", async () => {
    const out = tmp();
    await expect(new Trainer({ model: model(), args: base(out), trainDataset: [] }).train()).rejects.toThrow(/trainDataset is empty/);
    const extra = makeRows(8).map((r) => ({ ...r, idx: 1 }));
    await expect(new Trainer({ model: model(), args: { ...base(out), removeUnusedColumns: false }, trainDataset: extra }).train()).rejects.toThrow(/column\(s\) "idx".*removeUnusedColumns/);
    await new Trainer({ model: model(), args: { ...base(out), saveStrategy: "no" }, trainDataset: extra }).train(); // removed silently
    await expect(new Trainer({ model: model(), args: base(out), trainDataset: [{ text: 1 }] }).train()).rejects.toThrow(/no column of trainDataset/);
    await expect(new Trainer({ model: model(), args: { ...base(out), evalStrategy: "epoch" }, trainDataset: makeRows(8) }).train()).rejects.toThrow(/no evalDataset was given/);
    await expect(new Trainer({ model: model(), args: { ...base(out), labelNames: ["target"] }, trainDataset: makeRows(8) }).train()).rejects.toThrow(/labelNames names "target".*columns: features, labels/);
    const bad = makeRows(8).map((r, i) => ({ ...r, labels: i === 5 ? 3 : r.labels }));
    await expect(new Trainer({ model: model(), args: base(out), trainDataset: bad }).train()).rejects.toThrow(/label 3 .* out of range for numLabels = 3/);
    await expect(new Trainer({ model: model(), args: { ...base(out), evalStrategy: "steps", evalSteps: 2, metricForBestModel: "f1" }, trainDataset: makeRows(8), evalDataset: makeRows(4), computeMetrics: accuracy }).train()).rejects.toThrow(/metricForBestModel "f1" was not computed.*eval_accuracy/);
    rmSync(out, { recursive: true, force: true });
  });

  it("turns an allocation failure in a step into a message naming the batch size and half of it", async () => {
    // 2^31 float32 per row: a batch of 4 asks for 2^33 elements, past what V8 can hold, so creation fails at once
    // (no memory is touched) with @tsorch/tensor's "cannot allocate" error, as a real out-of-memory batch would.
    class Greedy extends TinyClassifier {
      override forward(batch: Record<string, import("@tsorch/tensor").Tensor>) {
        zeros([batch.features.shape[0], 2 ** 31]);
        return super.forward(batch);
      }
    }
    const out = tmp();
    const greedy = () => (manualSeed(0), new Greedy());
    const err = await new Trainer({ model: greedy(), args: { ...base(out), perDeviceTrainBatchSize: 4 }, trainDataset: makeRows(8) }).train().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerOutOfMemoryError);
    expect((err as Error).message).toMatch(/out of memory in training step 1 with a batch of 4 rows \(perDeviceTrainBatchSize = 4\).*cannot allocate.*perDeviceTrainBatchSize: 2/s);
    expect((err as TrainerOutOfMemoryError).suggestedBatchSize).toBe(2);
    const evalErr = await new Trainer({ model: greedy(), args: { ...base(out), perDeviceEvalBatchSize: 4 }, evalDataset: makeRows(8) }).evaluate().catch((e: unknown) => e);
    expect((evalErr as Error).message).toMatch(/out of memory in evaluation step 1 with a batch of 4 rows.*perDeviceEvalBatchSize: 2/s);
    // Other errors of forward pass through unchanged.
    class Broken extends TinyClassifier {
      override forward(): never {
        throw new TypeError("shape mismatch in fc1");
      }
    }
    await expect(new Trainer({ model: new Broken(), args: base(out), trainDataset: makeRows(8) }).train()).rejects.toThrow(/^shape mismatch in fc1$/);
    // forward's signature is not in TrainableModel's type, so what it returns is checked when it runs.
    class NotAnOutput extends TinyClassifier {
      override forward(): never {
        return 5 as never;
      }
    }
    await expect(new Trainer({ model: new NotAnOutput(), args: base(out), trainDataset: makeRows(8) }).train()).rejects.toThrow(/NotAnOutput\.forward returned number; it must .* return \{ loss\?, logits\?, … \}/);
    rmSync(out, { recursive: true, force: true });
  });

  it("refuses a missing or damaged checkpoint folder", async () => {
    const out = tmp();
    await new Trainer({ model: model(), args: base(out), trainDataset: makeRows(16) }).train();
    const t = () => new Trainer({ model: model(), args: base(out), trainDataset: makeRows(16) });
    await expect(t().train({ resumeFromCheckpoint: join(out, "checkpoint-99") })).rejects.toThrow(/checkpoint-99 does not exist/);
    writeFileSync(join(out, "checkpoint-2", "trainer_state.json"), "{ truncated");
    await expect(t().train({ resumeFromCheckpoint: join(out, "checkpoint-2") })).rejects.toThrow(/trainer_state.json is not valid JSON.*damaged/);
    rmSync(join(out, "checkpoint-4", "optimizer.safetensors"));
    await expect(t().train({ resumeFromCheckpoint: true })).rejects.toThrow(/checkpoint-4 has no optimizer.safetensors/);
    writeFileSync(join(out, "checkpoint-4", "optimizer.safetensors"), "garbage");
    await expect(t().train({ resumeFromCheckpoint: true })).rejects.toThrow(/optimizer state .* could not be loaded/);
    rmSync(out, { recursive: true, force: true });
  });

  it("stops on a NaN loss with the step number and keeps the last good checkpoint", async () => {
    const out = tmp();
    const rows = makeRows(32).map((r, i) => (i >= 20 ? { ...r, features: [NaN, 0, 0, 0] } : r));
    const t = new Trainer({ model: model(), args: { ...base(out), maxSteps: 20, saveSteps: 2 }, trainDataset: rows.slice(0, 20).concat(rows.slice(20)), });
    (t.args as TrainingArguments).dataSeed = 7;
    let err: Error | null = null;
    try {
      await t.train();
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/loss is NaN at step \d+/);
    const step = Number(/step (\d+)/.exec(err!.message)![1]);
    const ckpts = readdirSync(out).filter((n) => /^checkpoint-\d+$/.test(n)).map((n) => Number(n.slice(11)));
    expect(Math.max(...ckpts, 0)).toBeLessThan(step);
    if (ckpts.length) expect(err!.message).toContain(`checkpoint-${Math.max(...ckpts)}`);
    rmSync(out, { recursive: true, force: true });
  });
});
