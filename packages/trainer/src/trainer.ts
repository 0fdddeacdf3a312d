// Trainer: Hugging Face's Trainer loop (accumulation, clipping, schedules, strategies, callbacks, checkpoints, resume).

import { dirname, resolve } from "node:path";
import { clipGradNorm_, type Module } from "@tsorch/nn";
import type { LRScheduler, Optimizer } from "@tsorch/optim";
import { Generator, Tensor, getRngState, manualSeed, randperm, scope, setRngState } from "@tsorch/tensor";
import { TrainingArguments, type TrainingArgumentsInit } from "./training-args.js";
import { TrainerControl, TrainerState, type LogEntry } from "./trainer-state.js";
import { CallbackHandler, callbackKey, type CallbackEventName, type TrainerCallback } from "./trainer-callback.js";
import { DefaultFlowCallback } from "./default-flow-callback.js";
import { ProgressCallback } from "./progress-callback.js";
import { defaultDataCollator, rowSource, type Batch, type Row, type RowSource, type TrainerDataset } from "./internal/rows.js";
import { createOptimizer, createScheduler } from "./internal/optimizer-setup.js";
import { predictionLoop } from "./internal/prediction-loop.js";
import { forwardBatch, isAllocationFailure } from "./internal/forward-batch.js";
import { TrainerOutOfMemoryError } from "./out-of-memory-error.js";
import { checkLabels, prepareColumns } from "./internal/columns.js";
import { loadCheckpoint, loadModelWeights, resolveResume, saveCheckpointFolder, writeModelFiles, type LoopState } from "./internal/trainer-checkpoint.js";
import { getLastCheckpoint, removeStaleTemporaries, rotateCheckpoints } from "./internal/checkpoint-io.js";
import { reporterCallbacks } from "./internal/reporters.js";
import { JsonlCallback, runDir } from "./jsonl-callback.js";
import { serveBoard, type BoardServer } from "./board-server.js";

/** What a model's forward returns: HF's `ModelOutput` fields (a loss when labels are given, logits, …). */
export interface ModelOutput {
  loss?: Tensor;
  logits?: Tensor;
  [key: string]: unknown;
}

/**
 * What the Trainer trains: an nn `Module` whose `forward` takes a batch of named tensors (`inputIds`, `attentionMask`,
 * `labels`, …) and returns `{ loss?, logits? }` (any `PreTrainedModel`, or your own module). As in HF, where
 * `model` is any `nn.Module`, `forward`'s signature is not part of this type (`Module.forward` is declared with
 * `never[]` arguments, which no concrete forward can satisfy); the Trainer checks what forward returns at the first
 * step instead. `config` (saved as config.json), `savePretrained(dir)` and `inputNames` (the batch keys forward
 * takes, used by `removeUnusedColumns`) are used when present.
 */
export type TrainableModel = Module & {
  config?: unknown;
  savePretrained?(dir: string): unknown;
  inputNames?: readonly string[];
};

/** What `computeMetrics` receives, as HF's `EvalPrediction` (tensors on the CPU). */
export interface EvalPrediction {
  predictions: Tensor;
  labelIds: Tensor | null;
}

/** The Trainer's options, as HF's `Trainer(...)` keyword arguments. */
export interface TrainerOptions {
  model: TrainableModel;
  args: TrainingArguments | TrainingArgumentsInit;
  trainDataset?: TrainerDataset;
  evalDataset?: TrainerDataset;
  /** Turns rows into a batch; HF's `default_data_collator` when absent. */
  dataCollator?: (rows: Row[]) => Batch;
  /** Kept for HF parity (saved by `saveModel` when it has `savePretrained`). */
  tokenizer?: { savePretrained?(dir: string): unknown } | unknown;
  computeMetrics?: (p: EvalPrediction) => Record<string, number>;
  callbacks?: TrainerCallback[];
  /** `[optimizer, scheduler]`; either may be null for HF's defaults (AdamW, `lrSchedulerType`). */
  optimizers?: [Optimizer<object> | null, LRScheduler | null];
}

/** What `train()` returns, as HF's `TrainOutput`. */
export interface TrainOutput {
  globalStep: number;
  trainingLoss: number;
  metrics: Record<string, number>;
}

/** Errors of the training loop (NaN loss, bad inputs), naming the step and what to do. */
export class TrainerError extends Error {
  override name = "TrainerError";
}

const camelKey = (k: string): string => (k === "label" || k === "label_ids" ? "labels" : k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()));

/**
 * Trains, evaluates and checkpoints a model as Hugging Face's `Trainer`.
 * @example
 * const trainer = new Trainer({ model, args: { outputDir: "out", numTrainEpochs: 3, evalStrategy: "epoch" }, trainDataset, evalDataset, computeMetrics });
 * await trainer.train();
 * const metrics = await trainer.evaluate();
 */
export class Trainer {
  readonly model: TrainableModel;
  readonly args: TrainingArguments;
  readonly callbackHandler: CallbackHandler;
  state = new TrainerState();
  readonly control = new TrainerControl();
  optimizer: Optimizer<object> | null;
  lrScheduler: LRScheduler | null;
  private readonly opts: TrainerOptions;
  private newBest = false;
  private lastSaved = -1;
  private lastEval = -1;
  private lastLog = -1;
  /** Set by `serve()`: yield to the event loop after each step so the board's server can push events. */
  private yieldEachStep = false;
  private loop: LoopState = { trLossSum: 0, stepsSinceLog: 0, totalLossSum: 0, gradNorm: null };

  constructor(opts: TrainerOptions) {
    if (!opts || !opts.model) throw new TypeError("Trainer: `model` is required (an nn Module whose forward takes a batch object).");
    this.opts = opts;
    this.model = opts.model;
    this.args = opts.args instanceof TrainingArguments ? opts.args : new TrainingArguments(opts.args);
    if (this.args.device) this.model.to(this.args.device);
    [this.optimizer, this.lrScheduler] = opts.optimizers ?? [null, null];
    const cbs: TrainerCallback[] = [new DefaultFlowCallback(), ...reporterCallbacks(this.args)];
    if (!this.args.disableTqdm) cbs.push(new ProgressCallback());
    this.callbackHandler = new CallbackHandler([...cbs, ...(opts.callbacks ?? [])]);
    this.fire("onInitEnd");
  }

  /** Adds a callback, as HF's `add_callback`. @example trainer.addCallback(new EarlyStoppingCallback()) */
  addCallback(cb: TrainerCallback): void {
    this.callbackHandler.add(cb);
  }

  private fire(event: CallbackEventName, extras: Record<string, unknown> = {}): void {
    this.callbackHandler.call(event, this.args, this.state, this.control, { model: this.model, ...extras });
  }

  private get labelName(): string {
    return camelKey(this.args.labelNames?.[0] ?? "labels");
  }

  /** The device batches go to: the model's, looked up when train / evaluate start (parameters() walks the module tree). */
  private batchDevice = "cpu";
  private lookUpDevice(): void {
    this.batchDevice = this.model.parameters()[0]?.device ?? "cpu";
  }

  /** Builds a batch from rows: column checks, collation, HF camelCase keys, the model's device. */
  private makeBatch(rows: Row[]): Batch {
    checkLabels(rows, this.model);
    const raw = (this.opts.dataCollator ?? defaultDataCollator)(rows);
    const dev = this.batchDevice;
    const out: Batch = {};
    for (const [k, v] of Object.entries(raw)) out[camelKey(k)] = v.device === dev ? v : v.to(dev);
    return out;
  }

  private source(ds: TrainerDataset | undefined, what: string): RowSource {
    if (!ds) throw new TypeError(`Trainer: no ${what} was given; pass it to the constructor (or to the call).`);
    return prepareColumns(rowSource(ds, what), this.model, this.args, what);
  }

  /**
   * Runs the training loop, as HF's `train`. `resumeFromCheckpoint`: a checkpoint folder, or `true` for the newest
   * one in `outputDir`; the run then continues bit for bit as if it had never stopped.
   * @example await trainer.train({ resumeFromCheckpoint: true })
   */
  async train(opts: { resumeFromCheckpoint?: string | boolean } = {}): Promise<TrainOutput> {
    const args = this.args;
    const src = this.source(this.opts.trainDataset, "trainDataset");
    if (args.evalStrategy !== "no" && !this.opts.evalDataset)
      throw new TypeError(`Trainer: evalStrategy is "${args.evalStrategy}" but no evalDataset was given; pass evalDataset or set evalStrategy: "no".`);
    this.lookUpDevice();
    const bs = args.perDeviceTrainBatchSize, gas = args.gradientAccumulationSteps;
    const numBatches = args.dataloaderDropLast ? Math.floor(src.size / bs) : Math.ceil(src.size / bs);
    if (numBatches === 0) throw new RangeError(`Trainer: trainDataset has ${src.size} rows, fewer than one batch of ${bs} with dataloaderDropLast; lower perDeviceTrainBatchSize.`);
    const stepsPerEpoch = Math.max(1, Math.ceil(numBatches / gas));
    const maxSteps = args.maxSteps > 0 ? args.maxSteps : Math.ceil(args.numTrainEpochs * stepsPerEpoch);
    const numEpochs = Math.ceil(maxSteps / stepsPerEpoch);

    manualSeed(args.seed);
    this.optimizer ??= createOptimizer(this.model, args);
    this.lrScheduler ??= createScheduler(this.optimizer, args, maxSteps);
    this.state = Object.assign(new TrainerState(), {
      maxSteps, numTrainEpochs: numEpochs, trainBatchSize: bs, loggingSteps: args.loggingSteps,
      evalSteps: args.evalSteps ?? args.loggingSteps, saveSteps: args.saveSteps,
    });
    this.loop = { trLossSum: 0, stepsSinceLog: 0, totalLossSum: 0, gradNorm: null };
    this.lastSaved = this.lastEval = this.lastLog = -1;
    removeStaleTemporaries(args.outputDir);

    const resumeDir = resolveResume(opts.resumeFromCheckpoint, args.outputDir);
    if (resumeDir) {
      const loaded = loadCheckpoint(resumeDir, this.model, this.optimizer, this.lrScheduler);
      this.state = Object.assign(loaded.state, { maxSteps, numTrainEpochs: numEpochs });
      this.loop = loaded.loop;
      setRngState(loaded.rng);
      for (const cb of this.callbackHandler.callbacks) {
        const s = this.state.statefulCallbacks[callbackKey(cb)];
        if (s && cb.loadState) cb.loadState(s);
      }
      this.lastSaved = this.state.globalStep;
    }
    const startEpoch = Math.floor(this.state.globalStep / stepsPerEpoch);
    const skipSteps = this.state.globalStep % stepsPerEpoch;
    const params = this.model.parameters().filter((p) => p.requiresGrad);
    const dataSeed = BigInt(args.dataSeed ?? args.seed);
    const start = performance.now();

    this.model.train();
    this.fire("onTrainBegin");
    for (let epoch = startEpoch; epoch < numEpochs && this.state.globalStep < maxSteps && !this.control.shouldTrainingStop; epoch++) {
      const order = this.epochOrder(dataSeed, epoch, src.size);
      this.fire("onEpochBegin");
      for (let u = epoch === startEpoch ? skipSteps : 0; u < stepsPerEpoch; u++) {
        this.fire("onStepBegin");
        this.optimizer.zeroGrad();
        const first = u * gas, last = Math.min(numBatches, first + gas);
        let stepLoss = 0;
        for (let b = first; b < last; b++) {
          const rows = order.slice(b * bs, Math.min(src.size, (b + 1) * bs)).map((i) => src.row(i));
          stepLoss += await scope(async () => {
            const batch = this.makeBatch(rows);
            try {
              const out = forwardBatch(this.model, batch);
              if (!(out.loss instanceof Tensor))
                throw new TrainerError(`Trainer: the model's forward returned no loss (keys: ${Object.keys(out).join(", ")}); give the batch "${this.labelName}" or make forward compute the loss.`);
              const l = last - first === 1 ? out.loss : out.loss.div(last - first);
              l.backward();
              return Number(await l.item());
            } catch (e) {
              if (isAllocationFailure(e)) throw new TrainerOutOfMemoryError("training", this.state.globalStep + 1, rows.length, e);
              throw e;
            }
          });
          if (b < last - 1) this.fire("onSubstepEnd");
        }
        if (!Number.isFinite(stepLoss)) {
          const good = getLastCheckpoint(args.outputDir);
          throw new TrainerError(
            `Trainer: the loss is ${stepLoss} at step ${this.state.globalStep + 1} (epoch ${epoch}); training stopped before the optimizer step. ` +
              (good ? `The last good checkpoint is ${good}; ` : "No checkpoint was saved yet; ") + "lower learningRate, set maxGradNorm, or check the data.",
          );
        }
        if (args.maxGradNorm > 0) this.loop.gradNorm = await scope(async () => Number(await clipGradNorm_(params, args.maxGradNorm).item()));
        this.fire("onPreOptimizerStep");
        this.optimizer.step();
        this.fire("onOptimizerStep");
        this.lrScheduler.step();
        this.state.globalStep++;
        this.state.epoch = epoch + (u + 1) / stepsPerEpoch;
        this.loop.trLossSum += stepLoss;
        this.loop.totalLossSum += stepLoss;
        this.loop.stepsSinceLog++;
        this.fire("onStepEnd");
        await this.maybeLogSaveEvaluate(epoch, order);
        if (this.yieldEachStep) await new Promise((r) => setImmediate(r));
        if (this.control.shouldEpochStop || this.control.shouldTrainingStop) break;
      }
      this.control.shouldEpochStop = false;
      this.fire("onEpochEnd");
      await this.maybeLogSaveEvaluate(epoch, order);
    }

    if (args.loadBestModelAtEnd && this.state.bestModelCheckpoint) {
      loadModelWeights(this.state.bestModelCheckpoint, this.model);
    }
    const runtime = (performance.now() - start) / 1000;
    const trainingLoss = this.state.globalStep > 0 ? this.loop.totalLossSum / this.state.globalStep : 0;
    const metrics = {
      train_runtime: runtime,
      train_samples_per_second: (this.state.globalStep * bs * gas) / runtime,
      train_steps_per_second: this.state.globalStep / runtime,
      total_flos: this.state.totalFlos,
      train_loss: trainingLoss,
    };
    this.log(metrics);
    this.fire("onTrainEnd");
    this.control.shouldTrainingStop = false;
    return { globalStep: this.state.globalStep, trainingLoss, metrics };
  }

  /** The sample order of one epoch: a permutation from a generator seeded with `dataSeed`, advanced by epoch. */
  private epochOrder(seed: bigint, epoch: number, n: number): number[] {
    const g = new Generator(seed);
    g.setState({ seed, offset: epoch * Math.ceil(n / 4) });
    return scope(() => Array.from(randperm(n, { generator: g, device: "cpu" }).dataSync() as BigInt64Array, Number));
  }

  private async maybeLogSaveEvaluate(epoch: number, order: number[]): Promise<void> {
    const c = this.control, step = this.state.globalStep;
    if (c.shouldLog && this.lastLog !== step && this.loop.stepsSinceLog > 0) {
      this.lastLog = step;
      const logs: Record<string, number> = { loss: this.loop.trLossSum / this.loop.stepsSinceLog };
      if (this.loop.gradNorm !== null) logs.grad_norm = this.loop.gradNorm;
      logs.learning_rate = this.lrScheduler!.getLastLr()[0];
      this.loop.trLossSum = 0;
      this.loop.stepsSinceLog = 0;
      this.log(logs);
    }
    if (c.shouldEvaluate && this.lastEval !== step && this.opts.evalDataset) {
      this.lastEval = step;
      const metrics = await this.evaluate();
      this.determineBest(metrics);
    }
    if (c.shouldSave && this.lastSaved !== step) {
      this.lastSaved = step;
      await this.saveCheckpoint(epoch, order);
    }
    c.shouldLog = c.shouldEvaluate = c.shouldSave = false;
  }

  private determineBest(metrics: Record<string, number>): void {
    const name0 = this.args.metricForBestModel;
    if (name0 === null) return;
    const name = name0.startsWith("eval_") ? name0 : `eval_${name0}`;
    const v = metrics[name];
    if (v === undefined)
      throw new TrainerError(`Trainer: metricForBestModel "${name0}" was not computed; the evaluation returned ${Object.keys(metrics).join(", ")}. Pick one of them or return it from computeMetrics.`);
    const best = this.state.bestMetric;
    if (best === null || (this.args.greaterIsBetter ? v > best : v < best)) {
      this.state.bestMetric = v;
      this.state.bestGlobalStep = this.state.globalStep;
      this.newBest = true;
    }
  }

  private async saveCheckpoint(epoch: number, order: number[]): Promise<void> {
    const dir = resolve(this.args.outputDir, `checkpoint-${this.state.globalStep}`);
    if (this.newBest) (this.state.bestModelCheckpoint = dir), (this.newBest = false);
    for (const cb of this.callbackHandler.callbacks) if (cb.state) this.state.statefulCallbacks[callbackKey(cb)] = cb.state();
    await saveCheckpointFolder(dir, resolve(this.args.outputDir), {
      model: this.model, optimizer: this.optimizer!, scheduler: this.lrScheduler!, state: this.state, args: this.args,
      rng: getRngState(), data: { epoch, order }, loop: this.loop, tokenizer: this.opts.tokenizer,
    });
    rotateCheckpoints(resolve(this.args.outputDir), this.args.saveTotalLimit, this.state.bestModelCheckpoint);
    this.fire("onSave", { checkpointDir: dir });
  }

  /** Adds `step` (and `epoch` during training) to `logs`, appends them to `logHistory` and calls `onLog`, as HF's `log`. */
  log(logs: Record<string, number>): void {
    const entry: LogEntry = { ...logs };
    if (this.state.epoch) entry.epoch = this.state.epoch;
    entry.step = this.state.globalStep;
    this.state.logHistory.push(entry);
    this.fire("onLog", { logs: entry });
  }

  /**
   * Evaluates on `evalDataset`: `eval_loss`, the `computeMetrics` results prefixed `eval_`, runtime; logs them and calls
   * `onEvaluate`, as HF's `evaluate`.
   * @example const { eval_loss, eval_accuracy } = await trainer.evaluate();
   */
  async evaluate(opts: { evalDataset?: TrainerDataset; metricKeyPrefix?: string } = {}): Promise<Record<string, number>> {
    const { metrics } = await this.runPrediction(opts.evalDataset ?? this.opts.evalDataset, opts.metricKeyPrefix ?? "eval", "evalDataset", !!this.opts.computeMetrics);
    this.log(metrics);
    this.fire("onEvaluate", { metrics });
    return metrics;
  }

  /**
   * Runs the model over a dataset and returns the logits, the labels and the metrics (prefix `test_`), as HF's `predict`.
   * @example const { predictions, metrics } = await trainer.predict(testRows);
   */
  async predict(testDataset: TrainerDataset, opts: { metricKeyPrefix?: string } = {}): Promise<{ predictions: Tensor | null; labelIds: Tensor | null; metrics: Record<string, number> }> {
    const r = await this.runPrediction(testDataset, opts.metricKeyPrefix ?? "test", "testDataset", true);
    this.fire("onPredict", { metrics: r.metrics });
    return r;
  }

  private async runPrediction(ds: TrainerDataset | undefined, prefix: string, what: string, keepOutputs: boolean) {
    const src = this.source(ds, what);
    this.lookUpDevice();
    const t0 = performance.now();
    const out = await predictionLoop(this.model, src, this.args.perDeviceEvalBatchSize, (rows) => this.makeBatch(rows), this.labelName, keepOutputs);
    const metrics: Record<string, number> = {};
    if (out.loss !== null) metrics[`${prefix}_loss`] = out.loss;
    if (this.opts.computeMetrics && out.predictions && out.labelIds)
      for (const [k, v] of Object.entries(this.opts.computeMetrics({ predictions: out.predictions, labelIds: out.labelIds })))
        metrics[k.startsWith(`${prefix}_`) ? k : `${prefix}_${k}`] = v;
    const secs = (performance.now() - t0) / 1000;
    Object.assign(metrics, { [`${prefix}_runtime`]: secs, [`${prefix}_samples_per_second`]: out.numSamples / secs, [`${prefix}_steps_per_second`]: out.numBatches / secs });
    return { predictions: out.predictions, labelIds: out.labelIds, metrics };
  }

  /**
   * Serves the live board of this run (and its sibling runs) on 127.0.0.1, like Visdom: the curves update during
   * `train()` through server-sent events. Turns on `reportTo: ["jsonl"]`, which the board reads.
   * @example const board = await trainer.serve({ port: 6006 }); await trainer.train(); await board.close();
   */
  async serve(opts: { port?: number } = {}): Promise<BoardServer> {
    if (!this.args.reportTo.includes("jsonl")) {
      this.args.reportTo.push("jsonl");
      this.callbackHandler.add(new JsonlCallback());
    }
    this.yieldEachStep = true;
    return serveBoard({ dir: dirname(runDir(this.args)), port: opts.port, title: `tsorch-board: ${this.args.outputDir}` });
  }

  /**
   * Saves the model (model.safetensors, or what `savePretrained` writes; config.json when it has a config), the
   * tokenizer when it can save itself, and training_args.json, as HF's `save_model`.
   * @example await trainer.saveModel("out/final")
   */
  async saveModel(outputDir: string = this.args.outputDir): Promise<void> {
    await writeModelFiles(outputDir, this.model, this.args);
    const tok = this.opts.tokenizer as { savePretrained?(d: string): unknown } | undefined;
    if (tok && typeof tok.savePretrained === "function") await tok.savePretrained(outputDir);
  }
}

