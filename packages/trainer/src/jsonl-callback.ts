// JsonlCallback: every log entry as one JSON line in outputDir/runs/<run>/logs.jsonl (reportTo: ["jsonl"]), read by the board.

import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CallbackExtras, TrainerCallback } from "./trainer-callback.js";
import type { TrainingArguments } from "./training-args.js";
import type { TrainerControl, TrainerState } from "./trainer-state.js";

/** The run folder of a training run: `loggingDir`, else `outputDir/runs/<runName or a timestamp>`. */
export function runDir(args: TrainingArguments): string {
  if (args.loggingDir) return args.loggingDir;
  args.runName ??= new Date().toISOString().replace(/[:.]/g, "-");
  return join(args.outputDir, "runs", args.runName);
}

/**
 * Appends each `onLog` entry to `logs.jsonl` in the run folder (one object per line, with `step`).
 * @example new TrainingArguments({ outputDir: "out", reportTo: ["jsonl"] }) // out/runs/<run>/logs.jsonl
 */
export class JsonlCallback implements TrainerCallback {
  private file: string | null = null;

  onTrainBegin(args: TrainingArguments): void {
    const dir = runDir(args);
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, "logs.jsonl");
  }

  onLog(args: TrainingArguments, _s: TrainerState, _c: TrainerControl, extras: CallbackExtras): void {
    if (!this.file) this.onTrainBegin(args);
    appendFileSync(this.file!, JSON.stringify({ ...extras.logs, time: Date.now() / 1000 }) + "\n");
  }
}
