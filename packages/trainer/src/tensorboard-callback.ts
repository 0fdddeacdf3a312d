// TensorBoardCallback: logs as TensorBoard scalars, weight/gradient histograms and text (reportTo: ["tensorboard"], HF's TensorBoardCallback).

import type { Module } from "@tsorch/nn";
import { SummaryWriter } from "./summary-writer.js";
import type { CallbackExtras, TrainerCallback } from "./trainer-callback.js";
import type { TrainingArguments } from "./training-args.js";
import type { TrainerControl, TrainerState } from "./trainer-state.js";
import { runDir } from "./jsonl-callback.js";

/** HF's `rewrite_logs`: `eval_x` -> `eval/x`, `test_x` -> `test/x`, everything else `train/x`. */
export function rewriteLogs(logs: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs)) {
    if (k === "step" || k === "epoch") continue;
    if (k.startsWith("eval_")) out[`eval/${k.slice(5)}`] = v;
    else if (k.startsWith("test_")) out[`test/${k.slice(5)}`] = v;
    else out[`train/${k}`] = v;
  }
  if (logs.epoch !== undefined) out["train/epoch"] = logs.epoch;
  return out;
}

/**
 * Writes each log entry's numbers as scalars, at each training log the histograms of every parameter and its gradient
 * (`parameters/<name>`, `gradients/<name>`; CPU-resident models), and the arguments and model config as text.
 * @example new TrainingArguments({ outputDir: "out", reportTo: ["tensorboard"] }) // out/runs/<run>/events.out.tfevents.*
 */
export class TensorBoardCallback implements TrainerCallback {
  writer: SummaryWriter | null = null;
  private warned = false;

  constructor(private readonly opts: { histograms?: boolean } = {}) {}

  onTrainBegin(args: TrainingArguments, _s: TrainerState, _c: TrainerControl, extras: CallbackExtras): void {
    this.writer ??= new SummaryWriter(runDir(args));
    this.writer.addText("args", "```\n" + args.toJsonString() + "```", 0);
    const cfg = (extras.model as { config?: unknown } | undefined)?.config;
    if (cfg) this.writer.addText("model_config", "```\n" + JSON.stringify(cfg, null, 2) + "\n```", 0);
  }

  onLog(args: TrainingArguments, state: TrainerState, _c: TrainerControl, extras: CallbackExtras): void {
    this.writer ??= new SummaryWriter(runDir(args));
    const logs = extras.logs ?? {};
    for (const [tag, v] of Object.entries(rewriteLogs(logs))) if (Number.isFinite(v)) this.writer.addScalar(tag, v, state.globalStep);
    if ("loss" in logs && this.opts.histograms !== false && extras.model) this.histograms(extras.model as Module, state.globalStep);
  }

  private histograms(model: Module, step: number): void {
    for (const [name, p] of model.namedParameters()) {
      if (p.device !== "cpu") {
        if (!this.warned) console.warn(`TensorBoardCallback: parameters on "${p.device}" are not histogrammed (reading them would wait on the device each log).`);
        this.warned = true;
        return;
      }
      this.writer!.addHistogram(`parameters/${name}`, p.dataSync() as Float32Array, step);
      if (p.grad) this.writer!.addHistogram(`gradients/${name}`, p.grad.dataSync() as Float32Array, step);
    }
  }

  onTrainEnd(): void {
    this.writer?.close();
    this.writer = null;
  }
}
