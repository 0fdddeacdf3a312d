// Tensor-level safetensors I/O: loadSafetensors / saveSafetensors, as Python's safetensors.torch.load / save.

import type { StorageArray } from "../backend/dtype.js";
import type { Tensor } from "../tensor.js";
import { fromTypedArray } from "../ops/creation.js";
import { SafetensorsError } from "./errors.js";
import type { SafetensorsEntry } from "./format.js";
import { setOwn } from "./internal/own.js";
import { parseSafetensors } from "./read.js";
import { planSafetensors, serializeSafetensors, type SafetensorsMetadata } from "./write.js";

/** Options of the loaders. */
export interface LoadSafetensorsOptions {
  /** Device to put the tensors on (default: the default device, as `fromTypedArray`). */
  device?: string;
}

/** Tensors to save: a name -> tensor record or Map. */
export type SafetensorsTensors = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;

/**
 * Loads every tensor of a safetensors file held in memory, as `safetensors.torch.load(bytes)`.
 * Each tensor owns a fresh copy of its bytes. Metadata: `parseSafetensors(bytes).metadata`.
 * @example
 * const state = loadSafetensors(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 * state["lm_head.weight"].shape; // [vocab, hidden]
 */
export function loadSafetensors(bytes: Uint8Array, options: LoadSafetensorsOptions = {}): Record<string, Tensor> {
  const file = parseSafetensors(bytes);
  const out: Record<string, Tensor> = {};
  for (const e of file.entries) setOwn(out, e.name, tensorFromSafetensors(e, file.data(e), options.device));
  return out;
}

/**
 * Serializes tensors to safetensors bytes, as `safetensors.torch.save(tensors, metadata)`: the same bytes as
 * Python for the same tensors. Async because reading a tensor off an accelerator is.
 * @example
 * const bytes = await saveSafetensors({ w: tensor([[1, 2], [3, 4]]) }, { format: "pt" });
 */
export async function saveSafetensors(tensors: SafetensorsTensors, metadata?: SafetensorsMetadata): Promise<Uint8Array> {
  const named = namedTensors(tensors);
  // Plan first so a bad name or metadata fails before any device read.
  planSafetensors(named.map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape })), metadata);
  const input = [];
  for (const [name, t] of named) input.push({ name, dtype: t.dtype, shape: t.shape, data: await t.data() });
  return serializeSafetensors(input, metadata);
}

/**
 * Synchronous `saveSafetensors`, for tensors on devices that can be read synchronously (the CPU).
 * @example const bytes = saveSafetensorsSync({ w: zeros([2, 2]) });
 */
export function saveSafetensorsSync(tensors: SafetensorsTensors, metadata?: SafetensorsMetadata): Uint8Array {
  const input = namedTensors(tensors).map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, data: t.dataSync() }));
  return serializeSafetensors(input, metadata);
}

/**
 * Wraps the elements read for one entry (a StorageArray the tensor may own) as a Tensor.
 * @example const t = tensorFromSafetensors(file.entry("w"), file.data("w"));
 */
export function tensorFromSafetensors(entry: SafetensorsEntry, data: StorageArray, device?: string): Tensor {
  return fromTypedArray(data, [...entry.shape], device === undefined ? { dtype: entry.dtype } : { dtype: entry.dtype, device });
}

/**
 * The (name, tensor) pairs of a record or Map, checked to be tensors; shared with the Node writer.
 * @example namedTensors({ w }) // [["w", w]]
 */
export function namedTensors(tensors: SafetensorsTensors): [string, Tensor][] {
  if (tensors === null || typeof tensors !== "object")
    throw new SafetensorsError(`safetensors: expected a record or Map of tensors, got ${tensors === null ? "null" : typeof tensors}.`);
  const pairs: [string, Tensor][] =
    tensors instanceof Map ? [...tensors] : Object.keys(tensors).map((k) => [k, (tensors as Record<string, Tensor>)[k]]);
  for (const [name, t] of pairs) {
    const ok = t !== null && typeof t === "object" && typeof (t as { dtype?: unknown }).dtype === "string" && Array.isArray(t.shape);
    if (!ok)
      throw new SafetensorsError(
        `safetensors: ${JSON.stringify(name)} is not a Tensor (got ${t === null ? "null" : typeof t}); save a record of tensors.`,
      );
  }
  return pairs;
}
