// The safetensors format's constants and types: dtype names, limits, header entries (as in huggingface/safetensors).

import { SAFETENSORS_DTYPE, type DType } from "../backend/dtype.js";

/** Largest header the reader accepts, in bytes (the Rust crate's MAX_HEADER_SIZE). */
export const SAFETENSORS_MAX_HEADER_SIZE = 100_000_000;

/** The reserved header key holding the free-form string-to-string metadata. */
export const SAFETENSORS_METADATA_KEY = "__metadata__";

/** safetensors dtype name -> tsorch dtype, for the dtypes tsorch can hold. */
export const DTYPE_FROM_SAFETENSORS: Readonly<Record<string, DType>> = Object.freeze(
  Object.fromEntries(Object.entries(SAFETENSORS_DTYPE).map(([dtype, name]) => [name, dtype as DType])),
);

/** The safetensors dtype names tsorch reads and writes. */
export const SAFETENSORS_SUPPORTED_DTYPES: readonly string[] = Object.freeze(Object.keys(DTYPE_FROM_SAFETENSORS));

/**
 * Every dtype name of the format, in the Rust crate's `Dtype` enum order. The writer lays tensors out by
 * descending position in this list, then by name, exactly as `safetensors.serialize` does.
 */
export const SAFETENSORS_DTYPE_ORDER: readonly string[] = Object.freeze([
  "BOOL",
  "F4",
  "F6_E2M3",
  "F6_E3M2",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "F8_E8M0",
  "I16",
  "U16",
  "F16",
  "BF16",
  "I32",
  "U32",
  "F32",
  "C64",
  "F64",
  "I64",
  "U64",
]);

/** Where one tensor lives in a safetensors file. */
export interface SafetensorsEntry {
  /** The tensor's key in the header. */
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Offset of the first byte from the start of the FILE (8 + header length + data_offsets[0]). */
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** A parsed and validated header. */
export interface SafetensorsHeader {
  /** Tensors in file order (ascending data offset). */
  readonly entries: readonly SafetensorsEntry[];
  /** `__metadata__`, or null when the file has none (Python's `safe_open(...).metadata()` is None then). */
  readonly metadata: Readonly<Record<string, string>> | null;
  /** Length of the JSON header in bytes (the u64 that opens the file). */
  readonly headerLength: number;
  /** Offset of the data section from the start of the file: 8 + headerLength. */
  readonly dataOffset: number;
  /** Total file length the header was validated against. */
  readonly byteLength: number;
}
