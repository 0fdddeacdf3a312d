// @tsorch/trainer: Hugging Face's Trainer (arguments, callbacks, checkpoints, reports) and its data, collators and metrics.

// --- trainer core (trainer-core) ---
export { Trainer, TrainerError } from "./trainer.js";
export { TrainerOutOfMemoryError } from "./out-of-memory-error.js";
export type { TrainerOptions, TrainableModel, ModelOutput, EvalPrediction, TrainOutput } from "./trainer.js";
export { TrainingArguments, argumentJsonKey } from "./training-args.js";
export type { TrainingArgumentsInit, TrainingArgumentsFields, IntervalStrategy, ReportTarget } from "./training-args.js";
export { TrainerState, TrainerControl } from "./trainer-state.js";
export type { LogEntry } from "./trainer-state.js";
export { CallbackHandler } from "./trainer-callback.js";
export type { TrainerCallback, CallbackEvent, CallbackEventName, CallbackExtras } from "./trainer-callback.js";
export { DefaultFlowCallback } from "./default-flow-callback.js";
export { EarlyStoppingCallback } from "./early-stopping-callback.js";
export { ProgressCallback } from "./progress-callback.js";
export type { ProgressStream } from "./progress-callback.js";
export { JsonlCallback, runDir } from "./jsonl-callback.js";
export { SummaryWriter, tfRecord } from "./summary-writer.js";
export { TensorBoardCallback, rewriteLogs } from "./tensorboard-callback.js";
export { HtmlReportCallback } from "./html-report-callback.js";
export { serveBoard, findRuns } from "./board-server.js";
export type { BoardServer } from "./board-server.js";
export { reportPage } from "./internal/report-page.js";
export type { RunLogs } from "./internal/report-page.js";
export { CheckpointError, getLastCheckpoint } from "./internal/checkpoint-io.js";
export { getDecayParameterNames } from "./internal/optimizer-setup.js";
export { defaultDataCollator } from "./internal/rows.js";
export type { Row, Batch, TrainerDataset } from "./internal/rows.js";

// --- data, collators, metrics, tasks (trainer-data) ---
export * from "./data/dataset.js";
export * from "./data/csv.js";
export * from "./data/jsonl.js";
export * from "./data/to-tensor.js";
export * from "./data/parquet.js";
export * from "./data/load-dataset-folder.js";
export * from "./metrics/classification.js";
export * from "./metrics/seqeval.js";
export * from "./metrics/bleu.js";
export * from "./metrics/chrf.js";
export * from "./metrics/squad.js";
export * from "./collators/collator-tokenizer.js";
export * from "./collators/data-collator.js";
export * from "./collators/data-collator-with-padding.js";
export * from "./collators/data-collator-for-token-classification.js";
export * from "./collators/data-collator-for-seq2seq.js";
export * from "./collators/data-collator-for-language-modeling.js";
export * from "./tasks/encoding-like.js";
export * from "./tasks/align-labels-with-tokens.js";
export * from "./tasks/question-answering.js";
