// @tsorch/trainer: Hugging Face's Trainer (arguments, callbacks, checkpoints, reports) and its data, collators and metrics.

// --- trainer core (trainer-core) ---

// --- data, collators, metrics, tasks (trainer-data) ---
export * from "./metrics/classification.js";
export * from "./metrics/seqeval.js";
export * from "./metrics/bleu.js";
export * from "./metrics/chrf.js";
export * from "./metrics/squad.js";
