// Checkpoint folders as HF's Trainer writes them, written atomically (temporary folder + rename) and read back with clear errors.

import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Tensor, loadSafetensors, saveSafetensors } from "@tsorch/tensor";
import type { Optimizer, OptimizerStateDict, ParamState } from "@tsorch/optim";

export const PREFIX_CHECKPOINT_DIR = "checkpoint";
export const TMP_PREFIX = ".tmp-checkpoint-";

/** Files every checkpoint folder holds (model weights may instead be what `savePretrained` writes). */
export const CHECKPOINT_FILES = ["trainer_state.json", "training_args.json", "optimizer.safetensors", "optimizer.json", "scheduler.json", "rng_state.json"] as const;

/** Errors of checkpoint reading: what is wrong with which folder, and what to do. */
export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/**
 * Writes a folder atomically: `fill` writes into a temporary sibling, which is then renamed to `dir`. A process killed
 * at any point leaves either no `dir` (or the previous one) or the whole new one, never a partial folder.
 */
export async function writeFolderAtomically(dir: string, parent: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  mkdirSync(parent, { recursive: true });
  const name = dir.slice(parent.length + 1);
  const tmp = join(parent, `${TMP_PREFIX}${name}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  await fill(tmp);
  if (existsSync(dir)) {
    const old = join(parent, `${TMP_PREFIX}old-${name}-${process.pid}`);
    rmSync(old, { recursive: true, force: true });
    renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  } else renameSync(tmp, dir);
}

/**
 * Deletes a folder so that a kill at any point leaves either the whole folder or none under its name: it is first
 * renamed to a temporary name (which {@link removeStaleTemporaries} removes if the kill lands during the deletion).
 */
export function removeFolderAtomically(dir: string): void {
  const doomed = join(dirname(dir), `${TMP_PREFIX}deleted-${basename(dir)}-${process.pid}`);
  rmSync(doomed, { recursive: true, force: true });
  renameSync(dir, doomed);
  rmSync(doomed, { recursive: true, force: true });
}

/**
 * Removes temporary folders left by killed saves. A save killed between its two renames leaves the previous folder
 * under its `old-` name and none under its own: that one is put back instead of removed.
 */
export function removeStaleTemporaries(parent: string): void {
  if (!existsSync(parent)) return;
  for (const n of readdirSync(parent)) {
    if (!n.startsWith(TMP_PREFIX)) continue;
    const old = /^old-(.+)-\d+$/.exec(n.slice(TMP_PREFIX.length));
    if (old && !existsSync(join(parent, old[1]))) renameSync(join(parent, n), join(parent, old[1]));
    else rmSync(join(parent, n), { recursive: true, force: true });
  }
}

/** The checkpoint folders of `outputDir`, oldest step first. */
export function sortedCheckpoints(outputDir: string): string[] {
  if (!existsSync(outputDir)) return [];
  return readdirSync(outputDir)
    .map((n) => /^checkpoint-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && statSync(join(outputDir, m[0])).isDirectory())
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => join(outputDir, m[0]));
}

/** The newest checkpoint of `outputDir`, as HF's `get_last_checkpoint`. @example getLastCheckpoint("out") // "out/checkpoint-40" */
export function getLastCheckpoint(outputDir: string): string | null {
  const all = sortedCheckpoints(outputDir);
  return all.length ? all[all.length - 1] : null;
}

function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "function" ? undefined : typeof x === "bigint" ? x.toString() : x)));
}

/** Serialises an optimizer's `stateDict()`: tensors to safetensors (`state.<index>.<key>`), the rest to JSON. */
export async function optimizerToFiles(opt: Optimizer<object>): Promise<{ tensors: Uint8Array; json: string }> {
  const sd = opt.stateDict();
  const tensors: Record<string, Tensor> = {};
  const scalars: Record<string, Record<string, number>> = {};
  for (const [idx, st] of Object.entries(sd.state)) {
    for (const [k, v] of Object.entries(st)) {
      if (v instanceof Tensor) tensors[`state.${idx}.${k}`] = v;
      else (scalars[idx] ??= {})[k] = v;
    }
  }
  return { tensors: await saveSafetensors(tensors, { format: "pt" }), json: JSON.stringify({ state: scalars, param_groups: plain(sd.paramGroups) }, null, 1) + "\n" };
}

/** Reads what {@link optimizerToFiles} wrote back into `opt`. */
export function optimizerFromFiles(opt: Optimizer<object>, tensorBytes: Uint8Array, json: string, where: string): void {
  const meta = JSON.parse(json) as { state: Record<string, Record<string, number>>; param_groups: Record<string, unknown>[] };
  const loaded = loadSafetensors(tensorBytes);
  const state: Record<number, ParamState> = {};
  for (const [idx, nums] of Object.entries(meta.state)) state[Number(idx)] = { ...nums };
  for (const [key, t] of Object.entries(loaded)) {
    const m = /^state\.(\d+)\.(.+)$/.exec(key);
    if (!m) throw new CheckpointError(`${where}/optimizer.safetensors: unexpected tensor "${key}" (expected state.<index>.<name>).`);
    (state[Number(m[1])] ??= {})[m[2]] = t;
  }
  // Group options saved as JSON lose functions only; keep the live values for anything not saved.
  const live = opt.stateDict().paramGroups;
  const paramGroups = meta.param_groups.map((g, i) => ({ ...live[i], ...g }));
  const sd: OptimizerStateDict = { state, paramGroups };
  opt.loadStateDict(sd);
  for (const t of Object.values(loaded)) t.dispose();
}

/** Reads a JSON file of a checkpoint, with an error naming the folder when it is missing or damaged. */
export function readCheckpointJson(dir: string, file: string): string {
  const p = join(dir, file);
  if (!existsSync(p)) throw new CheckpointError(`resumeFromCheckpoint: ${dir} has no ${file}; it is not a whole checkpoint folder. Resume from another checkpoint-<step> folder.`);
  const text = readFileSync(p, "utf8");
  try {
    JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`resumeFromCheckpoint: ${p} is not valid JSON (${(e as Error).message}); the checkpoint is damaged. Resume from another checkpoint-<step> folder.`);
  }
  return text;
}

/** Reads a binary file of a checkpoint, with an error naming the folder when it is missing. */
export function readCheckpointBytes(dir: string, file: string): Uint8Array {
  const p = join(dir, file);
  if (!existsSync(p)) throw new CheckpointError(`resumeFromCheckpoint: ${dir} has no ${file}; it is not a whole checkpoint folder. Resume from another checkpoint-<step> folder.`);
  return new Uint8Array(readFileSync(p));
}

export function writeText(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), text);
}

export function writeBytes(dir: string, file: string, bytes: Uint8Array): void {
  writeFileSync(join(dir, file), bytes);
}

/**
 * Deletes the oldest checkpoints beyond `limit`, never the best one, as HF's `_rotate_checkpoints` (with a limit of
 * 1 and a best checkpoint that is not the newest, two are kept).
 */
export function rotateCheckpoints(outputDir: string, limit: number | null, best: string | null): string[] {
  if (limit === null || limit <= 0) return [];
  let all = sortedCheckpoints(outputDir);
  if (all.length <= limit) return [];
  let keep = limit;
  if (best !== null) {
    const bi = all.indexOf(best);
    if (bi >= 0) {
      // Move the best to the newest end so it is deleted last.
      all = [...all.slice(0, bi), ...all.slice(bi + 1), best];
      if (limit === 1 && bi !== all.length - 1) keep = 2;
    }
  }
  const doomed = all.slice(0, Math.max(0, all.length - keep));
  for (const d of doomed) removeFolderAtomically(d);
  return doomed;
}
