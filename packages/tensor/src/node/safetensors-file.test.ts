// Tests of @tsorch/tensor/node: loadFile / saveFile (atomic) and the lazy safeOpen, on temp files and the model fixtures.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import * as pkgNamespace from "@tsorch/tensor";
import * as nodeNamespace from "@tsorch/tensor/node";
import type { DType, StorageArray } from "../backend/dtype.js";

const pkg = pkgNamespace as unknown as Record<string, unknown>;
const nodeApi = nodeNamespace as unknown as typeof import("./index.js");
const ready = typeof pkg?.fromTypedArray === "function" && typeof pkg?.serializeSafetensors === "function" && typeof nodeApi?.safeOpen === "function";
if (!ready)
  throw new Error(
    `@tsorch/tensor/node tests: the package entry does not export fromTypedArray / serializeSafetensors yet (${String((pkg as unknown as Error)?.message ?? "missing exports")})`,
  );
type T = import("../tensor.js").Tensor;
const api = pkg as unknown as typeof import("../safetensors/index.js") & {
  fromTypedArray(a: StorageArray, shape: number[], o: { dtype: DType; device?: string }): T;
};

const dir = mkdtempSync(join(tmpdir(), "tsorch-safetensors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytesOf = (a: StorageArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const fixturesEnv = process.env.TSORCH_FIXTURES;
const modelsDir = join(fixturesEnv ?? fileURLToPath(new URL("../../../../../shared/fixtures", import.meta.url)), "models");
const fixtureFiles = existsSync(modelsDir)
  ? readdirSync(modelsDir)
      .filter((d) => statSync(join(modelsDir, d)).isDirectory())
      .sort()
      .flatMap((d) => readdirSync(join(modelsDir, d)).filter((f) => f.endsWith(".safetensors")).sort().map((f) => join(modelsDir, d, f)))
  : [];
const skipFixtures = fixtureFiles.length === 0 && !fixturesEnv;
if (skipFixtures) console.warn(`@tsorch/tensor/node fixture tests: no *.safetensors under ${modelsDir} (set TSORCH_FIXTURES)`);

describe.skipIf(!ready)("saveFile / loadFile", () => {
  const samples: [DType, StorageArray][] = [
    ["float64", new Float64Array([1.5, -2, Math.PI, NaN])],
    ["float32", new Float32Array([1.5, -0, Infinity, 1e-40])],
    ["float16", new Uint16Array([0x3c00, 0x8000, 0x7c00, 0x7e00])],
    ["bfloat16", new Uint16Array([0x3f80, 0x8000, 0xff80, 0x7fc0])],
    ["int64", new BigInt64Array([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n)])],
    ["int32", new Int32Array([0, -1, 2 ** 31 - 1, -(2 ** 31)])],
    ["uint8", new Uint8Array([0, 1, 128, 255])],
    ["bool", new Uint8Array([0, 1, 1, 0])],
  ];

  it("writes the same bytes as the in-memory writer and reads every dtype back, 0-d and empty included", async () => {
    const tensors: Record<string, T> = {};
    for (const [dtype, data] of samples) {
      tensors[`${dtype}.m`] = api.fromTypedArray(data.slice() as StorageArray, [2, 2], { dtype });
      tensors[`${dtype}.s`] = api.fromTypedArray(data.slice(0, 1) as StorageArray, [], { dtype });
      tensors[`${dtype}.e`] = api.fromTypedArray(data.slice(0, 0) as StorageArray, [0, 3], { dtype });
    }
    const path = join(dir, "all.safetensors");
    await nodeApi.saveFile(tensors, path, { format: "pt", note: "é ✓" });
    expect(new Uint8Array(readFileSync(path))).toEqual(await api.saveSafetensors(tensors, { format: "pt", note: "é ✓" }));
    const back = await nodeApi.loadFile(path);
    expect(Object.keys(back).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      expect(back[name].dtype, name).toBe(t.dtype);
      expect([...back[name].shape], name).toEqual([...t.shape]);
      expect(bytesOf(await back[name].data()), name).toEqual(bytesOf(await t.data()));
    }
    const f = await nodeApi.safeOpen(path);
    expect(f.metadata()).toEqual({ format: "pt", note: "é ✓" });
    await f.close();
    // No temporary file is left beside the result.
    expect(readdirSync(dir).filter((n) => n.includes("all.safetensors"))).toEqual(["all.safetensors"]);
  });

  it("replaces an existing file atomically and leaves it untouched when saving fails", async () => {
    const path = join(dir, "replace.safetensors");
    writeFileSync(path, "old");
    const w = api.fromTypedArray(new Float32Array([1, 2]), [2], { dtype: "float32" });
    await nodeApi.saveFile({ w }, path);
    expect(Object.keys(await nodeApi.loadFile(path))).toEqual(["w"]);
    const before = readFileSync(path);
    await expect(nodeApi.saveFile({ w }, path, { epoch: 3 as unknown as string })).rejects.toThrow(/metadata\["epoch"\] must be a string/);
    await expect(nodeApi.saveFile(new Map([["__metadata__", w]]), path)).rejects.toThrow(/reserved/);
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir).filter((n) => n.includes("replace.safetensors"))).toEqual(["replace.safetensors"]);
  });
});

describe.skipIf(!ready)("safeOpen", () => {
  it("reads only the requested tensor's bytes, at call time", async () => {
    const path = join(dir, "lazy.safetensors");
    const a = new Float32Array(1000).map((_, i) => i);
    const b = new Int32Array([7, 8, 9]);
    writeFileSync(
      path,
      api.serializeSafetensors({ a: { dtype: "float32", shape: [10, 100], data: a }, b: { dtype: "int32", shape: [3], data: b } }, { k: "v" }),
    );
    const f = await nodeApi.safeOpen(path);
    try {
      expect(f.keys()).toEqual(["a", "b"]);
      expect(f.metadata()).toEqual({ k: "v" });
      const handle = (f as unknown as { handle: { read: (...args: unknown[]) => Promise<{ bytesRead: number }> } }).handle;
      const spy = vi.spyOn(handle, "read");
      const tb = await f.getTensor("b");
      const requested = spy.mock.results.length ? await Promise.all(spy.mock.results.map((r) => r.value as Promise<{ bytesRead: number }>)) : [];
      expect(requested.reduce((n, r) => n + r.bytesRead, 0)).toBe(12);
      expect(tb.dtype).toBe("int32");
      expect(Array.from((await tb.data()) as Int32Array)).toEqual([7, 8, 9]);
      // Change a's bytes on disk after opening: getTensor sees them, so nothing was read eagerly.
      const entry = f.entry("a");
      const file = new Uint8Array(readFileSync(path));
      new DataView(file.buffer).setFloat32(entry.byteOffset, -5, true);
      writeFileSync(path, file);
      const ta = await f.getTensor("a");
      expect([...ta.shape]).toEqual([10, 100]);
      const av = (await ta.data()) as Float32Array;
      expect(av[0]).toBe(-5);
      expect(av[999]).toBe(999);
      await expect(f.getTensor("c")).rejects.toThrow(/no tensor named "c" in the file; it holds "a", "b"/);
    } finally {
      await f.close();
    }
    await expect(f.getTensor("a")).rejects.toThrow(/the file is closed/);
    await f.close();
  });

  it("getSlice reads only the selected rows and gathers inner dims as Python slicing", async () => {
    const path = join(dir, "slice.safetensors");
    const shape = [5, 4, 3];
    const x = new Int32Array(60).map((_, i) => i);
    writeFileSync(
      path,
      api.serializeSafetensors({ x: { dtype: "int32", shape, data: x }, s: { dtype: "float64", shape: [], data: new Float64Array([2.5]) } }),
    );
    // Reference: a nested-array slice of x.
    const at = (i: number, j: number, k: number) => x[i * 12 + j * 3 + k];
    const f = await nodeApi.safeOpen(path);
    try {
      const sl = f.getSlice("x");
      expect(sl.getShape()).toEqual(shape);
      expect(sl.getDtype()).toBe("int32");
      const handle = (f as unknown as { handle: { read: (...args: unknown[]) => Promise<{ bytesRead: number }> } }).handle;
      const spy = vi.spyOn(handle, "read");
      const a = await sl.getData([1, 3], [-3, null], 2);
      const read = (await Promise.all(spy.mock.results.map((r) => r.value as Promise<{ bytesRead: number }>))).reduce((n, r) => n + r.bytesRead, 0);
      expect(read).toBe(2 * 12 * 4);
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data as Int32Array)).toEqual([at(1, 1, 2), at(1, 2, 2), at(1, 3, 2), at(2, 1, 2), at(2, 2, 2), at(2, 3, 2)]);
      const b = await sl.getData(-1);
      expect(b.shape).toEqual([4, 3]);
      expect(Array.from(b.data as Int32Array)).toEqual(Array.from(x.subarray(48, 60)));
      expect((await sl.getData([3, 100], [2, 1])).shape).toEqual([2, 0, 3]);
      expect(Array.from((await sl.getData()).data as Int32Array)).toEqual(Array.from(x));
      const t = await sl.get(null, 0, [0, 2]);
      expect([...t.shape]).toEqual([5, 2]);
      expect(Array.from((await t.data()) as Int32Array)).toEqual([0, 1, 12, 13, 24, 25, 36, 37, 48, 49]);
      expect(Array.from((await f.getSlice("s").getData()).data as Float64Array)).toEqual([2.5]);
      await expect(sl.getData(5)).rejects.toThrow(/index 5 is out of range for dim 0 of size 5/);
      await expect(sl.getData(0, 0, 0, 0)).rejects.toThrow(/4 indices for a tensor of 3 dims/);
    } finally {
      await f.close();
    }
  });

  it("rejects a malformed file with the path in the message, and a file that shrank", async () => {
    const bad = join(dir, "bad.safetensors");
    writeFileSync(bad, new Uint8Array([16, 0, 0, 0, 0, 0, 0, 0, 0x7b]));
    await expect(nodeApi.safeOpen(bad)).rejects.toThrow(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: safetensors: header length 16 runs past`));
    const path = join(dir, "shrink.safetensors");
    const bytes = api.serializeSafetensors({ x: { dtype: "float64", shape: [4], data: new Float64Array(4) } });
    writeFileSync(path, bytes);
    const f = await nodeApi.safeOpen(path);
    writeFileSync(path, bytes.subarray(0, bytes.byteLength - 8));
    await expect(f.getData("x")).rejects.toThrow(/the file ended at byte .* while reading "x"/);
    await f.close();
  });
});

describe.skipIf(!ready || skipFixtures)("safeOpen on the model fixtures", () => {
  it("reads each tensor lazily with the same bytes as the in-memory reader", async () => {
    expect(fixtureFiles.length, `no *.safetensors under ${modelsDir}`).toBeGreaterThan(0);
    let n = 0;
    for (const path of fixtureFiles) {
      const whole = api.parseSafetensors(new Uint8Array(readFileSync(path)));
      const f = await nodeApi.safeOpen(path);
      try {
        expect(f.offsetKeys()).toEqual(whole.keys());
        expect(f.metadata()).toEqual(whole.metadata);
        for (const name of f.offsetKeys()) {
          const same = Buffer.from(bytesOf(await f.getData(name))).equals(Buffer.from(bytesOf(whole.data(name))));
          if (!same) expect.fail(`${path}: tensor ${name} read lazily differs from the in-memory reader`);
          n++;
        }
        const first = f.offsetKeys()[0];
        if (first !== undefined) expect([...(await f.getTensor(first)).shape]).toEqual([...whole.entry(first).shape]);
      } finally {
        await f.close();
      }
    }
    console.log(`safeOpen fixtures: ${fixtureFiles.length} files, ${n} tensors read lazily`);
  });
});

describe("saveFile into a missing directory", () => {
  it("creates the missing directories and writes the file there", async () => {
    const target = join(dir, "made", "by", "save", "m.safetensors");
    const w = api.fromTypedArray(new Float32Array([1, 2, 3]), [3], { dtype: "float32" });
    await nodeApi.saveFile({ w }, target);
    const back = await nodeApi.loadFile(target);
    expect(Array.from((await back.w!.data()) as Float32Array)).toEqual([1, 2, 3]);
    expect(readdirSync(join(dir, "made", "by", "save"))).toEqual(["m.safetensors"]);
  });

  it("names the directory the user gave, not the hidden temp file, when it cannot be made", async () => {
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "not a directory");
    const target = join(blocker, "sub", "m.safetensors");
    const w = api.fromTypedArray(new Float32Array([1]), [1], { dtype: "float32" });
    const err = await nodeApi.saveFile({ w }, target).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain(JSON.stringify(join(blocker, "sub")));
    expect(err!.message).not.toMatch(/\.tmp/);
  });
});
