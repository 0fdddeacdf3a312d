// Fuzzing of the restricted unpickler (fast-check, fixed seed): mutated torch.save archives and random opcode streams give a TorchCheckpointError or a state dict, never an engine error.
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { fuzzRuns, fuzzSeed, cpuMsSince } from "@tsorch/tensor/testing";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { loadTorchCheckpoint, TorchCheckpointError } from "./torch-pickle.js";

const RUNS = fuzzRuns(1000);
const SEED = fuzzSeed();
const SLOW_MS = 2_000;

/** The property: a record of tensors, or a TorchCheckpointError; anything else (TypeError, RangeError, zlib's Error) is a bug. */
function check(bytes: Uint8Array): void {
  const t0 = process.cpuUsage();
  try {
    const sd = loadTorchCheckpoint(bytes, "fuzz.bin");
    for (const t of Object.values(sd)) {
      expect(Array.isArray(t.shape)).toBe(true);
      t.dispose();
    }
  } catch (e) {
    if (!(e instanceof TorchCheckpointError)) throw new Error(`not a TorchCheckpointError: ${String(e)}`, { cause: e });
    expect(e.message).toMatch(/^fuzz\.bin|storage dtype/);
  }
  expect(cpuMsSince(t0)).toBeLessThan(SLOW_MS);
}

/** A zip archive of the given members, stored (0) or deflated (8), with a central directory. */
function zip(members: [string, Uint8Array, 0 | 8][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, raw, method] of members) {
    const n = new TextEncoder().encode(name);
    const body = method === 8 ? new Uint8Array(deflateRawSync(raw)) : raw;
    const local = new Uint8Array(30 + n.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(8, method, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, raw.length, true);
    lv.setUint16(26, n.length, true);
    local.set(n, 30);
    const c = new Uint8Array(46 + n.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, method, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, raw.length, true);
    cv.setUint16(28, n.length, true);
    cv.setUint32(42, offset, true);
    c.set(n, 46);
    parts.push(local, body);
    central.push(c);
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, members.length, true);
  ev.setUint16(10, members.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) (out.set(p, at), (at += p.length));
  return out;
}

const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const str = (s: string) => [...new TextEncoder().encode(s)];
/** One pickle opcode with operands, biased towards what torch.save writes (globals, storages, tensor rebuilds). */
const opcode: fc.Arbitrary<readonly number[]> = fc.oneof(
  fc.constantFrom(0x7d, 0x5d, 0x29, 0x28, 0x94, 0x2e, 0x88, 0x89, 0x4e, 0x74, 0x85, 0x86, 0x87, 0x73, 0x75, 0x61, 0x65, 0x51, 0x52, 0x81, 0x62, 0x93).map((o) => [o]),
  fc.nat({ max: 255 }).map((n) => [0x4b, n]),
  fc.integer().map((n) => [0x4a, ...u32(n)]),
  fc.nat({ max: 4 }).map((n) => [0x71, n]),
  fc.nat({ max: 4 }).map((n) => [0x68, n]),
  fc.nat({ max: 6 }).map((n) => [0x6a, ...u32(n)]),
  fc.uint8Array({ maxLength: 9 }).map((b) => [0x8a, b.length, ...b]),
  fc.constantFrom("0", "1", "storage", "cpu", "collections", "OrderedDict").map((s) => [0x8c, s.length, ...str(s)]),
  fc.constantFrom("collections\nOrderedDict\n", "torch._utils\n_rebuild_tensor_v2\n", "torch\nFloatStorage\n", "torch\nLongStorage\n", "torch\nHalfStorage\n", "torch._tensor\n_rebuild_from_type_v2\n", "torch._utils\n_rebuild_parameter\n", "os\nsystem\n", "torch\n").map((s) => [0x63, ...str(s)]),
  fc.constantFrom([0x58, 0xff, 0xff, 0xff, 0x7f], [0x42, 0xff, 0xff, 0xff, 0xff], [0x95, 1, 2, 3, 4, 5, 6, 7, 8], [0x80, 2], [0x47, 0x40, 0, 0, 0, 0, 0, 0, 0], [0xff], [0x4d, 1, 1]),
);

/** Pickle streams: random opcode sequences, and real-looking ones (a dict of one tensor) with random numbers inside. */
const pickleStream = fc.oneof(
  fc.array(opcode, { maxLength: 40 }).map((ops) => new Uint8Array([0x80, 2, ...ops.flat(), 0x2e])),
  fc
    .record({ storage: fc.constantFrom("FloatStorage", "LongStorage", "HalfStorage", "ByteStorage", "NoStorage"), key: fc.constantFrom("0", "1"), offset: fc.integer({ min: -3, max: 40 }), size: fc.array(fc.integer({ min: -2, max: 70000 }), { maxLength: 4 }), stride: fc.array(fc.integer({ min: -2, max: 70000 }), { maxLength: 4 }) })
    .map(({ storage, key, offset, size, stride }) => {
      const int = (n: number) => [0x4a, ...u32(n)];
      return new Uint8Array([
        0x80, 2, 0x63, ...str("collections\nOrderedDict\n"), 0x29, 0x52, 0x8c, 1, ...str("w"),
        0x63, ...str("torch._utils\n_rebuild_tensor_v2\n"),
        0x28, 0x8c, 7, ...str("storage"), 0x63, ...str(`torch\n${storage}\n`), 0x8c, key.length, ...str(key), 0x8c, 3, ...str("cpu"), ...int(4), 0x74, 0x51,
        ...int(offset), 0x28, ...size.flatMap(int), 0x74, 0x28, ...stride.flatMap(int), 0x74, 0x89, 0x74, 0x52, 0x73, 0x2e,
      ]);
    }),
);
const archive = fc
  .tuple(pickleStream, fc.uint8Array({ maxLength: 40 }), fc.constantFrom<0 | 8>(0, 8), fc.boolean())
  .map(([pkl, storage, method, withStorage]) =>
    zip([["archive/data.pkl", pkl, method], ...(withStorage ? [["archive/data/0", storage, method] as [string, Uint8Array, 0 | 8]] : [])]),
  );

const work = mkdtempSync(join(tmpdir(), "tsorch-pkl-fuzz-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A real archive from tools/make-torch-bin.py (Python's stdlib pickle), or null without python3. */
function pythonArchive(): Uint8Array | null {
  const script = new URL("../../../../tools/make-torch-bin.py", import.meta.url).pathname;
  const tensors = [
    { name: "w", dtype: "float32", shape: [2, 3], bytes: new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer) },
    { name: "b", dtype: "int64", shape: [2], bytes: new Uint8Array(new BigInt64Array([1n, -2n]).buffer) },
    { name: "h", dtype: "float16", shape: [2], bytes: new Uint8Array(new Uint16Array([0x3c00, 0x4000]).buffer) },
  ];
  const spec = tensors.map((t, i) => {
    const file = join(work, `t${i}.raw`);
    writeFileSync(file, t.bytes);
    return { name: t.name, dtype: t.dtype, shape: t.shape, file };
  });
  writeFileSync(join(work, "spec.json"), JSON.stringify({ tensors: spec }));
  try {
    execFileSync("python3", [script, join(work, "spec.json"), join(work, "base.bin")], { timeout: 60_000, stdio: "ignore" });
    return new Uint8Array(readFileSync(join(work, "base.bin")));
  } catch {
    return null;
  }
}

const base = pythonArchive();
if (!base) console.warn("[torch-pickle fuzz] mutations of a real archive SKIPPED: python3 could not run tools/make-torch-bin.py");

describe("restricted unpickler under fuzzing", () => {
  it(`random pickle streams in stored and deflated archives (${RUNS} cases)`, () => {
    fc.assert(fc.property(archive, check), { seed: SEED, numRuns: RUNS });
    console.log(`[torch-pickle fuzz] random pickle streams: ${RUNS} cases, seed ${SEED}`);
  });

  it.skipIf(!base)(`mutations of a torch.save archive written by Python (${RUNS} cases)`, () => {
    const b = base!;
    expect(Object.keys(loadTorchCheckpoint(b, "fuzz.bin"))).toEqual(["w", "b", "h"]);
    const mutation = fc.oneof(
      fc.array(fc.tuple(fc.nat({ max: b.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((edits) => {
        const m = b.slice();
        for (const [i, v] of edits) m[i] = v;
        return m;
      }),
      fc.nat({ max: b.length }).map((n) => b.slice(0, n)),
      fc.nat({ max: b.length }).map((n) => b.slice(n)),
    );
    fc.assert(fc.property(mutation, check), { seed: SEED, numRuns: RUNS });
    console.log(`[torch-pickle fuzz] mutations of a ${b.length}-byte archive: ${RUNS} cases`);
  });

  describe("regression inputs (each was a TypeError, RangeError or zlib Error before its fix)", () => {
    const pkl = (...ops: number[]) => zip([["archive/data.pkl", new Uint8Array([0x80, 2, ...ops, 0x2e]), 0]]);
    const withExtraPastEnd = (): Uint8Array => {
      const b = pkl(0x7d);
      const cd = b.length - 22 - (46 + "archive/data.pkl".length);
      new DataView(b.buffer).setUint16(cd + 30, 0xffff, true); // extra field length runs past the file
      return b;
    };
    const notDeflate = (): Uint8Array => {
      const b = zip([["archive/data.pkl", new Uint8Array([0x80, 2, 0x7d, 0x2e]), 8]]);
      b[30 + "archive/data.pkl".length] = 0xff; // first byte of the deflate stream: reserved block type
      return b;
    };
    const tensorRecord = (storageBytes: number, offset: number[], size: number[][]) =>
      zip([
        ["archive/data.pkl", new Uint8Array([
          0x80, 2, 0x7d, 0x8c, 1, ...str("w"), 0x63, ...str("torch._utils\n_rebuild_tensor_v2\n"),
          0x28, 0x28, 0x8c, 7, ...str("storage"), 0x63, ...str("torch\nFloatStorage\n"), 0x8c, 1, ...str("0"), 0x8c, 3, ...str("cpu"), 0x4b, 1, 0x74, 0x51,
          ...offset, ...size.flatMap((dims) => [0x28, ...dims.flatMap((d) => [0x4b, d]), 0x74]), 0x74, 0x52, 0x73, 0x2e,
        ]), 0],
        ["archive/data/0", new Uint8Array(storageBytes), 0],
      ]);
    const cases: [string, Uint8Array, RegExp][] = [
      ["APPEND onto a non-list", pkl(0x8a, 0, 0x61), /APPEND to a non-list/],
      ["APPENDS onto a non-list", pkl(0x4b, 1, 0x28, 0x4b, 2, 0x65), /APPEND to a non-list/],
      ["BINGET of a memo entry never written", pkl(0x68, 3), /memo entry 3/],
      ["NEWOBJ with arguments that are not a tuple", pkl(0x63, ...str("collections\nOrderedDict\n"), 0x4b, 1, 0x81), /NEWOBJ/],
      ["central directory extra field past the end of the file", withExtraPastEnd(), /central directory/],
      ["deflated member that does not inflate", notDeflate(), /does not inflate/],
      ["FloatStorage of 3 bytes", tensorRecord(3, [0x4b, 0], [[1], [1]]), /not a whole number of float32/],
      ["tensor offset that is not an integer", tensorRecord(4, [0x4e], [[1], [1]]), /malformed tensor record/],
      ["size and stride of different lengths", tensorRecord(4, [0x4b, 0], [[1, 1], [1]]), /malformed tensor record/],
      ["tensor reading past its storage", tensorRecord(4, [0x4b, 0], [[2], [1]]), /reads past its storage/],
    ];
    for (const [name, bytes, message] of cases)
      it(name, () => {
        expect(() => loadTorchCheckpoint(bytes, "fuzz.bin")).toThrow(TorchCheckpointError);
        expect(() => loadTorchCheckpoint(bytes, "fuzz.bin")).toThrow(message);
      });
  });
});
