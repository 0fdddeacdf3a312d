// Tests of the safetensors writer: the format's reference byte vectors, the Rust crate's tensor order, and round trips of every dtype.
import { describe, expect, it } from "vitest";
import type { DType, StorageArray } from "../backend/dtype.js";
import { SafetensorsError, layoutSafetensors, parseSafetensors, serializeSafetensors } from "./core.js";

const enc = new TextEncoder();

/** The bytes of a file whose JSON header text (already padded) and data are given. */
function fileOf(headerText: string, data: Uint8Array): Uint8Array {
  const h = enc.encode(headerText);
  const out = new Uint8Array(8 + h.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.byteLength), true);
  out.set(h, 8);
  out.set(data, 8 + h.byteLength);
  return out;
}

const f32Bytes = (xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);

describe("serializeSafetensors: the format's reference vectors", () => {
  it("one F32 tensor whose header needs no padding (64 bytes)", () => {
    const out = serializeSafetensors({ "attn.0": { dtype: "float32", shape: [1, 2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) } });
    const header = `{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}`;
    expect(header.length).toBe(64);
    expect(out).toEqual(fileOf(header, f32Bytes([0, 1, 2, 3, 4, 5])));
  });

  it("a header padded with spaces to 72 bytes to align the data", () => {
    const out = serializeSafetensors([{ name: "attn0", dtype: "float32", shape: [1, 1, 2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) }]);
    const header = `{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}` + " ".repeat(7);
    expect(header.length).toBe(72);
    expect(out).toEqual(fileOf(header, f32Bytes([0, 1, 2, 3, 4, 5])));
  });

  it("no tensors, without and with metadata", () => {
    expect(serializeSafetensors({})).toEqual(fileOf("{}      ", new Uint8Array(0)));
    expect(Array.from(serializeSafetensors([]).subarray(0, 8))).toEqual([8, 0, 0, 0, 0, 0, 0, 0]);
    const withMeta = serializeSafetensors({}, { framework: "pt" });
    expect(withMeta).toEqual(fileOf(`{"__metadata__":{"framework":"pt"}}     `, new Uint8Array(0)));
    expect(withMeta[0]).toBe(40);
  });
});

describe("serializeSafetensors: layout as the Rust crate", () => {
  it("orders tensors by dtype (crate enum order, descending), then name by code point", () => {
    const mk = (dtype: DType, n = 1): { dtype: DType; shape: number[]; data: StorageArray } => ({
      dtype,
      shape: [n],
      data: new Uint8Array(n * ({ float64: 8, int64: 8, float32: 4, int32: 4, float16: 2, bfloat16: 2, uint8: 1, bool: 1 } as const)[dtype]),
    });
    const layout = layoutSafetensors({
      bool: mk("bool"),
      u8: mk("uint8"),
      f16: mk("float16"),
      bf16: mk("bfloat16"),
      i32: mk("int32"),
      f32b: mk("float32"),
      f32a: mk("float32"),
      f64: mk("float64"),
      i64: mk("int64"),
      "\u{1F600}": mk("float32"),
      "\uFFFF": mk("float32"),
      "\u00e9": mk("float32"),
      B: mk("float32"),
    });
    expect(layout.tensors.map((t) => t.name)).toEqual(["i64", "f64", "B", "f32a", "f32b", "\u00e9", "\uFFFF", "\u{1F600}", "i32", "bf16", "f16", "u8", "bool"]);
    const file = parseSafetensors(serializeSafetensors(layout.tensors.map((t) => ({ ...t, data: t.bytes }))));
    // The header lists tensors in data order, so file order equals layout order.
    expect(file.keys()).toEqual(layout.tensors.map((t) => t.name));
  });

  it("writes __metadata__ first, in insertion order, and escapes names as serde_json", () => {
    const out = serializeSafetensors({ 'a"\\\n\u0001/\u00e9': { dtype: "uint8", shape: [], data: new Uint8Array([7]) } }, { z: "1", a: "\t" });
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    const text = new TextDecoder().decode(out.subarray(8, 8 + n)).trimEnd();
    expect(text).toBe(`{"__metadata__":{"z":"1","a":"\\t"},"a\\"\\\\\\n\\u0001/\u00e9":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}`);
    expect(n % 8).toBe(0);
  });

  it("takes data from typed-array views at any offset, and raw bytes for any dtype", () => {
    const big = new Float32Array([9, 1, 2, 9]);
    const out = serializeSafetensors({
      v: { dtype: "float32", shape: [2], data: big.subarray(1, 3) },
      r: { dtype: "int32", shape: [1], data: new Uint8Array(new Int32Array([-5]).buffer) },
    });
    const file = parseSafetensors(out);
    expect(Array.from(file.data("v") as Float32Array)).toEqual([1, 2]);
    expect(Array.from(file.data("r") as Int32Array)).toEqual([-5]);
  });
});

describe("serializeSafetensors -> parseSafetensors round trips", () => {
  const cases: { dtype: DType; data: StorageArray; st: string }[] = [
    { dtype: "float64", data: new Float64Array([1.5, -0, Infinity, NaN, 1e-310, Math.PI]), st: "F64" },
    { dtype: "float32", data: new Float32Array([1.5, -0, -Infinity, NaN, 1e-40, 3.4e38]), st: "F32" },
    { dtype: "float16", data: new Uint16Array([0x3c00, 0x8000, 0x7c00, 0x7e00, 0x0001, 0x7bff]), st: "F16" },
    { dtype: "bfloat16", data: new Uint16Array([0x3f80, 0x8000, 0xff80, 0x7fc0, 0x0001, 0x7f7f]), st: "BF16" },
    { dtype: "int64", data: new BigInt64Array([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 42n]), st: "I64" },
    { dtype: "int32", data: new Int32Array([0, -1, 2 ** 31 - 1, -(2 ** 31), 7, 8]), st: "I32" },
    { dtype: "uint8", data: new Uint8Array([0, 1, 127, 128, 254, 255]), st: "U8" },
    { dtype: "bool", data: new Uint8Array([0, 1, 1, 0, 0, 1]), st: "BOOL" },
  ];

  for (const { dtype, data, st } of cases) {
    it(`${dtype} (${st}): 2-d, 0-d and empty tensors keep bits, shape and dtype`, () => {
      const tensors = {
        m: { dtype, shape: [2, 3], data },
        s: { dtype, shape: [], data: data.slice(0, 1) as StorageArray },
        e: { dtype, shape: [0, 4], data: data.slice(0, 0) as StorageArray },
        e1: { dtype, shape: [3, 0], data: data.slice(0, 0) as StorageArray },
      };
      const bytes = serializeSafetensors(tensors, { dtype: st });
      const file = parseSafetensors(bytes);
      expect(file.metadata).toEqual({ dtype: st });
      for (const [name, t] of Object.entries(tensors)) {
        const e = file.entry(name);
        expect(e.dtype).toBe(dtype);
        expect(e.shape).toEqual(t.shape);
        const back = file.data(name);
        expect(back.constructor).toBe(t.data.constructor);
        expect(new Uint8Array(back.buffer, back.byteOffset, back.byteLength)).toEqual(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      }
      // Re-serialising what was read gives the same bytes.
      expect(serializeSafetensors(file.entries.map((e) => ({ ...e, data: file.data(e) })), file.metadata)).toEqual(bytes);
    });
  }
});

describe("serializeSafetensors: rejects bad input with clear errors", () => {
  const w = { dtype: "float32" as const, shape: [2], data: new Float32Array(2) };
  it.each([
    [[{ ...w, name: "a" }, { ...w, name: "a" }], /tensor "a": appears twice/],
    [{ __metadata__: w }, /reserved for the file's metadata/],
    [{ "\uD800x": w }, /lone UTF-16 surrogate/],
    [{ a: { ...w, shape: [3] } }, /shape \[3\] has 3 elements but data has 2/],
    [{ a: { ...w, shape: [-2] } }, /must be a list of non-negative integers/],
    [{ a: { ...w, shape: [1.5] } }, /must be a list of non-negative integers/],
    [{ a: { ...w, data: new Float64Array(2) } }, /needs a Float32Array of 2 elements or 8 raw bytes, got a Float64Array/],
    [{ a: { ...w, data: new Uint8Array(7) } }, /or 8 raw bytes, got a Uint8Array of 7/],
    [{ a: { ...w, data: [1, 2] } }, /data must be a typed array/],
  ] as [unknown, RegExp][])("%#", (input, pattern) => {
    expect(() => serializeSafetensors(input as never)).toThrow(pattern);
    expect(() => serializeSafetensors(input as never)).toThrow(SafetensorsError);
  });

  it("rejects unknown dtypes and non-string metadata", () => {
    expect(() => serializeSafetensors({ a: { ...w, dtype: "int8" as DType } })).toThrow(/unknown dtype "int8"/);
    expect(() => serializeSafetensors({ a: w }, { epoch: 3 as unknown as string })).toThrow(/metadata\["epoch"\] must be a string/);
  });
});
