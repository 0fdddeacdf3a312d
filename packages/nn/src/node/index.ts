// @tsorch/nn/node: a module's state dict to and from safetensors files (safetensors.torch.save_model / load_model).

import { loadFile, saveFile } from "@tsorch/tensor/node";
import type { Module } from "../module.js";
import type { LoadStateDictResult } from "../internal/load-state-dict.js";

/**
 * Saves a module's state dict as a safetensors file, as `safetensors.torch.save_model`: tied tensors are written
 * once, under their first key (as Hugging Face's `save_pretrained` does); metadata `{ format: "pt" }` by default.
 * @example await saveModel(model, "out/model.safetensors");
 */
export async function saveModel(model: Module, path: string, metadata: Record<string, string> = { format: "pt" }): Promise<string[]> {
  const sd = model.stateDict();
  const seen = new Map<unknown, string>();
  const out: Record<string, (typeof sd)[string]> = {};
  const dropped: string[] = [];
  for (const [k, t] of Object.entries(sd)) {
    if (seen.has(t)) {
      dropped.push(k);
      continue;
    }
    seen.set(t, k);
    out[k] = t;
  }
  await saveFile(out, path, metadata);
  return dropped;
}

/**
 * Loads a safetensors file into a module, as `safetensors.torch.load_model`; keys left out for tied weights are
 * filled by the tie itself, so they are not reported missing when the tied partner was loaded.
 * @example const { missingKeys } = await loadModel(model, "out/model.safetensors", { strict: false });
 */
export async function loadModel(model: Module, path: string, opts: { strict?: boolean } = {}): Promise<LoadStateDictResult> {
  const loaded = await loadFile(path);
  try {
    const own = model.stateDict();
    // A key missing from the file whose tensor is also under a key that is present is a tie, not a missing weight.
    const byTensor = new Map<unknown, string[]>();
    for (const [k, t] of Object.entries(own)) byTensor.set(t, [...(byTensor.get(t) ?? []), k]);
    const tiedAway = new Set<string>();
    for (const keys of byTensor.values()) if (keys.length > 1 && keys.some((k) => k in loaded)) for (const k of keys) if (!(k in loaded)) tiedAway.add(k);
    const res = model.loadStateDict(loaded, { strict: false });
    const missingKeys = res.missingKeys.filter((k) => !tiedAway.has(k));
    if ((opts.strict ?? true) && (missingKeys.length || res.unexpectedKeys.length))
      throw new Error(
        `loadModel(${path}): Error(s) in loading state_dict for ${model.constructor.name}:` +
          (missingKeys.length ? `\n\tMissing key(s): ${missingKeys.map((k) => JSON.stringify(k)).join(", ")}.` : "") +
          (res.unexpectedKeys.length ? `\n\tUnexpected key(s): ${res.unexpectedKeys.map((k) => JSON.stringify(k)).join(", ")}.` : "") +
          " Pass { strict: false } to load the matching keys only.",
      );
    return { missingKeys, unexpectedKeys: res.unexpectedKeys };
  } finally {
    for (const t of Object.values(loaded)) t.dispose();
  }
}
