// Fused kernels (softmax, logSoftmax, layerNorm, rmsNorm, gelu) on WebGPU against the composites on the CPU.

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { empty, gelu, layerNorm, logSoftmax, registerBackend, rmsNorm, scope, softmax, tensor, type Tensor } from "@tsorch/tensor";
import type { KernelTensor } from "@tsorch/tensor/backend";
import type { GpuBuffer } from "./internal/pool.js";
import { createWebGPUBackend, type WebGPUBackend } from "./webgpu-backend.js";
import { runFileInChild, testDevice, vulkanRetryEnv } from "./test-device.js";

const { device, reason } = await testDevice();
const retry = device ? null : await vulkanRetryEnv();
if (!device && !retry) console.warn(`[webgpu] fused-kernel tests skipped: ${reason}`);

describe.skipIf(!retry)("webgpu fused kernels (child process with Chromium's Vulkan loader)", () => {
  it("passes", async () => {
    const r = await runFileInChild(fileURLToPath(import.meta.url), retry!);
    console.log(r.summary);
    expect(r.status, r.out.slice(-6000)).toBe(0);
  }, 600_000);
});

const kv = (t: Tensor): KernelTensor<GpuBuffer> => ({ buffer: t.storage.buffer as GpuBuffer, dtype: t.dtype, shape: t.shape, strides: t.strides, offset: t.offset });

function det(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => Math.sin(i * 0.61 + seed) * 3), { dtype: "float32" }).view(...shape);
}

async function close(got: Tensor, want: Tensor, what: string): Promise<void> {
  const g = Array.from((await got.data()) as Float32Array);
  const w = Array.from(want.contiguous().dataSync() as Float32Array);
  expect(g.length, what).toBe(w.length);
  for (let i = 0; i < w.length; i++) expect(Math.abs(g[i] - w[i]), `${what}[${i}]: ${g[i]} vs ${w[i]}`).toBeLessThanOrEqual(2e-5 + 2e-5 * Math.abs(w[i]));
}

describe.skipIf(!device)("webgpu fused kernels", () => {
  let b: WebGPUBackend;
  const run = async (op: "softmax" | "logSoftmax" | "layerNorm" | "rmsNorm" | "gelu", ins: Tensor[], attrs: never): Promise<Tensor[]> => {
    b ??= await createWebGPUBackend({ device: device!, name: "webgpu-fused" });
    registerBackend(b);
    const k = b.fused![op]!;
    const g = ins.map((t) => t.to("webgpu-fused"));
    const specs = k.outputs(g.map(kv), attrs);
    const outs = specs.map((s) => empty([...s.shape], { dtype: s.dtype, device: "webgpu-fused" }));
    k.forward(g.map(kv), outs.map(kv), attrs);
    return outs;
  };

  for (const shape of [[3, 7], [2, 3, 300], [1, 1000], [5]]) {
    it(`softmax / logSoftmax over the last dim of [${shape}]`, async () => {
      await scope(async () => {
        const x = det(shape, 1);
        await close((await run("softmax", [x], {} as never))[0], softmax(x, -1), "softmax");
        await close((await run("logSoftmax", [x], {} as never))[0], logSoftmax(x, -1), "logSoftmax");
      });
    });
    it(`layerNorm / rmsNorm / gelu on [${shape}]`, async () => {
      await scope(async () => {
        const x = det(shape, 2);
        const d = shape[shape.length - 1];
        const w = det([d], 3);
        const bias = det([d], 4);
        const [y] = await run("layerNorm", [x, w, bias], { eps: 1e-5, hasWeight: true, hasBias: true } as never);
        await close(y, layerNorm(x, [d], w, bias, 1e-5), "layerNorm");
        const [y2] = await run("layerNorm", [x], { eps: 1e-5, hasWeight: false, hasBias: false } as never);
        await close(y2, layerNorm(x, [d], null, null, 1e-5), "layerNorm (no affine)");
        const [r] = await run("rmsNorm", [x, w], { eps: 1e-6, hasWeight: true } as never);
        await close(r, rmsNorm(x, [d], w, 1e-6), "rmsNorm");
        await close((await run("gelu", [x], { approximate: "none" } as never))[0], gelu(x), "gelu");
        await close((await run("gelu", [x], { approximate: "tanh" } as never))[0], gelu(x, "tanh"), "gelu tanh");
      });
    });
  }
});
