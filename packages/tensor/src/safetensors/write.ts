// safetensors writer: lays tensors out as the Rust crate's `serialize` (dtype descending, then name; header space-padded to 8) so bytes match Python's.

import { DTYPES, SAFETENSORS_DTYPE, allocArray, itemSize, type DType, type StorageArray } from "../backend/dtype.js";
import { SafetensorsError } from "./errors.js";
import { SAFETENSORS_DTYPE_ORDER, SAFETENSORS_METADATA_KEY } from "./format.js";
import { compareCodePoints } from "./internal/code-points.js";

/** One tensor to write: its elements as the StorageArray of its dtype, or as raw little-endian bytes. */
export interface SafetensorsTensorData {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** The dtype's StorageArray (Float32Array for float32, Uint16Array bits for float16/bfloat16, ...) or raw bytes. */
  readonly data: StorageArray;
}

/** A named tensor to write. */
export interface SafetensorsNamedTensorData extends SafetensorsTensorData {
  readonly name: string;
}

/** What the writer accepts: a list of named tensors, or a name -> tensor record or Map. */
export type SafetensorsWriteInput =
  | readonly SafetensorsNamedTensorData[]
  | Readonly<Record<string, SafetensorsTensorData>>
  | ReadonlyMap<string, SafetensorsTensorData>;

/** The free-form string metadata stored under `__metadata__`; null / undefined writes none. */
export type SafetensorsMetadata = Readonly<Record<string, string>> | null | undefined;

/** A file ready to be written: the 8-byte length and padded JSON header, then each tensor's bytes in order. */
export interface SafetensorsLayout {
  /** The 8-byte header length followed by the space-padded JSON header. */
  readonly header: Uint8Array;
  /** Tensors in the order their bytes follow the header. */
  readonly tensors: readonly { readonly name: string; readonly dtype: DType; readonly shape: readonly number[]; readonly bytes: Uint8Array }[];
  /** Total file size in bytes. */
  readonly byteLength: number;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A tensor's name, dtype and shape: all the header needs. */
export interface SafetensorsTensorSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** The header and tensor order of a file, computed from names, dtypes and shapes alone. */
export interface SafetensorsPlan<T extends SafetensorsTensorSpec = SafetensorsTensorSpec> {
  /** The 8-byte header length followed by the space-padded JSON header. */
  readonly header: Uint8Array;
  /** The specs in the order their bytes follow the header, each with its byte length. */
  readonly order: readonly (T & { readonly byteLength: number })[];
  /** Total file size in bytes. */
  readonly byteLength: number;
}

/**
 * Validates names, dtypes and shapes and computes the header and the order of the tensor bytes, without any
 * data: lets a writer stream tensors one at a time (the Node `saveFile` does).
 * @example
 * const plan = planSafetensors([{ name: "w", dtype: "float32", shape: [2] }], { format: "pt" });
 * plan.order.map((t) => t.name); // ["w"]; then write plan.header and each tensor's bytes in that order
 */
export function planSafetensors<T extends SafetensorsTensorSpec>(specs: readonly T[], metadata?: SafetensorsMetadata): SafetensorsPlan<T> {
  const seen = new Set<string>();
  const order = specs.map((t) => {
    const name = t.name;
    if (typeof name !== "string") throw new SafetensorsError(`safetensors: tensor names must be strings, got ${typeof name}.`);
    const where = `safetensors: tensor ${JSON.stringify(name)}`;
    if (name === SAFETENSORS_METADATA_KEY)
      throw new SafetensorsError(`${where}: the name is reserved for the file's metadata; rename the tensor.`);
    if (LONE_SURROGATE.test(name))
      throw new SafetensorsError(`${where}: the name contains a lone UTF-16 surrogate, which UTF-8 cannot encode; fix the name.`);
    if (seen.has(name)) throw new SafetensorsError(`${where}: appears twice; each tensor name must be unique.`);
    seen.add(name);
    if (!DTYPES.includes(t.dtype))
      throw new SafetensorsError(`${where}: unknown dtype ${JSON.stringify(t.dtype)}; expected one of ${DTYPES.join(", ")}.`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      throw new SafetensorsError(`${where}: shape ${JSON.stringify(t.shape)} must be a list of non-negative integers.`);
    const byteLength = t.shape.reduce((n, d) => n * d, 1) * itemSize(t.dtype);
    if (!Number.isSafeInteger(byteLength))
      throw new SafetensorsError(`${where}: shape [${t.shape.join(", ")}] is too large to write.`);
    return { ...t, byteLength };
  });

  // The crate's order: dtype descending in its enum order, then name by bytes (= code points).
  const rank = (d: DType) => SAFETENSORS_DTYPE_ORDER.indexOf(SAFETENSORS_DTYPE[d]);
  order.sort((a, b) => rank(b.dtype) - rank(a.dtype) || compareCodePoints(a.name, b.name));

  const parts: string[] = [];
  if (metadata !== null && metadata !== undefined) parts.push(`"${SAFETENSORS_METADATA_KEY}":${metadataJson(metadata)}`);
  let offset = 0;
  for (const t of order) {
    const end = offset + t.byteLength;
    parts.push(
      `${JSON.stringify(t.name)}:{"dtype":"${SAFETENSORS_DTYPE[t.dtype]}","shape":[${t.shape.join(",")}],"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const header = new Uint8Array(8 + padded);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(json, 8);
  header.fill(0x20, 8 + json.byteLength);
  return { header, order, byteLength: header.byteLength + offset };
}

/**
 * Validates the tensors and computes the file layout without copying any tensor bytes (`serializeSafetensors`
 * concatenates the parts).
 * @example
 * const { header, tensors } = layoutSafetensors({ w: { dtype: "float32", shape: [2], data: new Float32Array([1, 2]) } });
 */
export function layoutSafetensors(input: SafetensorsWriteInput, metadata?: SafetensorsMetadata): SafetensorsLayout {
  const plan = planSafetensors(normalizeInput(input), metadata);
  const tensors = plan.order.map((t) => ({
    name: t.name,
    dtype: t.dtype,
    shape: t.shape,
    bytes: safetensorsBytesOf(t, `safetensors: tensor ${JSON.stringify(t.name)}`),
  }));
  return { header: plan.header, tensors, byteLength: plan.byteLength };
}

/**
 * Serializes tensors to the bytes of a safetensors file, identical to Python's `safetensors.serialize` /
 * `safetensors.torch.save` for the same tensors and metadata.
 * @example
 * const bytes = serializeSafetensors(
 *   [{ name: "w", dtype: "float32", shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }],
 *   { format: "pt" },
 * );
 */
export function serializeSafetensors(input: SafetensorsWriteInput, metadata?: SafetensorsMetadata): Uint8Array {
  const layout = layoutSafetensors(input, metadata);
  const out = new Uint8Array(layout.byteLength);
  out.set(layout.header, 0);
  let at = layout.header.byteLength;
  for (const t of layout.tensors) {
    out.set(t.bytes, at);
    at += t.bytes.byteLength;
  }
  return out;
}

function normalizeInput(input: SafetensorsWriteInput): SafetensorsNamedTensorData[] {
  if (Array.isArray(input)) return input as SafetensorsNamedTensorData[];
  if (input instanceof Map) return [...input].map(([name, t]) => ({ ...t, name }));
  if (input === null || typeof input !== "object")
    throw new SafetensorsError(`safetensors: expected a list, record or Map of tensors, got ${input === null ? "null" : typeof input}.`);
  return Object.keys(input).map((name) => ({ ...(input as Record<string, SafetensorsTensorData>)[name], name }));
}

/**
 * The raw little-endian bytes of one tensor's data (a view, no copy), checked against its dtype and shape.
 * @example safetensorsBytesOf({ dtype: "int32", shape: [1], data: new Int32Array([5]) }, "w") // Uint8Array [5, 0, 0, 0]
 */
export function safetensorsBytesOf(t: SafetensorsTensorData, where: string): Uint8Array {
  const numel = t.shape.reduce((n, d) => n * d, 1);
  const byteLength = numel * itemSize(t.dtype);
  const data = t.data;
  if (!ArrayBuffer.isView(data))
    throw new SafetensorsError(`${where}: data must be a typed array, got ${data === null ? "null" : typeof data}.`);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const expected = allocArray(t.dtype, 0).constructor;
  if (data.constructor === expected) {
    if (data.length !== numel)
      throw new SafetensorsError(
        `${where}: shape [${t.shape.join(", ")}] has ${numel} elements but data has ${data.length}; pass exactly the tensor's elements.`,
      );
    return bytes;
  }
  if (data instanceof Uint8Array && data.byteLength === byteLength) return bytes;
  throw new SafetensorsError(
    `${where}: dtype ${t.dtype} with shape [${t.shape.join(", ")}] needs a ${expected.name} of ${numel} elements or ${byteLength} raw bytes, got a ${data.constructor.name} of ${(data as StorageArray).length}.`,
  );
}

function metadataJson(metadata: Readonly<Record<string, string>>): string {
  if (typeof metadata !== "object" || Array.isArray(metadata))
    throw new SafetensorsError(`safetensors: metadata must be an object of strings, got ${Array.isArray(metadata) ? "an array" : typeof metadata}.`);
  const items: string[] = [];
  for (const key of Object.keys(metadata)) {
    const value = metadata[key];
    if (typeof value !== "string")
      throw new SafetensorsError(
        `safetensors: metadata[${JSON.stringify(key)}] must be a string, got ${typeof value}; safetensors metadata is text only (JSON.stringify other values).`,
      );
    if (LONE_SURROGATE.test(key) || LONE_SURROGATE.test(value))
      throw new SafetensorsError(`safetensors: metadata[${JSON.stringify(key)}] contains a lone UTF-16 surrogate, which UTF-8 cannot encode.`);
    items.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
  return `{${items.join(",")}}`;
}
