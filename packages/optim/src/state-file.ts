// Saving an optimizer's stateDict() as safetensors + JSON and reading it back, as torch.save(opt.state_dict()) / torch.load.
import { Tensor } from "@tsorch/tensor";
import type { OptimizerStateDict, ParamState } from "./optimizer.js";

/** The safetensors `__metadata__` key that holds the JSON part (groups and non-tensor state values). */
export const OPTIMIZER_STATE_METADATA_KEY = "tsorch.optimizer";

/** A stateDict() split for a file: tensors (`state.<param index>.<name>`) and string metadata holding the rest as JSON. */
export interface OptimizerStateFile {
  readonly tensors: Record<string, Tensor>;
  readonly metadata: Record<string, string>;
}

interface StateJson {
  readonly format: 1;
  readonly paramGroups: Record<string, unknown>[];
  readonly scalars: Record<string, Record<string, number>>;
}

/**
 * Splits `opt.stateDict()` into tensors and JSON metadata for `saveSafetensors` / `saveFile`; the tensors are the
 * optimizer's own (not copies): save before the next step.
 * @example
 * const { tensors, metadata } = optimizerStateToSafetensors(opt.stateDict());
 * await saveFile(tensors, "optimizer.safetensors", metadata);
 */
export function optimizerStateToSafetensors(sd: OptimizerStateDict): OptimizerStateFile {
  const tensors: Record<string, Tensor> = {};
  const scalars: Record<string, Record<string, number>> = {};
  for (const [index, state] of Object.entries(sd.state)) {
    for (const [name, value] of Object.entries(state)) {
      if (value instanceof Tensor) tensors[`state.${index}.${name}`] = value;
      else if (typeof value === "number") (scalars[index] ??= {})[name] = value;
      else throw new TypeError(`optimizerStateToSafetensors: state[${index}].${name} is neither a Tensor nor a number; it cannot be saved.`);
    }
  }
  sd.paramGroups.forEach((g, gi) => {
    for (const [k, v] of Object.entries(g))
      if (v instanceof Tensor || typeof v === "function" || typeof v === "bigint")
        throw new TypeError(`optimizerStateToSafetensors: paramGroups[${gi}].${k} is a ${v instanceof Tensor ? "Tensor" : typeof v}; only JSON values can be saved in a group.`);
  });
  const json: StateJson = { format: 1, paramGroups: sd.paramGroups, scalars };
  return { tensors, metadata: { [OPTIMIZER_STATE_METADATA_KEY]: JSON.stringify(json) } };
}

/**
 * Rebuilds a stateDict() from what {@link optimizerStateToSafetensors} wrote, for `opt.loadStateDict`.
 * @example
 * const f = loadSafetensors(bytes); // or: await safeOpen(path) + getTensor
 * opt.loadStateDict(optimizerStateFromSafetensors(f, metadataOf(bytes)));
 */
export function optimizerStateFromSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> | null | undefined): OptimizerStateDict {
  const raw = metadata?.[OPTIMIZER_STATE_METADATA_KEY];
  if (raw === undefined)
    throw new Error(`optimizerStateFromSafetensors: the file's metadata has no "${OPTIMIZER_STATE_METADATA_KEY}" entry; was it written by optimizerStateToSafetensors?`);
  const json = JSON.parse(raw) as StateJson;
  if (json.format !== 1 || !Array.isArray(json.paramGroups))
    throw new Error(`optimizerStateFromSafetensors: "${OPTIMIZER_STATE_METADATA_KEY}" is not an optimizer state (format ${String(json.format)}).`);
  const state: Record<number, ParamState> = {};
  for (const [index, values] of Object.entries(json.scalars ?? {})) state[Number(index)] = { ...values };
  for (const [key, t] of Object.entries(tensors)) {
    const m = /^state\.(\d+)\.(.+)$/.exec(key);
    if (!m) continue;
    (state[Number(m[1])] ??= {})[m[2]] = t;
  }
  return { state, paramGroups: json.paramGroups };
}
