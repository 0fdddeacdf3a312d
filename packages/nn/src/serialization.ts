// A module's weights as safetensors bytes (browser-safe), with Hugging Face's handling of tied weights; files are in ./node.

import { loadSafetensors, saveSafetensors, type Tensor } from "@tsorch/tensor";
import type { Module } from "./module.js";
import type { LoadStateDictResult } from "./internal/load-state-dict.js";

/**
 * The state dict with each tensor once, under its first key (as `save_pretrained` writes tied weights), and the keys
 * left out.
 * @example const { tensors, tiedKeys } = uniqueStateDict(model)
 */
export function uniqueStateDict(model: Module): { tensors: Record<string, Tensor>; tiedKeys: string[] } {
  const seen = new Set<Tensor>();
  const tensors: Record<string, Tensor> = {};
  const tiedKeys: string[] = [];
  for (const [k, t] of Object.entries(model.stateDict())) {
    if (seen.has(t)) tiedKeys.push(k);
    else (seen.add(t), (tensors[k] = t));
  }
  return { tensors, tiedKeys };
}

/**
 * Loads tensors into a module; a key absent from `loaded` whose tensor is tied to a key that is present is filled by
 * the tie, so it is not reported missing. Strict by default.
 * @example loadTiedStateDict(model, loadSafetensors(bytes), { strict: true }, "model.safetensors")
 */
export function loadTiedStateDict(model: Module, loaded: Record<string, Tensor>, opts: { strict?: boolean }, source: string): LoadStateDictResult {
  const byTensor = new Map<Tensor, string[]>();
  for (const [k, t] of Object.entries(model.stateDict())) byTensor.set(t, [...(byTensor.get(t) ?? []), k]);
  const tiedAway = new Set<string>();
  for (const keys of byTensor.values()) if (keys.length > 1 && keys.some((k) => k in loaded)) for (const k of keys) if (!(k in loaded)) tiedAway.add(k);
  const res = model.loadStateDict(loaded, { strict: false });
  const missingKeys = res.missingKeys.filter((k) => !tiedAway.has(k));
  if ((opts.strict ?? true) && (missingKeys.length || res.unexpectedKeys.length))
    throw new Error(
      `loading ${source}: Error(s) in loading state_dict for ${model.constructor.name}:` +
        (missingKeys.length ? `\n\tMissing key(s): ${missingKeys.map((k) => JSON.stringify(k)).join(", ")}.` : "") +
        (res.unexpectedKeys.length ? `\n\tUnexpected key(s): ${res.unexpectedKeys.map((k) => JSON.stringify(k)).join(", ")}.` : "") +
        " Pass { strict: false } to load the matching keys only.",
    );
  return { missingKeys, unexpectedKeys: res.unexpectedKeys };
}

/**
 * A module's weights as safetensors bytes (tied weights once), as `safetensors.torch.save(model.state_dict())`.
 * @example const bytes = await saveModelToBytes(model); // then download or store them
 */
export async function saveModelToBytes(model: Module, metadata: Record<string, string> = { format: "pt" }): Promise<Uint8Array> {
  return saveSafetensors(uniqueStateDict(model).tensors, metadata);
}

/**
 * Loads safetensors bytes into a module (strict by default; tied keys need not be in the bytes).
 * @example await loadModelFromBytes(model, new Uint8Array(await (await fetch(url)).arrayBuffer()))
 */
export function loadModelFromBytes(model: Module, bytes: Uint8Array, opts: { strict?: boolean } = {}): LoadStateDictResult {
  const loaded = loadSafetensors(bytes);
  try {
    return loadTiedStateDict(model, loaded, opts, "safetensors bytes");
  } finally {
    for (const t of Object.values(loaded)) t.dispose();
  }
}
