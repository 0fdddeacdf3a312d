// @tsorch/nn/node: a module's state dict to and from safetensors files (safetensors.torch.save_model / load_model).

import { loadFile, saveFile } from "@tsorch/tensor/node";
import type { Module } from "../module.js";
import type { LoadStateDictResult } from "../internal/load-state-dict.js";
import { loadTiedStateDict, uniqueStateDict } from "../serialization.js";

/**
 * Saves a module's state dict as a safetensors file, as `safetensors.torch.save_model`: tied tensors are written
 * once, under their first key (as Hugging Face's `save_pretrained` does); returns the keys left out for ties.
 * @example await saveModel(model, "out/model.safetensors");
 */
export async function saveModel(model: Module, path: string, metadata: Record<string, string> = { format: "pt" }): Promise<string[]> {
  const { tensors, tiedKeys } = uniqueStateDict(model);
  await saveFile(tensors, path, metadata);
  return tiedKeys;
}

/**
 * Loads a safetensors file into a module, as `safetensors.torch.load_model` (strict by default); keys left out for
 * tied weights are filled by the tie, so they are not reported missing when the tied partner was loaded.
 * @example const { missingKeys } = await loadModel(model, "out/model.safetensors", { strict: false });
 */
export async function loadModel(model: Module, path: string, opts: { strict?: boolean } = {}): Promise<LoadStateDictResult> {
  const loaded = await loadFile(path);
  try {
    return loadTiedStateDict(model, loaded, opts, path);
  } finally {
    for (const t of Object.values(loaded)) t.dispose();
  }
}
