// Data types: names, storage arrays, sizes and PyTorch's type-promotion rules (torch.result_type).

/** The element types tsorch knows, named as PyTorch's `torch.<name>`. */
export type DType = "float32" | "float64" | "float16" | "bfloat16" | "int32" | "int64" | "uint8" | "bool";

/** Every dtype, in promotion order within its category. */
export const DTYPES: readonly DType[] = ["bool", "uint8", "int32", "int64", "float16", "bfloat16", "float32", "float64"];

/** The JavaScript array that holds a dtype's elements on the host. float16 / bfloat16 are raw bits. */
export type StorageArrayFor<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "float64"
    ? Float64Array
    : D extends "float16" | "bfloat16"
      ? Uint16Array
      : D extends "int32"
        ? Int32Array
        : D extends "int64"
          ? BigInt64Array
          : Uint8Array;

/** Any host array a tensor's elements can live in. */
export type StorageArray = Float32Array | Float64Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array;

/** Bytes per element. */
export function itemSize(dtype: DType): number {
  switch (dtype) {
    case "float64":
    case "int64":
      return 8;
    case "float32":
    case "int32":
      return 4;
    case "float16":
    case "bfloat16":
      return 2;
    case "uint8":
    case "bool":
      return 1;
  }
}

/** True for float32, float64, float16 and bfloat16. */
export function isFloatingPoint(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64" || dtype === "float16" || dtype === "bfloat16";
}

/** True for the integer dtypes (bool excluded). */
export function isIntegral(dtype: DType): boolean {
  return dtype === "int32" || dtype === "int64" || dtype === "uint8";
}

/** Checks a string names a dtype, with an error listing the valid names. */
export function assertDType(dtype: unknown, where: string): asserts dtype is DType {
  if (typeof dtype !== "string" || !(DTYPES as readonly string[]).includes(dtype))
    throw new TypeError(`${where}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(", ")}.`);
}

/** Allocates a zeroed host array for `n` elements of `dtype`. */
export function allocArray(dtype: DType, n: number): StorageArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(n);
    case "float64":
      return new Float64Array(n);
    case "float16":
    case "bfloat16":
      return new Uint16Array(n);
    case "int32":
      return new Int32Array(n);
    case "int64":
      return new BigInt64Array(n);
    case "uint8":
    case "bool":
      return new Uint8Array(n);
  }
}

/** Views raw bytes as the host array of `dtype` (no copy; `byteOffset` must be aligned to the item size). */
export function arrayFromBytes(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, n: number): StorageArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(buffer, byteOffset, n);
    case "float64":
      return new Float64Array(buffer, byteOffset, n);
    case "float16":
    case "bfloat16":
      return new Uint16Array(buffer, byteOffset, n);
    case "int32":
      return new Int32Array(buffer, byteOffset, n);
    case "int64":
      return new BigInt64Array(buffer, byteOffset, n);
    case "uint8":
    case "bool":
      return new Uint8Array(buffer, byteOffset, n);
  }
}

// Category rank for promotion: bool < integer < floating, as torch.result_type.
function category(d: DType): number {
  return d === "bool" ? 0 : isFloatingPoint(d) ? 2 : 1;
}

/**
 * The common dtype of two tensor dtypes, as `torch.promote_types`.
 * @example promoteTypes("int32", "float32") // "float32"
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const ca = category(a);
  const cb = category(b);
  if (ca !== cb) return ca > cb ? a : b;
  if (ca === 1) {
    // uint8 with a signed int goes to the signed one (int32/int64 hold every uint8).
    const rank: Record<string, number> = { uint8: 0, int32: 1, int64: 2 };
    return rank[a] > rank[b] ? a : b;
  }
  // float16 with bfloat16 promotes to float32, as in PyTorch.
  if ((a === "float16" && b === "bfloat16") || (a === "bfloat16" && b === "float16")) return "float32";
  const frank: Record<string, number> = { float16: 0, bfloat16: 0, float32: 1, float64: 2 };
  return frank[a] > frank[b] ? a : b;
}

/**
 * The dtype of a tensor combined with a Python-style scalar ("wrapped number"): the scalar only
 * raises the category (int tensor + 1.5 -> default float), never the width.
 * @example promoteWithScalar("float16", 2.5) // "float16"
 */
export function promoteWithScalar(t: DType, s: number | boolean | bigint, defaultFloat: DType = "float32"): DType {
  const sc = typeof s === "boolean" ? 0 : typeof s === "bigint" || Number.isInteger(s) ? 1 : 2;
  const tc = category(t);
  if (sc <= tc) return t;
  return sc === 2 ? defaultFloat : "int64";
}

/** The float dtype an op that needs floats (exp, mean, ...) computes an input of `d` in. */
export function toFloating(d: DType, defaultFloat: DType = "float32"): DType {
  return isFloatingPoint(d) ? d : defaultFloat;
}

/** The constructor name of the host array holding a dtype (float16 / bfloat16 share Uint16Array). */
export const STORAGE_ARRAY_NAME: Record<DType, string> = {
  float32: "Float32Array",
  float64: "Float64Array",
  float16: "Uint16Array",
  bfloat16: "Uint16Array",
  int32: "Int32Array",
  int64: "BigInt64Array",
  uint8: "Uint8Array",
  bool: "Uint8Array",
};

/** The name safetensors uses for a dtype. */
export const SAFETENSORS_DTYPE: Record<DType, string> = {
  float32: "F32",
  float64: "F64",
  float16: "F16",
  bfloat16: "BF16",
  int32: "I32",
  int64: "I64",
  uint8: "U8",
  bool: "BOOL",
};
