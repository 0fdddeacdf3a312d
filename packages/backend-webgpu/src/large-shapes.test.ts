// Paths the conformance suite's small shapes do not reach: long reductions (workgroup trees), long sorts and scans, odd matmul tiles, int64 beyond 32 bits.

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { registerBackend, scope, tensor, toAsync, type Tensor } from "@tsorch/tensor";
import { createWebGPUBackend } from "./webgpu-backend.js";
import { runFileInChild, testDevice, vulkanRetryEnv } from "./test-device.js";

const { device, reason } = await testDevice();
const retry = device ? null : await vulkanRetryEnv();
if (!device && !retry) console.warn(`[webgpu] large-shape tests skipped: ${reason}`);

describe.skipIf(!retry)("webgpu large shapes (child process with Chromium's Vulkan loader)", () => {
  it("passes", async () => {
    const r = await runFileInChild(fileURLToPath(import.meta.url), retry!);
    console.log(r.summary);
    expect(r.status, r.out.slice(-6000)).toBe(0);
  }, 600_000);
});

function det(shape: number[], seed: number, scale = 3): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 0.613 + seed) * scale * 1000) / 1000), { dtype: "float32" }).view(...shape);
}

async function same(f: (x: Tensor[]) => Tensor, inputs: Tensor[], rtol = 1e-5, what = ""): Promise<void> {
  await scope(async () => {
    const want = f(inputs).contiguous();
    const got = await toAsync(f(inputs.map((t) => t.to("webgpu"))), "cpu");
    expect(got.dtype, what).toBe(want.dtype);
    expect(got.shape, what).toEqual(want.shape);
    const g = got.dataSync();
    const w = want.dataSync();
    for (let i = 0; i < w.length; i++) {
      const a = g[i];
      const b = w[i];
      if (typeof b === "bigint" || typeof a === "bigint") expect(a, `${what}[${i}]`).toBe(b);
      else if (Number.isNaN(b)) expect(Number.isNaN(a), `${what}[${i}] is ${a}, want NaN`).toBe(true);
      else expect(Math.abs(a - b), `${what}[${i}]: ${a} vs ${b}`).toBeLessThanOrEqual(rtol * (1 + Math.abs(b)));
    }
  });
}

describe.skipIf(!device)("webgpu large shapes", () => {
  it("long reductions use the workgroup tree and match the CPU", async () => {
    registerBackend(await createWebGPUBackend({ device: device! }));
    const x = det([3, 5000], 1);
    await same(([a]) => a.sum(1), [x], 1e-5, "sum dim 1");
    await same(([a]) => a.sum(), [x], 1e-5, "sum all");
    await same(([a]) => a.amax(1), [x], 0, "amax");
    await same(([a]) => a.T.amin(0), [x], 0, "amin of a transpose");
    await same(([a]) => a.div(3).exp().mean(1), [x], 1e-5, "mean of exp");
    const withNan = tensor(Array.from({ length: 3000 }, (_, i) => (i === 2100 ? NaN : Math.cos(i))), { dtype: "float32" });
    await same(([a]) => a.amax(), [withNan], 0, "amax with NaN");
    await same(([a]) => a.argmax(), [withNan], 0, "argmax with NaN");
    await same(([a]) => a.argmax(1), [x], 0, "argmax long rows");
  });

  it("long sorts and scans match the CPU", async () => {
    const x = det([2, 1500], 2, 4);
    await same(([a]) => a.sort(1).values, [x], 0, "sort values");
    await same(([a]) => a.sort(1, true).indices, [x], 0, "sort indices (ties stable)");
    await same(([a]) => a.cumsum(1), [x], 1e-4, "cumsum");
  });

  it("matmul with odd tiles, transposes and broadcast batches", async () => {
    const a = det([67, 130], 3, 1);
    const b = det([33, 130], 4, 1);
    await same(([p, q]) => p.matmul(q.T), [a, b], 1e-5, "matmul 67x130 @ (33x130)^T");
    const c = det([4, 70, 65], 5, 1);
    const d = det([65, 66], 6, 1);
    await same(([p, q]) => p.matmul(q), [c, d], 1e-5, "batched @ broadcast");
    await same(([p, q]) => p.transpose(1, 2).matmul(q.T.T.T), [c, det([9, 70], 7, 1)], 1e-5, "transposed batched");
  });

  it("integer matmul wraps as PyTorch's fixed-width integers", async () => {
    const ints = (shape: number[], mod: number, dtype: "int32" | "uint8" | "int64" | "bool") => {
      const n = shape.reduce((a, b) => a * b, 1);
      return tensor(Array.from({ length: n }, (_, i) => ((i * 7919) % mod) - (dtype === "int32" || dtype === "int64" ? mod >> 1 : 0)), { dtype }).view(...shape);
    };
    await same(([p, q]) => p.matmul(q), [ints([19, 70], 100000, "int32"), ints([70, 13], 90000, "int32")], 0, "int32 matmul (wraps)");
    await same(([p, q]) => p.matmul(q.T), [ints([9, 40], 256, "uint8"), ints([11, 40], 256, "uint8")], 0, "uint8 matmul");
    await same(([p, q]) => p.matmul(q), [ints([5, 30], 2, "bool"), ints([30, 6], 2, "bool")], 0, "bool matmul");
    const big = tensor(Array.from({ length: 24 }, (_, i) => BigInt(i * 1000003) * 4294967311n - 77n), { dtype: "int64" });
    await same(([p, q]) => p.view(4, 6).matmul(q.view(6, 4)), [big, big], 0, "int64 matmul");
  });

  it("int64 beyond 32 bits: arithmetic, reductions, comparisons and division", async () => {
    const big = tensor([3n * 2n ** 40n + 7n, -(2n ** 35n) - 3n, 123456789012n, -5n, 2n ** 31n, 9n], { dtype: "int64" });
    const small = tensor([7n, -3n, 1000n, 2n, -2n, 9n], { dtype: "int64" });
    await same(([a, b]) => a.add(b), [big, small], 0, "add");
    await same(([a, b]) => a.mul(b), [big, small], 0, "mul");
    await same(([a, b]) => a.sub(b).neg().abs(), [big, small], 0, "sub neg abs");
    await same(([a]) => a.sum(), [big], 0, "sum");
    await same(([a]) => a.cumsum(0), [big], 0, "cumsum");
    await same(([a, b]) => a.gt(b), [big, small], 0, "gt");
    await same(([a]) => a.sort().values, [big], 0, "sort");
    await same(([a]) => a.argmax(), [big], 0, "argmax");
    await same(([a, b]) => a.remainder(b), [big, small], 0, "remainder");
    await same(([a, b]) => a.floorDivide(b), [big, small], 0, "floorDivide");
    await same(([a]) => a.to("float32"), [big], 1e-7, "to float32");
  });

  it("uint8, bool and float16 element packing", async () => {
    const u = tensor(Array.from({ length: 37 }, (_, i) => (i * 37) % 256), { dtype: "uint8" });
    await same(([a]) => a.add(a), [u], 0, "uint8 add wraps");
    await same(([a]) => a.view(37, 1).expand(37, 3).T.contiguous(), [u], 0, "uint8 strided copy");
    await same(([a]) => a.gt(100).logicalXor(a.lt(30)), [u], 0, "bool logic");
    const h = det([5, 9], 8).to("float16");
    await same(([a]) => a.mul(1.5).T.contiguous(), [h], 0, "float16 strided");
    await same(([a]) => a.to("bfloat16").to("float32"), [h], 0, "bfloat16 rounding");
  });
});
