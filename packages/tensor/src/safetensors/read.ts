// safetensors reader: parses and validates the header as strictly as the Rust crate (offsets cover the data exactly), copies tensor bytes out.

import { arrayFromBytes, itemSize, type DType, type StorageArray } from "../backend/dtype.js";
import { SafetensorsError } from "./errors.js";
import {
  DTYPE_FROM_SAFETENSORS,
  SAFETENSORS_DTYPE_ORDER,
  SAFETENSORS_MAX_HEADER_SIZE,
  SAFETENSORS_METADATA_KEY,
  SAFETENSORS_SUPPORTED_DTYPES,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from "./format.js";
import { JsonNumber, JsonObject, JsonSyntaxError, parseJson, type JsonValue } from "./internal/json.js";
import { setOwn } from "./internal/own.js";

const CORRUPT = "the file is truncated, corrupt or not a safetensors file";

/**
 * Reads and checks the u64 little-endian header length that opens a safetensors file.
 * `prefix` needs only the first 8 bytes; `fileByteLength` is the size of the whole file.
 * @example readSafetensorsHeaderLength(bytes.subarray(0, 8), bytes.byteLength) // e.g. 4000
 */
export function readSafetensorsHeaderLength(prefix: Uint8Array, fileByteLength: number): number {
  if (fileByteLength < 8 || prefix.byteLength < 8)
    throw new SafetensorsError(
      `safetensors: the input is ${Math.min(fileByteLength, prefix.byteLength)} bytes, shorter than the 8-byte header length that opens every safetensors file; ${CORRUPT}.`,
    );
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(SAFETENSORS_MAX_HEADER_SIZE))
    throw new SafetensorsError(
      `safetensors: header length ${n} is larger than the ${SAFETENSORS_MAX_HEADER_SIZE}-byte limit; ${CORRUPT}.`,
    );
  const length = Number(n);
  if (8 + length > fileByteLength)
    throw new SafetensorsError(
      `safetensors: header length ${length} runs past the end of the ${fileByteLength}-byte input; ${CORRUPT}.`,
    );
  return length;
}

/**
 * Parses and validates a safetensors header. `bytes` must hold at least the first 8 + header-length bytes of
 * the file; `fileByteLength` (default `bytes.byteLength`) is the size of the whole file, against which the
 * data offsets are checked. Throws SafetensorsError for anything the Rust crate would reject, and for
 * dtypes tsorch cannot hold.
 * @example
 * const header = parseSafetensorsHeader(bytes);
 * header.entries.map((e) => e.name); // ["bert.embeddings.word_embeddings.weight", ...]
 */
export function parseSafetensorsHeader(bytes: Uint8Array, fileByteLength: number = bytes.byteLength): SafetensorsHeader {
  const headerLength = readSafetensorsHeaderLength(bytes, fileByteLength);
  if (bytes.byteLength < 8 + headerLength)
    throw new SafetensorsError(
      `safetensors: parseSafetensorsHeader got ${bytes.byteLength} bytes but the header needs ${8 + headerLength}; pass at least the first 8 + header-length bytes of the file.`,
    );
  const dataOffset = 8 + headerLength;
  const dataByteLength = fileByteLength - dataOffset;

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, dataOffset));
  } catch {
    throw new SafetensorsError(`safetensors: the ${headerLength}-byte header is not valid UTF-8; ${CORRUPT}.`);
  }
  let root: JsonValue;
  try {
    root = parseJson(text);
  } catch (e) {
    const why = e instanceof JsonSyntaxError ? e.message : String(e);
    throw new SafetensorsError(`safetensors: the header is not valid JSON (${why}); ${CORRUPT}.`);
  }
  if (!(root instanceof JsonObject))
    throw new SafetensorsError(`safetensors: the header must be a JSON object, got ${describe(root)}; ${CORRUPT}.`);

  const seen = new Set<string>();
  let metadata: Record<string, string> | null = null;
  const infos: { entry: SafetensorsEntry; begin: number; end: number }[] = [];
  for (const [name, value] of root.members) {
    if (seen.has(name))
      throw new SafetensorsError(`safetensors: header key ${JSON.stringify(name)} appears twice; ${CORRUPT}.`);
    seen.add(name);
    if (name === SAFETENSORS_METADATA_KEY) metadata = parseMetadata(value);
    else infos.push(parseTensorInfo(name, value, dataOffset, dataByteLength));
  }

  // Sorted by (begin, end) as the Rust crate does; the sort is stable so equal empty tensors keep header order.
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: string | null = null;
  for (const { entry, begin, end } of infos) {
    if (begin > covered)
      throw new SafetensorsError(
        `safetensors: bytes ${covered}..${begin} of the data section belong to no tensor (hole before ${JSON.stringify(entry.name)}); the format requires the tensors to cover the data section exactly; ${CORRUPT}.`,
      );
    if (begin < covered)
      throw new SafetensorsError(
        `safetensors: tensor ${JSON.stringify(entry.name)} data_offsets [${begin}, ${end}] overlap tensor ${JSON.stringify(previous)} (which ends at ${covered}); ${CORRUPT}.`,
      );
    covered = end;
    previous = entry.name;
  }
  if (covered !== dataByteLength)
    throw new SafetensorsError(
      `safetensors: the tensors cover ${covered} bytes but the data section has ${dataByteLength} (trailing bytes after the last tensor); the format requires the tensors to cover the data section exactly; ${CORRUPT}.`,
    );

  return {
    entries: infos.map((i) => i.entry),
    metadata,
    headerLength,
    dataOffset,
    byteLength: fileByteLength,
  };
}

/**
 * Copies one tensor's bytes into a fresh, aligned StorageArray of its dtype. `bytes` is either the whole file
 * (the entry's `byteOffset` is used) or exactly the tensor's `byteLength` bytes (as read from a file handle).
 * @example const weight = readSafetensorsEntry(bytes, header.entries[0]); // Float32Array
 */
export function readSafetensorsEntry(bytes: Uint8Array, entry: SafetensorsEntry): StorageArray {
  // A whole file is always longer than any one tensor (8-byte prefix), so equal length means "just this tensor".
  const src =
    bytes.byteLength === entry.byteLength ? bytes : bytes.subarray(entry.byteOffset, entry.byteOffset + entry.byteLength);
  if (src.byteLength !== entry.byteLength)
    throw new SafetensorsError(
      `safetensors: tensor ${JSON.stringify(entry.name)} needs bytes ${entry.byteOffset}..${entry.byteOffset + entry.byteLength} but the input has ${bytes.byteLength}; pass the whole file or exactly the tensor's bytes.`,
    );
  assertLittleEndianHost();
  const copy = new Uint8Array(entry.byteLength);
  copy.set(src);
  return arrayFromBytes(entry.dtype, copy.buffer, 0, entry.byteLength / itemSize(entry.dtype));
}

/** A whole safetensors file in memory: its validated header plus access to each tensor's elements. */
export interface SafetensorsFile extends SafetensorsHeader {
  /** Tensor names in file order. */
  keys(): string[];
  /** The entry of `name`; throws a SafetensorsError listing some names when absent. */
  entry(name: string): SafetensorsEntry;
  /** A fresh copy of the elements of `name` (or of an entry) as the StorageArray of its dtype. */
  data(nameOrEntry: string | SafetensorsEntry): StorageArray;
}

/**
 * Parses a whole safetensors file held in memory (the tensor-free core of `safetensors.deserialize`).
 * @example
 * const file = parseSafetensors(bytes);
 * const w = file.data("lm_head.weight"); // Float32Array, copied
 */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  const header = parseSafetensorsHeader(bytes);
  const byName = new Map(header.entries.map((e) => [e.name, e]));
  const entry = (name: string): SafetensorsEntry => {
    const e = byName.get(name);
    if (!e) throw missingTensor(name, header.entries);
    return e;
  };
  return {
    ...header,
    keys: () => header.entries.map((e) => e.name),
    entry,
    data: (nameOrEntry) => readSafetensorsEntry(bytes, typeof nameOrEntry === "string" ? entry(nameOrEntry) : nameOrEntry),
  };
}

/** The error for a tensor name that is not in a file; exported for the Node reader. */
export function missingTensor(name: string, entries: readonly SafetensorsEntry[]): SafetensorsError {
  const some = entries.slice(0, 5).map((e) => JSON.stringify(e.name));
  const more = entries.length > 5 ? `, ... (${entries.length} in all)` : "";
  return new SafetensorsError(
    `safetensors: no tensor named ${JSON.stringify(name)} in the file; it holds ${some.join(", ") || "no tensors"}${more}.`,
  );
}

function parseMetadata(value: JsonValue): Record<string, string> | null {
  // serde reads `"__metadata__": null` as no metadata, so we do too.
  if (value === null) return null;
  if (!(value instanceof JsonObject))
    throw new SafetensorsError(
      `safetensors: "__metadata__" must be an object of strings, got ${describe(value)}; ${CORRUPT}.`,
    );
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [key, v] of value.members) {
    if (seen.has(key))
      throw new SafetensorsError(`safetensors: "__metadata__" key ${JSON.stringify(key)} appears twice; ${CORRUPT}.`);
    seen.add(key);
    if (typeof v !== "string")
      throw new SafetensorsError(
        `safetensors: "__metadata__"[${JSON.stringify(key)}] must be a string, got ${describe(v)}; metadata values are text only.`,
      );
    setOwn(out, key, v);
  }
  return out;
}

function parseTensorInfo(name: string, value: JsonValue, dataOffset: number, dataByteLength: number) {
  const where = `safetensors: tensor ${JSON.stringify(name)}`;
  if (!(value instanceof JsonObject))
    throw new SafetensorsError(`${where}: expected {dtype, shape, data_offsets}, got ${describe(value)}; ${CORRUPT}.`);
  const field = (key: string): JsonValue => {
    const found = value.members.filter(([k]) => k === key);
    if (found.length === 0) throw new SafetensorsError(`${where}: missing field "${key}"; ${CORRUPT}.`);
    if (found.length > 1) throw new SafetensorsError(`${where}: field "${key}" appears twice; ${CORRUPT}.`);
    return found[0][1];
  };

  const rawDtype = field("dtype");
  if (typeof rawDtype !== "string")
    throw new SafetensorsError(`${where}: "dtype" must be a string, got ${describe(rawDtype)}; ${CORRUPT}.`);
  const dtype = DTYPE_FROM_SAFETENSORS[rawDtype];
  if (dtype === undefined || !Object.prototype.hasOwnProperty.call(DTYPE_FROM_SAFETENSORS, rawDtype)) {
    const supported = SAFETENSORS_SUPPORTED_DTYPES.join(", ");
    if (SAFETENSORS_DTYPE_ORDER.includes(rawDtype))
      throw new SafetensorsError(
        `safetensors: unsupported dtype ${rawDtype} in tensor ${JSON.stringify(name)}; supported: ${supported}. Convert the checkpoint (e.g. to F32) in Python first.`,
      );
    throw new SafetensorsError(
      `${where}: unknown dtype ${JSON.stringify(rawDtype)}; supported: ${supported}; ${CORRUPT}.`,
    );
  }

  const rawShape = field("shape");
  if (!Array.isArray(rawShape))
    throw new SafetensorsError(`${where}: "shape" must be an array of integers, got ${describe(rawShape)}; ${CORRUPT}.`);
  const shape = rawShape.map((d, i) => nonNegativeInteger(d, `${where}: shape[${i}]`));

  const rawOffsets = field("data_offsets");
  if (!Array.isArray(rawOffsets) || rawOffsets.length !== 2)
    throw new SafetensorsError(
      `${where}: "data_offsets" must be [begin, end], got ${describe(rawOffsets)}; ${CORRUPT}.`,
    );
  const begin = nonNegativeInteger(rawOffsets[0], `${where}: data_offsets[0]`);
  const end = nonNegativeInteger(rawOffsets[1], `${where}: data_offsets[1]`);
  if (end < begin)
    throw new SafetensorsError(`${where}: data_offsets [${begin}, ${end}] end before they begin; ${CORRUPT}.`);
  if (end > dataByteLength)
    throw new SafetensorsError(
      `${where}: data_offsets [${begin}, ${end}] run past the ${dataByteLength}-byte data section; ${CORRUPT}.`,
    );

  // BigInt: a hostile shape like [2^40, 2^40] must not round to a plausible size.
  const numel = shape.reduce((n, d) => n * BigInt(d), 1n);
  const expected = numel * BigInt(itemSize(dtype));
  if (expected !== BigInt(end - begin))
    throw new SafetensorsError(
      `${where}: shape [${shape.join(", ")}] of ${rawDtype} needs ${expected} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}; ${CORRUPT}.`,
    );

  const entry: SafetensorsEntry = { name, dtype: dtype as DType, shape, byteOffset: dataOffset + begin, byteLength: end - begin };
  return { entry, begin, end };
}

function nonNegativeInteger(v: JsonValue, where: string): number {
  if (!(v instanceof JsonNumber) || !/^(0|[1-9][0-9]*)$/.test(v.text) || !Number.isSafeInteger(v.value))
    throw new SafetensorsError(
      `${where} must be a non-negative integer, got ${v instanceof JsonNumber ? v.text : describe(v)}; ${CORRUPT}.`,
    );
  return v.value;
}

function describe(v: JsonValue): string {
  if (v === null) return "null";
  if (v instanceof JsonNumber) return `the number ${v.text}`;
  if (v instanceof JsonObject) return "an object";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "..." : v)}`;
  return String(v);
}

let littleEndian: boolean | undefined;
function assertLittleEndianHost(): void {
  littleEndian ??= new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (!littleEndian)
    throw new SafetensorsError("safetensors: this host is big-endian; tsorch reads safetensors (little-endian) only on little-endian hosts.");
}
