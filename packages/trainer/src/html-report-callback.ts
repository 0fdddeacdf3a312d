// HtmlReportCallback: a self-contained HTML page of the run's curves, rewritten at every evaluation and at the end of training.

import { writeFileAtomic } from "@tsorch/tensor/node";
import { join } from "node:path";
import { reportPage } from "./internal/report-page.js";
import type { TrainerCallback } from "./trainer-callback.js";
import type { TrainingArguments } from "./training-args.js";
import type { TrainerState } from "./trainer-state.js";

/**
 * Writes `outputDir/report.html` (no network: uPlot inlined) with the loss, learning rate, gradient norm and every
 * eval metric against the step; added by `reportTo: ["html"]` or `["jsonl"]`.
 * @example new TrainingArguments({ outputDir: "out", reportTo: ["jsonl", "tensorboard"] }) // out/report.html too
 */
export class HtmlReportCallback implements TrainerCallback {
  /** The path of the last report written. */
  file: string | null = null;

  private write(args: TrainingArguments, state: TrainerState): void {
    this.file = join(args.outputDir, "report.html");
    const html = reportPage([{ name: args.runName ?? "run", logs: state.logHistory }], { title: `Training report: ${args.runName ?? args.outputDir}` });
    writeFileAtomic(this.file, html, "HtmlReportCallback");
  }

  onEvaluate(args: TrainingArguments, state: TrainerState): void {
    this.write(args, state);
  }

  onTrainEnd(args: TrainingArguments, state: TrainerState): void {
    this.write(args, state);
  }
}
