// The Trainer's checkpoint folder: what goes in (HF's file names) and how a resume reads it back, with clear errors.

import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadModelFromBytes, saveModelToBytes, type Module } from "@tsorch/nn";
import type { LRScheduler, Optimizer } from "@tsorch/optim";
import type { GeneratorState } from "@tsorch/tensor";
import type { TrainingArguments } from "../training-args.js";
import { TrainerState } from "../trainer-state.js";
import {
  CheckpointError, getLastCheckpoint, optimizerFromFiles, optimizerToFiles, readCheckpointBytes, readCheckpointJson,
  writeBytes, writeFolderAtomically, writeText,
} from "./checkpoint-io.js";

/** The loop's running sums, saved so that logs after a resume equal an uninterrupted run's. */
export interface LoopState {
  trLossSum: number;
  stepsSinceLog: number;
  totalLossSum: number;
  gradNorm: number | null;
}

type SavableModel = Module & { config?: unknown; savePretrained?(dir: string): unknown };

function configJson(config: unknown): string | null {
  if (config === undefined || config === null) return null;
  const c = config as { toJsonString?(): string; toDict?(): unknown };
  if (typeof c.toJsonString === "function") return c.toJsonString();
  return JSON.stringify(typeof c.toDict === "function" ? c.toDict() : config, null, 2) + "\n";
}

/** Writes the model's files into `dir`: savePretrained's, or model.safetensors (+ config.json); and training_args.json. */
export async function writeModelFiles(dir: string, model: SavableModel, args: TrainingArguments): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (typeof model.savePretrained === "function") await model.savePretrained(dir);
  else {
    writeBytes(dir, "model.safetensors", await saveModelToBytes(model));
    const cfg = configJson(model.config);
    if (cfg !== null) writeText(dir, "config.json", cfg);
  }
  writeText(dir, "training_args.json", args.toJsonString());
}

export interface CheckpointContent {
  model: SavableModel;
  optimizer: Optimizer<object>;
  scheduler: LRScheduler;
  state: TrainerState;
  args: TrainingArguments;
  rng: GeneratorState;
  data: { epoch: number; order: number[] };
  loop: LoopState;
  /** Saved into each checkpoint when it can save itself, as HF's Trainer does with the processing class. */
  tokenizer?: unknown;
}

/** Writes `checkpoint-<step>/` atomically. */
export async function saveCheckpointFolder(dir: string, parent: string, c: CheckpointContent): Promise<void> {
  await writeFolderAtomically(dir, parent, async (tmp) => {
    await writeModelFiles(tmp, c.model, c.args);
    const tok = c.tokenizer as { savePretrained?(dir: string): unknown } | undefined;
    if (tok && typeof tok.savePretrained === "function") await tok.savePretrained(tmp);
    const opt = await optimizerToFiles(c.optimizer);
    writeBytes(tmp, "optimizer.safetensors", opt.tensors);
    writeText(tmp, "optimizer.json", opt.json);
    writeText(tmp, "scheduler.json", JSON.stringify(c.scheduler.stateDict(), null, 1) + "\n");
    const rng = {
      generator: { seed: c.rng.seed.toString(), offset: c.rng.offset },
      data: { epoch: c.data.epoch, order: c.data.order },
      loop: c.loop,
    };
    writeText(tmp, "rng_state.json", JSON.stringify(rng) + "\n");
    writeText(tmp, "trainer_state.json", c.state.toJsonString());
  });
}

/** The folder `resumeFromCheckpoint` names (true: the newest in outputDir), checked to exist. */
export function resolveResume(resume: string | boolean | undefined, outputDir: string): string | null {
  if (resume === undefined || resume === false) return null;
  if (resume === true) {
    const last = getLastCheckpoint(outputDir);
    if (!last) throw new CheckpointError(`resumeFromCheckpoint: true, but ${outputDir} holds no checkpoint-<step> folder; train without resuming first.`);
    return last;
  }
  const dir = resolve(resume);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CheckpointError(`resumeFromCheckpoint: ${dir} does not exist (or is not a folder); pass a checkpoint-<step> folder or true for the newest one.`);
  return dir;
}

/** Loads the model's weights from a checkpoint folder (model.safetensors). */
export function loadModelWeights(dir: string, model: Module): void {
  const bytes = readCheckpointBytes(dir, "model.safetensors");
  try {
    loadModelFromBytes(model, bytes);
  } catch (e) {
    throw new CheckpointError(`resumeFromCheckpoint: ${join(dir, "model.safetensors")} could not be loaded into the model (${(e as Error).message}); the checkpoint is damaged or belongs to another model.`);
  }
}

/** Reads everything of a checkpoint back; any missing or damaged file is a CheckpointError naming it. */
export function loadCheckpoint(dir: string, model: Module, optimizer: Optimizer<object>, scheduler: LRScheduler): { state: TrainerState; rng: GeneratorState; loop: LoopState } {
  const stateText = readCheckpointJson(dir, "trainer_state.json");
  const rngText = readCheckpointJson(dir, "rng_state.json");
  const schedText = readCheckpointJson(dir, "scheduler.json");
  const optJson = readCheckpointJson(dir, "optimizer.json");
  const optBytes = readCheckpointBytes(dir, "optimizer.safetensors");
  const state = TrainerState.fromJsonString(stateText, join(dir, "trainer_state.json"));
  loadModelWeights(dir, model);
  try {
    optimizerFromFiles(optimizer, optBytes, optJson, dir);
  } catch (e) {
    throw new CheckpointError(`resumeFromCheckpoint: the optimizer state in ${dir} could not be loaded (${(e as Error).message}); the checkpoint is damaged or was saved for other parameters.`);
  }
  scheduler.loadStateDict(JSON.parse(schedText) as Record<string, unknown>);
  const rng = JSON.parse(rngText) as { generator: { seed: string; offset: number }; loop: LoopState };
  if (!rng.generator || !rng.loop) throw new CheckpointError(`resumeFromCheckpoint: ${join(dir, "rng_state.json")} lacks generator or loop; the checkpoint is damaged.`);
  return { state, rng: { seed: BigInt(rng.generator.seed), offset: rng.generator.offset }, loop: rng.loop };
}
