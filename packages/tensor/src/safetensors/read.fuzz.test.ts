// Fuzzing of the safetensors reader (fast-check, fixed seed): random headers, offsets, dtypes, shapes, duplicate keys, huge numbers and mutated files give a SafetensorsError or a valid file, never an engine error.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fuzzRuns, fuzzSeed, cpuMsSince } from "@tsorch/tensor/testing";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSafetensors, parseSafetensors, SafetensorsError, serializeSafetensors } from "@tsorch/tensor";
import { loadFile } from "@tsorch/tensor/node";

const RUNS = fuzzRuns(1000);
const SEED = fuzzSeed();
/** One input may take at most this long: a parser that slows down this much on a small input has a pathology. */
const SLOW_MS = 2_000;

/** The property: either a file whose every tensor reads back, or a SafetensorsError; anything else is a bug. */
function check(bytes: Uint8Array): void {
  const t0 = process.cpuUsage();
  try {
    const file = parseSafetensors(bytes);
    for (const e of file.entries) {
      expect((file.data(e) as ArrayBufferView).byteLength).toBe(e.byteLength);
    }
    for (const t of Object.values(loadSafetensors(bytes))) t.dispose();
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw new Error(`not a SafetensorsError: ${String(e)}`, { cause: e });
  }
  expect(cpuMsSince(t0)).toBeLessThan(SLOW_MS);
}

/** A file: u64 little-endian header length (given or true), header text, data bytes. */
function file(header: string, data: Uint8Array, lengthField?: bigint): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const DTYPES = ["F32", "F16", "BF16", "F64", "I64", "I32", "I16", "I8", "U8", "BOOL", "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "C64", "f32", "", "F32\u0000"];
/** Number texts a hostile header may hold: huge, negative, fractional, exponent, leading zeros, past 2^53 and 2^64. */
const numberText = fc.oneof(
  fc.nat({ max: 64 }).map(String),
  fc.integer().map(String),
  fc.constantFrom("9007199254740993", "18446744073709551616", "1e400", "-0", "0.5", "1e3", "01", "1E2", "99999999999999999999999"),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
);
const jsonString = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__metadata__", "a", "dtype", "shape", "data_offsets")).map((s) => JSON.stringify(s));
/** A tensor entry, written as text so that fields can repeat or be missing. */
const entryText = fc
  .record({
    dtype: fc.oneof(fc.constantFrom(...DTYPES).map((d) => JSON.stringify(d)), numberText, fc.constant("null")),
    shape: fc.oneof(fc.array(numberText, { maxLength: 4 }).map((a) => `[${a.join(",")}]`), fc.constant("7"), fc.constant("{}")),
    offsets: fc.oneof(fc.array(numberText, { minLength: 0, maxLength: 3 }).map((a) => `[${a.join(",")}]`), fc.constant('"0"')),
    repeat: fc.constantFrom("", "dtype", "shape", "data_offsets"),
    drop: fc.constantFrom("", "", "", "dtype", "shape", "data_offsets"),
  })
  .map(({ dtype, shape, offsets, repeat, drop }) => {
    const fields: [string, string][] = [["dtype", dtype], ["shape", shape], ["data_offsets", offsets]];
    const kept = fields.filter(([k]) => k !== drop);
    if (repeat) kept.push(fields.find(([k]) => k === repeat)!);
    return `{${kept.map(([k, v]) => `"${k}":${v}`).join(",")}}`;
  });
const metadataText = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)), numberText)).map(
    (d) => `{${Object.entries(d).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`,
  ),
  fc.constantFrom("null", "[]", '"x"', '{"a":"1","a":"2"}'),
);
/** A header: entries with random or repeated names, sometimes metadata, sometimes not an object at all. */
const headerText = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.tuple(jsonString, fc.oneof({ weight: 5, arbitrary: entryText }, { weight: 1, arbitrary: metadataText })), { maxLength: 5 }).map((members) => `{${members.map(([k, v]) => `${k}:${v}`).join(",")}}`) },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.nat({ max: 5000 }).map((n) => "[".repeat(n)) },
);

/** A small valid file of several dtypes, the seed of the mutation fuzzer. */
function validFile(): Uint8Array {
  return serializeSafetensors(
    [
      { name: "w", dtype: "float32", shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
      { name: "b", dtype: "int64", shape: [2], data: new BigInt64Array([7n, -8n]) },
      { name: "h", dtype: "float16", shape: [1], data: new Uint16Array([0x3c00]) },
      { name: "e", dtype: "float32", shape: [0, 4], data: new Float32Array(0) },
    ],
    { format: "pt" },
  );
}

const base = validFile();
/** A valid file with bytes overwritten, cut short or inserted. */
const mutation = fc.oneof(
  fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map(
    (edits) => {
      const b = base.slice();
      for (const [i, v] of edits) b[i] = v;
      return b;
    },
  ),
  fc.nat({ max: base.length }).map((n) => base.slice(0, n)),
  fc.tuple(fc.nat({ max: base.length }), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, ins]) => {
    const b = new Uint8Array(base.length + ins.length);
    b.set(base.subarray(0, at));
    b.set(ins, at);
    b.set(base.subarray(at), at + ins.length);
    return b;
  }),
);

describe("safetensors reader under fuzzing", () => {
  it(`random headers, offsets, dtypes, shapes, duplicate keys and huge numbers (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(headerText, fc.uint8Array({ maxLength: 64 }), (header, data) => check(file(header, data))),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`[safetensors fuzz] random headers: ${RUNS} cases, seed ${SEED}`);
  });

  it(`random header-length fields, including past 2^53 and 2^64 - 1 (${RUNS} cases)`, () => {
    const lengths = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 200n }), fc.constantFrom(2n ** 53n + 1n, 2n ** 64n - 1n, 100_000_000n, 100_000_001n));
    fc.assert(
      fc.property(headerText, fc.uint8Array({ maxLength: 16 }), lengths, (header, data, n) => check(file(header, data, n))),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`[safetensors fuzz] header-length fields: ${RUNS} cases`);
  });

  it(`mutations of a valid file: flipped bytes, truncations, insertions (${RUNS} cases)`, () => {
    fc.assert(fc.property(mutation, check), { seed: SEED, numRuns: RUNS });
    console.log(`[safetensors fuzz] mutations of a ${base.length}-byte file: ${RUNS} cases`);
  });

  it(`loadFile / safeOpen on mutated files on disk (${Math.ceil(RUNS / 10)} cases)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsorch-st-fuzz-"));
    try {
      await fc.assert(
        fc.asyncProperty(mutation, async (bytes) => {
          const path = join(dir, "f.safetensors");
          writeFileSync(path, bytes);
          try {
            for (const t of Object.values(await loadFile(path))) t.dispose();
          } catch (e) {
            if (!(e instanceof SafetensorsError)) throw new Error(`not a SafetensorsError: ${String(e)}`, { cause: e });
          }
        }),
        { seed: SEED, numRuns: Math.ceil(RUNS / 10) },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`[safetensors fuzz] loadFile on mutated files: ${Math.ceil(RUNS / 10)} cases`);
  });

  describe("regression inputs", () => {
    const cases: [string, Uint8Array][] = [
      ["header nested 100 000 deep", file("[".repeat(100_000), new Uint8Array())],
      ["shape past 2^53", file('{"a":{"dtype":"F32","shape":[9007199254740993],"data_offsets":[0,0]}}', new Uint8Array())],
      ["header length 2^64 - 1", file("{}", new Uint8Array(), 2n ** 64n - 1n)],
      ["duplicate tensor key", file('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(1))],
      ["odd byte count for F32", file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,3]}}', new Uint8Array(3))],
    ];
    for (const [name, bytes] of cases) it(name, () => expect(() => parseSafetensors(bytes)).toThrow(SafetensorsError));
  });
});
