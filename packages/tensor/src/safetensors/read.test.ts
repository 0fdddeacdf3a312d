// Tests of the safetensors reader's validation: every malformed or hostile header is a clear SafetensorsError.
import { describe, expect, it } from "vitest";
import { SafetensorsError, parseSafetensors, parseSafetensorsHeader, readSafetensorsEntry } from "./core.js";

const enc = new TextEncoder();

/** A file from a raw header (bytes or text, unpadded), an explicit header-length field and a data section. */
function craft(header: string | Uint8Array, data: number | Uint8Array = 0, lengthField?: bigint): Uint8Array {
  const h = typeof header === "string" ? enc.encode(header) : header;
  const d = typeof data === "number" ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + h.byteLength + d.byteLength);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(h.byteLength), true);
  out.set(h, 8);
  out.set(d, 8 + h.byteLength);
  return out;
}

const info = (dtype: string, shape: unknown, offsets: unknown) =>
  `{"dtype":${JSON.stringify(dtype)},"shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}`;

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  let error: unknown;
  try {
    parseSafetensors(bytes);
  } catch (e) {
    error = e;
  }
  expect(error, "expected a SafetensorsError").toBeInstanceOf(SafetensorsError);
  expect((error as Error).message).toMatch(pattern);
}

describe("parseSafetensors: valid files", () => {
  it("reads entries in file order with absolute byte offsets and metadata", () => {
    const data = new Uint8Array(24 + 8);
    new Float32Array(data.buffer, 8, 6).set([0, 1, 2, 3, 4, 5]);
    new BigInt64Array(data.buffer, 0, 1)[0] = -7n;
    const header = `{"__metadata__":{"format":"pt"},"b":${info("F32", [2, 3], [8, 32])},"a":${info("I64", [], [0, 8])}}`;
    const file = parseSafetensors(craft(header, data));
    expect(file.metadata).toEqual({ format: "pt" });
    expect(file.keys()).toEqual(["a", "b"]);
    const b = file.entry("b");
    expect(b).toMatchObject({ name: "b", dtype: "float32", shape: [2, 3], byteLength: 24 });
    expect(b.byteOffset).toBe(8 + enc.encode(header).byteLength + 8);
    expect(Array.from(file.data("b") as Float32Array)).toEqual([0, 1, 2, 3, 4, 5]);
    expect((file.data("a") as BigInt64Array)[0]).toBe(-7n);
  });

  it("copies into an aligned buffer even when the tensor sits at an odd file offset", () => {
    // header of 9 bytes puts the data at file offset 17, unaligned for F32.
    const header = `{"x":${info("F32", [1], [0, 4])}}`;
    const bytes = craft(header, new Uint8Array(new Float32Array([1.5]).buffer));
    expect((8 + header.length) % 4).not.toBe(0);
    const file = parseSafetensors(bytes);
    const x = file.data("x");
    expect(x).toBeInstanceOf(Float32Array);
    expect(x[0]).toBe(1.5);
    // A copy: writing to it leaves the file alone.
    (x as Float32Array)[0] = 9;
    expect(parseSafetensors(bytes).data("x")[0]).toBe(1.5);
  });

  it("reads a tensor from exactly its bytes (as a lazy reader would)", () => {
    const bytes = craft(`{"x":${info("I32", [2], [0, 8])}}`, new Uint8Array(new Int32Array([3, -4]).buffer));
    const header = parseSafetensorsHeader(bytes);
    const e = header.entries[0];
    expect(Array.from(readSafetensorsEntry(bytes.slice(e.byteOffset, e.byteOffset + e.byteLength), e) as Int32Array)).toEqual([3, -4]);
  });

  it("accepts a file with no tensors, no metadata and null metadata", () => {
    expect(parseSafetensors(craft("{}      ")).entries).toEqual([]);
    expect(parseSafetensors(craft("{}")).metadata).toBeNull();
    expect(parseSafetensors(craft(`{"__metadata__":null}`)).metadata).toBeNull();
  });

  it("accepts empty tensors, including several at the same offset", () => {
    const h = `{"a":${info("F32", [0, 3], [0, 0])},"b":${info("I64", [2, 0], [0, 0])},"c":${info("U8", [2], [0, 2])}}`;
    const file = parseSafetensors(craft(h, 2));
    expect(file.keys()).toEqual(["a", "b", "c"]);
    expect(file.data("a").length).toBe(0);
    expect(file.data("b")).toBeInstanceOf(BigInt64Array);
  });

  it("parses header keys that are JS-special names as plain keys", () => {
    const h = `{"__metadata__":{"__proto__":"x","constructor":"y"},"__proto__":${info("U8", [1], [0, 1])}}`;
    const file = parseSafetensors(craft(h, 1));
    expect(Object.keys(file.metadata!)).toEqual(["__proto__", "constructor"]);
    expect(file.metadata!["__proto__"]).toBe("x");
    expect(file.keys()).toEqual(["__proto__"]);
  });

  it("accepts JSON escapes and whitespace in the header", () => {
    const h = ` { "a\\u00e9\\n" : { "dtype" : "BOOL" , "shape" : [ 1 ] , "data_offsets" : [ 0 , 1 ] , "extra": {"ignored": [true, null]} } } `;
    expect(parseSafetensors(craft(h, 1)).keys()).toEqual(["a\u00e9\n"]);
  });
});

describe("parseSafetensors: rejects malformed and hostile input", () => {
  const ok = (name = "x") => `"${name}":${info("F32", [2], [0, 8])}`;

  it("input shorter than 8 bytes", () => {
    rejects(new Uint8Array(0), /shorter than the 8-byte header length/);
    rejects(new Uint8Array(5), /shorter than the 8-byte header length/);
  });

  it("header length past the end of the file, or absurd", () => {
    rejects(craft("{}", 0, 1000n), /runs past the end/);
    rejects(craft("{}", 0, 100_000_001n), /larger than the 100000000-byte limit/);
    rejects(craft("{}", 0, 0xffffffffffffffffn), /larger than the 100000000-byte limit/);
    rejects(craft("{}", 0, 2n ** 53n + 1n), /larger than the 100000000-byte limit/);
  });

  it("non-UTF-8 header", () => {
    rejects(craft(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), /not valid UTF-8/);
    // An encoded lone surrogate (CESU-style) is not UTF-8 either.
    rejects(craft(new Uint8Array([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])), /not valid UTF-8/);
  });

  it("non-JSON header", () => {
    rejects(craft(""), /not valid JSON/);
    rejects(craft("{"), /not valid JSON/);
    rejects(craft("{'a':1}"), /not valid JSON/);
    rejects(craft(`{${ok()}} x`, 8), /not valid JSON/);
    rejects(craft(`{${ok()},}`, 8), /not valid JSON/);
    rejects(craft("{}\0\0\0\0\0\0"), /not valid JSON/);
    rejects(craft(`{"a\\x":1}`), /not valid JSON.*escape/);
    rejects(craft(`{"\\ud800":1}`), /not valid JSON.*surrogate/);
    rejects(craft('{"a\tb":1}'), /not valid JSON.*control character/);
    rejects(craft("[".repeat(100_000)), /not valid JSON.*nesting/);
  });

  it("header that is not an object", () => {
    rejects(craft("[]"), /must be a JSON object, got an array/);
    rejects(craft("null"), /must be a JSON object, got null/);
    rejects(craft('"x"'), /must be a JSON object, got the string/);
    rejects(craft("42"), /must be a JSON object, got the number 42/);
  });

  it("duplicate keys", () => {
    rejects(craft(`{${ok()},${ok()}}`, 8), /"x" appears twice/);
    rejects(craft(`{"__metadata__":{},"__metadata__":{}}`), /"__metadata__" appears twice/);
    rejects(craft(`{"__metadata__":{"a":"1","a":"2"}}`), /key "a" appears twice/);
    rejects(craft(`{"x":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, 8), /field "dtype" appears twice/);
  });

  it("missing or ill-typed tensor fields", () => {
    rejects(craft(`{"x":[1]}`), /tensor "x": expected \{dtype, shape, data_offsets\}, got an array/);
    rejects(craft(`{"x":{"shape":[2],"data_offsets":[0,8]}}`, 8), /tensor "x": missing field "dtype"/);
    rejects(craft(`{"x":{"dtype":"F32","data_offsets":[0,8]}}`, 8), /missing field "shape"/);
    rejects(craft(`{"x":{"dtype":"F32","shape":[2]}}`, 8), /missing field "data_offsets"/);
    rejects(craft(`{"x":${info("F32", "2", [0, 8])}}`, 8), /"shape" must be an array/);
    rejects(craft(`{"x":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}`, 8), /"dtype" must be a string/);
    rejects(craft(`{"x":${info("F32", [2], [0, 8, 16])}}`, 8), /"data_offsets" must be \[begin, end\]/);
    rejects(craft(`{"x":${info("F32", [2], { begin: 0 })}}`, 8), /"data_offsets" must be \[begin, end\]/);
    rejects(craft(`{"x":${info("F32", [2], [0, "8"])}}`, 8), /data_offsets\[1\] must be a non-negative integer/);
    rejects(craft(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[-0,8]}}`, 8), /data_offsets\[0\] must be a non-negative integer, got -0/);
  });

  it("metadata that is not an object of strings", () => {
    rejects(craft(`{"__metadata__":["a"]}`), /"__metadata__" must be an object of strings/);
    rejects(craft(`{"__metadata__":{"epoch":3}}`), /"__metadata__"\["epoch"\] must be a string, got the number 3/);
    rejects(craft(`{"__metadata__":{"a":{"b":"c"}}}`), /must be a string, got an object/);
  });

  it("unknown and unsupported dtypes", () => {
    for (const d of ["I8", "I16", "U16", "U32", "U64", "F8_E4M3", "F8_E5M2"])
      rejects(craft(`{"w":${info(d, [1], [0, 8])}}`, 8), new RegExp(`unsupported dtype ${d} in tensor "w"; supported: F32, F64, F16, BF16, I32, I64, U8, BOOL`));
    rejects(craft(`{"w":${info("F128", [1], [0, 8])}}`, 8), /unknown dtype "F128"; supported:/);
    rejects(craft(`{"w":${info("f32", [2], [0, 8])}}`, 8), /unknown dtype "f32"/);
    rejects(craft(`{"w":${info("constructor", [2], [0, 8])}}`, 8), /unknown dtype "constructor"/);
  });

  it("shapes with negative, fractional, huge or non-number dims", () => {
    rejects(craft(`{"x":${info("F32", [-2], [0, 8])}}`, 8), /shape\[0\] must be a non-negative integer, got -2/);
    rejects(craft(`{"x":${info("F32", [2.5], [0, 8])}}`, 8), /shape\[0\] must be a non-negative integer, got 2.5/);
    rejects(craft(`{"x":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}`, 8), /got 2.0/);
    rejects(craft(`{"x":{"dtype":"F32","shape":[2e0],"data_offsets":[0,8]}}`, 8), /got 2e0/);
    rejects(craft(`{"x":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,8]}}`, 8), /shape\[0\] must be a non-negative integer/);
    rejects(craft(`{"x":${info("F32", [null], [0, 8])}}`, 8), /shape\[0\] must be a non-negative integer, got null/);
  });

  it("byte size that does not match numel * itemSize, including overflowing shapes", () => {
    rejects(craft(`{"x":${info("F32", [3], [0, 8])}}`, 8), /shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] hold 8/);
    rejects(craft(`{"x":${info("F64", [2], [0, 8])}}`, 8), /needs 16 bytes/);
    rejects(
      craft(`{"x":${info("F32", [2 ** 40, 2 ** 40, 2 ** 40], [0, 8])}}`, 8),
      new RegExp(`needs ${2n ** 122n} bytes`),
    );
  });

  it("offsets outside the data section, reversed, overlapping, with holes or trailing bytes", () => {
    rejects(craft(`{"x":${info("F32", [2], [8, 16])}}`, 8), /run past the 8-byte data section/);
    rejects(craft(`{"x":${info("F32", [0], [8, 0])}}`, 8), /end before they begin/);
    rejects(
      craft(`{"a":${info("F32", [2], [0, 8])},"b":${info("F32", [2], [4, 12])}}`, 12),
      /tensor "b" data_offsets \[4, 12\] overlap tensor "a"/,
    );
    rejects(craft(`{"a":${info("F32", [2], [0, 8])},"b":${info("F32", [2], [0, 8])}}`, 8), /overlap/);
    rejects(
      craft(`{"a":${info("F32", [1], [0, 4])},"b":${info("F32", [1], [8, 12])}}`, 12),
      /bytes 4\.\.8 of the data section belong to no tensor \(hole before "b"\)/,
    );
    rejects(craft(`{"a":${info("F32", [1], [4, 8])}}`, 8), /bytes 0\.\.4 .* no tensor/);
    rejects(craft(`{"a":${info("F32", [1], [0, 4])}}`, 8), /cover 4 bytes but the data section has 8/);
    rejects(craft("{}", 3), /cover 0 bytes but the data section has 3/);
  });

  it("tensor lookups name what is there", () => {
    const file = parseSafetensors(craft(`{${ok("w")}}`, 8));
    expect(() => file.data("nope")).toThrow(/no tensor named "nope" in the file; it holds "w"/);
  });

  it("a truncated copy of a valid file is rejected without reading past the end", () => {
    const bytes = craft(`{${ok("a")},"b":${info("F32", [2], [8, 16])}}`, 16);
    expect(() => parseSafetensors(bytes)).not.toThrow();
    for (const cut of [0, 3, 8, 20, bytes.byteLength - 1]) expect(() => parseSafetensors(bytes.subarray(0, cut))).toThrow(SafetensorsError);
  });
});
