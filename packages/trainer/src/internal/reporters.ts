// The callbacks TrainingArguments.reportTo names: TensorBoard event files, JSON Lines and the HTML report.

import type { TrainerCallback } from "../trainer-callback.js";
import type { TrainingArguments } from "../training-args.js";
import { JsonlCallback } from "../jsonl-callback.js";
import { TensorBoardCallback } from "../tensorboard-callback.js";
import { HtmlReportCallback } from "../html-report-callback.js";

export function reporterCallbacks(args: TrainingArguments): TrainerCallback[] {
  const out: TrainerCallback[] = [];
  if (args.reportTo.includes("jsonl")) out.push(new JsonlCallback());
  if (args.reportTo.includes("tensorboard")) out.push(new TensorBoardCallback());
  if (args.reportTo.includes("html") || args.reportTo.includes("jsonl")) out.push(new HtmlReportCallback());
  return out;
}
