// Native kernels against the TypeScript backend on shapes past every blocking edge (GEMM panels, threads, long rows),
// and the safety contract: views reaching outside their arrays, wrong array types and bad indices throw, never crash.

import { beforeAll, describe, expect, it } from "vitest";
import { Generator, crossEntropy, rand, randn, scope, tensor, where, type Tensor } from "@tsorch/tensor";
import { getBackend, registerBackend, type Backend, type StorageArray } from "@tsorch/tensor/backend";
import { createNativeCpuBackend, loadAddon, setNumThreads } from "./index.js";

const { addon, reason } = loadAddon();
if (!addon) console.warn(`backend-cpu kernels: SKIPPED, ${reason}`);

function close(got: Tensor, want: Tensor, rtol = 1e-4, atol = 1e-4): void {
  expect(got.shape).toEqual(want.shape);
  const g = got.dataSync() as Float32Array;
  const w = want.dataSync() as Float32Array;
  let worst = 0;
  let at = -1;
  for (let i = 0; i < w.length; i++) {
    const err = Math.abs(g[i] - w[i]) - (atol + rtol * Math.abs(w[i]));
    if (err > worst || Number.isNaN(g[i]) !== Number.isNaN(w[i])) (worst = Math.max(worst, err)), (at = i);
  }
  expect(at, `first mismatch at ${at}: got ${g[at]}, want ${w[at]}`).toBe(-1);
}

describe.skipIf(!addon)("native kernels on large shapes", () => {
  beforeAll(() => {
    registerBackend(createNativeCpuBackend(addon!, getBackend("cpu-ts") as Backend<StorageArray>, { name: "cpu-native", minElements: 0, minMacs: 0 }));
  });
  const on = (t: Tensor, d: string) => t.to(d);

  for (const threads of [1, 2]) {
    it(`matmul: plain, transposed, batched, broadcast, offset and edge shapes (${threads} thread(s))`, () => {
      setNumThreads(threads);
      const cases: [number[], number[], (a: Tensor, b: Tensor) => [Tensor, Tensor]][] = [
        [[97, 263], [263, 131], (a, b) => [a, b]],
        [[300, 520], [520, 2100], (a, b) => [a, b]],
        [[263, 97], [131, 263], (a, b) => [a.t(), b.t()]],
        [[5, 33, 70], [5, 70, 17], (a, b) => [a, b]],
        [[12, 8, 64], [64, 40], (a, b) => [a, b]],
        [[7, 1, 0], [0, 9], (a, b) => [a, b]],
        [[40, 50], [60, 70], (a, b) => [a.slice(1, 10, 40), b.slice(0, 20, 50).slice(1, 3, 33)]],
      ];
      let n = 0;
      for (const [sa, sb, f] of cases)
        scope(() => {
          const a = randn(sa);
          const b = randn(sb);
          const [x, y] = f(a, b);
          const want = x.to("cpu-ts").matmul(y.to("cpu-ts"));
          const [xn, yn] = f(on(a, "cpu-native"), on(b, "cpu-native"));
          close(xn.matmul(yn).to("cpu-ts"), want, 1e-4, 1e-3);
          n++;
        });
      console.log(`backend-cpu kernels: ${n} matmul layouts checked on ${threads} thread(s)`);
    });
  }

  it("elementwise, copy and sum over long, strided and broadcast operands", () => {
    setNumThreads(2);
    scope(() => {
      const a = randn([300, 257]);
      const b = randn([257]);
      for (const dev of ["cpu-native", "cpu-ts"]) expect(a.to(dev).device).toBe(dev);
      const ops: ((x: Tensor, y: Tensor) => Tensor)[] = [
        (x, y) => x.add(y),
        (x, y) => x.t().mul(x.t()),
        (x, y) => x.sub(y).div(y.abs().add(1)),
        (x) => x.exp().log1p().sqrt(),
        (x) => x.sigmoid().tanh().neg(),
        (x) => x.sum(0),
        (x) => x.sum(1, true),
        (x) => x.t().sum(0),
        (x) => x.sum(),
        (x) => x.t().contiguous(),
        (x) => x.softmax(-1),
        (x) => x.maximum(x.t().t().mul(0.5)),
      ];
      for (const f of ops) close(f(a.to("cpu-native"), b.to("cpu-native")).to("cpu-ts"), f(a.to("cpu-ts"), b.to("cpu-ts")));
      const big = randn([1 << 20]);
      close(big.to("cpu-native").sum().to("cpu-ts"), big.to("cpu-ts").sum(), 1e-4, 1e-2);
    });
  });
});

describe.skipIf(!addon)("native comparisons, where and rand match the TypeScript kernels exactly", () => {
  beforeAll(() => {
    registerBackend(createNativeCpuBackend(addon!, getBackend("cpu-ts") as Backend<StorageArray>, { name: "cpu-native-sel", minElements: 0, minMacs: 0 }));
  });
  const same = (got: Tensor, want: Tensor) => {
    expect(got.dtype).toBe(want.dtype);
    expect(Array.from(got.to("cpu-ts").dataSync() as ArrayLike<number>)).toEqual(Array.from(want.dataSync() as ArrayLike<number>));
  };

  for (const threads of [1, 2])
    it(`rand: the same Philox stream bit for bit, at any length and stream position (${threads} thread(s))`, () => {
      setNumThreads(threads);
      let n = 0;
      for (const len of [1, 3, 4, 5, 4099, 70001])
        for (const skip of [0, 1, 6]) {
          const gn = new Generator(1234 + len);
          const gt = new Generator(1234 + len);
          if (skip) rand([skip], { generator: gn, device: "cpu-native-sel" }), rand([skip], { generator: gt, device: "cpu-ts" });
          same(rand([len], { generator: gn, device: "cpu-native-sel" }), rand([len], { generator: gt, device: "cpu-ts" }));
          expect(gn.offset).toBe(gt.offset);
          n++;
        }
      // A stream position past 2^32 blocks uses the counter's second word.
      const far = () => Object.assign(new Generator(5), { offset: 2 ** 32 - 3 });
      same(rand([40], { generator: far(), device: "cpu-native-sel" }), rand([40], { generator: far(), device: "cpu-ts" }));
      console.log(`backend-cpu kernels: ${n + 1} rand fills compared on ${threads} thread(s)`);
    });

  it("eq ne lt le gt ge on NaN, ±0, ±inf, strided and broadcast operands; where with broadcast and strided operands", () => {
    setNumThreads(2);
    scope(() => {
      const specials = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5];
      const vals = Float32Array.from(randn([257, 300]).mul(3).round().div(2).dataSync() as Float32Array);
      specials.forEach((v, i) => (vals[i * 37] = v));
      const x = tensor(Array.from(vals)).view(257, 300).to("cpu-ts");
      expect(Number.isNaN(x.dataSync()[0] as number)).toBe(true);
      const y = x.t().contiguous().t().flip([0]);
      const row = x.slice(0, 3, 4);
      const cases: [string, (a: Tensor, b: Tensor, r: Tensor) => Tensor][] = [
        ["eq", (a, b) => a.eq(b)],
        ["ne", (a, b) => a.ne(b)],
        ["lt", (a, _b, r) => a.lt(r)],
        ["le", (a) => a.le(0.5)],
        ["gt", (a, b) => a.t().gt(b.t())],
        ["ge", (a) => a.ge(a.slice(1, 0, 1))],
      ];
      for (const [, f] of cases) same(f(x.to("cpu-native-sel"), y.to("cpu-native-sel"), row.to("cpu-native-sel")), f(x, y, row));
      const w = (a: Tensor, b: Tensor) => [where(a.gt(b), a, 0), where(a.lt(0), b.t().t(), a.flip([1])), where(a.slice(0, 0, 1).ge(0), a, b)];
      const got = w(x.to("cpu-native-sel"), y.to("cpu-native-sel"));
      w(x, y).forEach((want, i) => same(got[i], want));
      console.log(`backend-cpu kernels: ${cases.length} comparisons and 3 where layouts compared exactly`);
    });
  });

  it("cross-entropy of rows holding NaN or ±inf is NaN, as the composite computes it", () => {
    scope(() => {
      const v = Float32Array.from(randn([4, 700]).dataSync() as Float32Array);
      (v[3] = NaN), (v[700 + 5] = Infinity);
      v.fill(-Infinity, 1400, 2100);
      const x = tensor(Array.from(v)).view(4, 700).to("cpu-ts");
      const t = tensor([0, 1, 2, 3], { dtype: "int64" });
      const got = crossEntropy(x.to("cpu-native-sel"), t.to("cpu-native-sel"), { reduction: "none" }).to("cpu-ts").dataSync() as Float32Array;
      expect([0, 1, 2].map((i) => Number.isNaN(got[i]))).toEqual([true, true, true]);
      expect(Number.isFinite(got[3])).toBe(true);
    });
  });

  it("compare, where and randUniform refuse bad views and array types", () => {
    const m = (xs: number[]) => Float64Array.from(xs);
    const a = new Float32Array(12);
    const o = new Uint8Array(12);
    expect(() => addon!.compare(0, a, a, o, m([1, 13, 0, 1, 0, 1, 0, 1]))).toThrow(/buffer of 12/);
    expect(() => addon!.compare(0, a, a, a as unknown as Uint8Array, m([1, 4, 0, 1, 0, 1, 0, 1]))).toThrow(/must be a Uint8Array/);
    expect(() => addon!.compare(9, a, a, o, m([1, 4, 0, 1, 0, 1, 0, 1]))).toThrow(/unknown op code/);
    expect(() => addon!.where(o, a, a, a, m([1, 4, 9, 1, 0, 1, 0, 1, 0, 1]))).toThrow(/condition.*reaches/);
    expect(() => addon!.randUniform(a, m([10, 3, 0, 0, 0]))).toThrow(/needs elements \[3, 13\) of a buffer of 12/);
    expect(() => addon!.randUniform(a, m([4, 0, 2 ** 32, 0, 0]))).toThrow(/32-bit/);
  });
});

describe.skipIf(!addon)("worker threads", () => {
  it("the addon shared by worker_threads gives the same products while they run at once", async () => {
    const { Worker } = await import("node:worker_threads");
    const { fileURLToPath } = await import("node:url");
    const file = fileURLToPath(new URL("../build/Release/tsorch_cpu.node", import.meta.url));
    // Plain JavaScript in each worker: load the addon, run 20 products of 200³, return a checksum.
    const code = `
      const { parentPort, workerData } = require("node:worker_threads");
      const addon = require(workerData.file);
      const n = 200, a = new Float32Array(n * n).map((_, i) => Math.sin(i)), c = new Float32Array(n * n);
      const meta = Float64Array.from([1, n, n, n, 0, 0, n, 1, 0, 0, n, 1, 0]);
      for (let r = 0; r < 20; r++) addon.matmul(a, a, c, meta);
      parentPort.postMessage(c.reduce((s, v) => s + v, 0));`;
    setNumThreads(2);
    const sums = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<number>((resolve, reject) => {
            const w = new Worker(code, { eval: true, workerData: { file } });
            w.once("message", (v: number) => (resolve(v), void w.terminate()));
            w.once("error", reject);
          }),
      ),
    );
    expect(sums[1]).toBe(sums[0]);
    expect(sums[2]).toBe(sums[0]);
  });
});

describe.skipIf(!addon)("denormals", () => {
  it("a product of denormal operands is fast (flushed) and JavaScript keeps its denormals afterwards", () => {
    registerBackend(createNativeCpuBackend(addon!, getBackend("cpu-ts") as Backend<StorageArray>, { name: "cpu-native-dn" }));
    scope(() => {
      const a = randn([256, 256]).mul(1e-39).to("cpu-native-dn");
      const t0 = performance.now();
      const y = a.matmul(a);
      expect(performance.now() - t0, "256³ on denormals").toBeLessThan(2000);
      expect(Math.max(...(y.abs().dataSync() as Float32Array))).toBeLessThan(1e-30);
    });
    const tiny = Number("1e-310");
    expect(tiny * 0.5).toBeGreaterThan(0);
  });
});

describe.skipIf(!addon)("native kernels refuse bad views instead of crashing", () => {
  const m = (xs: number[]) => Float64Array.from(xs);
  it("matmul, binary, copy, sum and fused kernels check every view against its array", () => {
    const a = new Float32Array(12);
    const c = new Float32Array(16);
    expect(() => addon!.matmul(a, a, c, m([1, 4, 4, 4, 0, 0, 4, 1, 0, 0, 4, 1, 0]))).toThrow(/reaches elements \[0, 15\] of a buffer of 12/);
    expect(() => addon!.matmul(a, a, c, m([1, 2, 2, 2, -1, 0, 2, 1, 0, 0, 2, 1, 0]))).toThrow(/reaches/);
    expect(() => addon!.binary(0, a, a, c, m([1, 13, 0, 1, 0, 1, 0, 1]))).toThrow(/buffer of 12/);
    expect(() => addon!.copy(a, c, m([2, 4, 4, 3, -4, 1, 0, 4, 1]))).toThrow(/reaches elements \[-9/);
    expect(() => addon!.sum(a, c, m([1, 20, 0, 1, 0, 1]))).toThrow(/reaches/);
    expect(() => addon!.softmax(false, a, c, m([4, 4, 0, 0]))).toThrow(/needs elements \[0, 16\) of a buffer of 12/);
    expect(() => addon!.adamw(a, a, a, c, m([13, 0, 0, 0, 0, 1e-3, 0.9, 0.999, 1e-8, 0, 1, 0]))).toThrow(/buffer of 12/);
    expect(() => addon!.binary(0, new Float64Array(4) as unknown as Float32Array, a, c, m([1, 4, 0, 1, 0, 1, 0, 1]))).toThrow(/must be a Float32Array/);
    expect(() => addon!.binary(0, a, a, c, m([1, 4, 0.5, 1, 0, 1, 0, 1]))).toThrow(/non-integer/);
    expect(() => addon!.unary(0, a, c, m([1]))).toThrow(/too short/);
  });

  it("index ops with out-of-range indices raise the TypeScript backend's errors", () => {
    const prev = getBackend("cpu");
    registerBackend(createNativeCpuBackend(addon!, getBackend("cpu-ts") as Backend<StorageArray>, { minElements: 0, minMacs: 0 }));
    try {
      const x = randn([4, 3]);
      const bad = tensor([[0, 5, 1]], { dtype: "int64" });
      let nativeMsg = "";
      try {
        x.gather(0, bad);
      } catch (e) {
        nativeMsg = (e as Error).message;
      }
      let tsMsg = "";
      try {
        x.to("cpu-ts").gather(0, bad.to("cpu-ts"));
      } catch (e) {
        tsMsg = (e as Error).message;
      }
      expect(nativeMsg).not.toBe("");
      expect(nativeMsg).toBe(tsMsg);
      expect(() => x.indexSelect(0, tensor([-1], { dtype: "int64" }))).toThrow();
    } finally {
      registerBackend(prev);
    }
  });
});
