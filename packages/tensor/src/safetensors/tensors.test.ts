// Tests of the Tensor-level safetensors API (loadSafetensors / saveSafetensors), run once the Tensor layer exports fromTypedArray.
import { describe, expect, it } from "vitest";
import * as pkgNamespace from "@tsorch/tensor";
import type { DType, StorageArray } from "../backend/dtype.js";

const pkg = pkgNamespace as unknown as Record<string, unknown>;
const ready = typeof pkg?.fromTypedArray === "function" && typeof pkg?.loadSafetensors === "function";
if (!ready)
  throw new Error(`safetensors tensor API tests: @tsorch/tensor does not export fromTypedArray + loadSafetensors yet (${String((pkg as unknown as Error)?.message ?? "missing exports")})`);

type T = import("../tensor.js").Tensor;
const api = pkg as unknown as typeof import("./index.js") & {
  fromTypedArray(a: StorageArray, shape: number[], o: { dtype: DType; device?: string }): T;
};

const bytesOf = (a: StorageArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

const samples: [DType, () => StorageArray][] = [
  ["float64", () => new Float64Array([1.5, -0, Infinity, NaN, 1e-310, Math.PI])],
  ["float32", () => new Float32Array([1.5, -0, -Infinity, NaN, 1e-40, 3.4e38])],
  ["float16", () => new Uint16Array([0x3c00, 0x8000, 0x7c00, 0x7e00, 0x0001, 0x7bff])],
  ["bfloat16", () => new Uint16Array([0x3f80, 0x8000, 0xff80, 0x7fc0, 0x0001, 0x7f7f])],
  ["int64", () => new BigInt64Array([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 42n])],
  ["int32", () => new Int32Array([0, -1, 2 ** 31 - 1, -(2 ** 31), 7, 8])],
  ["uint8", () => new Uint8Array([0, 1, 127, 128, 254, 255])],
  ["bool", () => new Uint8Array([0, 1, 1, 0, 0, 1])],
];

describe.skipIf(!ready)("loadSafetensors / saveSafetensors", () => {
  for (const [dtype, make] of samples) {
    it(`round-trips ${dtype}: 2-d, 0-d and empty tensors, same bytes as the core writer`, async () => {
      const tensors = {
        m: api.fromTypedArray(make(), [2, 3], { dtype }),
        s: api.fromTypedArray(make().slice(0, 1) as StorageArray, [], { dtype }),
        e: api.fromTypedArray(make().slice(0, 0) as StorageArray, [0, 2], { dtype }),
      };
      const bytes = await api.saveSafetensors(tensors, { format: "pt" });
      expect(bytes).toEqual(
        api.serializeSafetensors(
          [
            { name: "m", dtype, shape: [2, 3], data: make() },
            { name: "s", dtype, shape: [], data: make().slice(0, 1) as StorageArray },
            { name: "e", dtype, shape: [0, 2], data: make().slice(0, 0) as StorageArray },
          ],
          { format: "pt" },
        ),
      );
      expect(api.saveSafetensorsSync(tensors, { format: "pt" })).toEqual(bytes);
      const back = api.loadSafetensors(bytes);
      expect(Object.keys(back).sort()).toEqual(["e", "m", "s"]);
      for (const [name, t] of Object.entries(tensors)) {
        expect(back[name].dtype).toBe(dtype);
        expect([...back[name].shape]).toEqual([...t.shape]);
        expect(bytesOf(await back[name].data())).toEqual(bytesOf(await t.data()));
      }
    });
  }

  it("keeps a tensor named __proto__ as a key", () => {
    const bytes = api.serializeSafetensors([{ name: "__proto__", dtype: "float32", shape: [1], data: new Float32Array([3]) }]);
    const back = api.loadSafetensors(bytes);
    expect(Object.keys(back)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it("saves a Map and rejects non-tensors with a clear error", async () => {
    const w = api.fromTypedArray(new Float32Array([1, 2]), [2], { dtype: "float32" });
    const bytes = await api.saveSafetensors(new Map([["w", w]]));
    expect(api.parseSafetensors(bytes).keys()).toEqual(["w"]);
    await expect(api.saveSafetensors({ w: [1, 2] } as never)).rejects.toThrow(/"w" is not a Tensor/);
  });
});
