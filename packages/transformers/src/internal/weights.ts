// Checkpoint weights as HF's modeling_utils reads them: model.safetensors, sharded safetensors with an index, tensor by tensor.
import { readFileSync } from "node:fs";
import type { Tensor } from "@tsorch/tensor";
import { safeOpen, type SafeOpen } from "@tsorch/tensor/node";
import { safeRelativePath, type ModelSource } from "./hub.js";

/** A checkpoint's tensors, read one at a time so that loading holds about one copy of the weights. */
export interface WeightsReader {
  /** The files read, for messages. */
  readonly files: string[];
  /** Every tensor name in the checkpoint. */
  keys(): string[];
  /** The shape of a tensor, from the header alone. */
  shape(name: string): number[];
  /** Reads one tensor. */
  read(name: string): Promise<Tensor>;
  close(): Promise<void>;
}

interface ShardIndex {
  weight_map: Record<string, string>;
}

/**
 * Opens the weights of a model folder: `model.safetensors`, or the shards named by `model.safetensors.index.json`.
 * Returns null when the folder has neither (the caller names what else it looked for).
 */
export async function openWeights(source: ModelSource): Promise<WeightsReader | null> {
  const single = await source.file("model.safetensors");
  if (single) return fromFiles([single], null);
  const indexPath = await source.file("model.safetensors.index.json");
  if (!indexPath) return null;
  let index: ShardIndex;
  try {
    index = JSON.parse(readFileSync(indexPath, "utf8")) as ShardIndex;
  } catch (e) {
    throw new Error(`fromPretrained: ${indexPath} is not valid JSON (${(e as Error).message}); re-download or re-save the model.`);
  }
  if (!index || typeof index.weight_map !== "object" || index.weight_map === null)
    throw new Error(`fromPretrained: ${indexPath} has no "weight_map" object; it is not a safetensors shard index.`);
  const shardNames = [...new Set(Object.values(index.weight_map))];
  const paths: string[] = [];
  for (const name of shardNames) {
    safeRelativePath(name, `fromPretrained (${indexPath})`);
    const p = await source.file(name);
    if (!p) throw new Error(`fromPretrained: the shard ${name} named by ${indexPath} is missing from ${source.where}; re-download the model.`);
    paths.push(p);
  }
  return fromFiles(paths, index.weight_map);
}

async function fromFiles(paths: string[], weightMap: Record<string, string> | null): Promise<WeightsReader> {
  const opened: SafeOpen[] = [];
  const byKey = new Map<string, SafeOpen>();
  try {
    for (const p of paths) {
      const f = await safeOpen(p, { device: "cpu" });
      opened.push(f);
      for (const k of f.keys()) {
        if (byKey.has(k)) throw new Error(`fromPretrained: the tensor ${JSON.stringify(k)} appears in two shards (${byKey.get(k)!.path} and ${p}); the checkpoint is inconsistent.`);
        byKey.set(k, f);
      }
    }
  } catch (e) {
    await Promise.all(opened.map((f) => f.close()));
    throw e;
  }
  if (weightMap) {
    const missing = Object.keys(weightMap).filter((k) => !byKey.has(k));
    if (missing.length) throw new Error(`fromPretrained: the shard index names ${missing.length} tensor(s) no shard holds (first: ${JSON.stringify(missing[0])}); re-download the model.`);
  }
  return {
    files: paths,
    keys: () => [...byKey.keys()],
    shape: (name) => [...byKey.get(name)!.entry(name).shape],
    read: (name) => byKey.get(name)!.getTensor(name),
    close: async () => {
      await Promise.all(opened.map((f) => f.close()));
    },
  };
}
