// Benchmark of @tsorch/backend-webgpu: matmul GFLOP/s and per-op overhead on whatever adapter exists (SwiftShader on CPU-only machines).
/// <reference types="@webgpu/types" />

import { spawnSync } from "node:child_process";
import { registerBackend, tensor, type Tensor } from "@tsorch/tensor";
import { createWebGPUBackend, requestDevice } from "../src/index.js";
import { vulkanRetryEnv } from "../src/test-device.js";

const r = await requestDevice();
if (!r.device) {
  const env = await vulkanRetryEnv();
  if (env) {
    // Dawn reads the library path at process start: rerun with Chromium's Vulkan loader on it.
    const c = spawnSync(process.execPath, process.execArgv.concat(process.argv.slice(1)), { env, stdio: "inherit" });
    process.exit(c.status ?? 1);
  }
  console.log(`webgpu bench: skipped, ${r.reason}`);
  process.exit(0);
}
const info = r.adapter?.info;
console.log(`webgpu bench on ${info ? `${info.vendor || "?"} ${info.architecture || ""} ${info.description || ""}`.trim() : "unknown adapter"}`);
const b = await createWebGPUBackend({ device: r.device });
registerBackend(b);

function det(shape: number[], seed: number): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i * 0.37 + seed);
  return tensor(Array.from(v), { dtype: "float32" }).view(...shape).to("webgpu");
}

async function time(fn: () => void, reps: number): Promise<number> {
  fn();
  await b.sync!();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  await b.sync!();
  return (performance.now() - t0) / reps;
}

const sizes = (process.env.BENCH_SIZES ?? "128,256,512").split(",").map(Number);
for (const n of sizes) {
  const x = det([n, n], 1);
  const y = det([n, n], 2);
  const reps = n <= 256 ? 10 : 3;
  const ms = await time(() => x.matmul(y).dispose(), reps);
  console.log(`matmul ${n}x${n}x${n}: ${ms.toFixed(2)} ms, ${((2 * n ** 3) / (ms * 1e6)).toFixed(2)} GFLOP/s`);
  x.dispose();
  y.dispose();
}
const bt = det([8, 64, 64], 3);
const ms = await time(() => bt.matmul(bt.transpose(1, 2)).dispose(), 5);
console.log(`batched matmul 8x[64x64 @ 64x64ᵀ]: ${ms.toFixed(2)} ms, ${((2 * 8 * 64 ** 3) / (ms * 1e6)).toFixed(2)} GFLOP/s`);

const s = det([16], 4);
const ops = 2000;
const before = b.stats().dispatches;
const per = await time(() => s.add(1).dispose(), ops);
console.log(`per-op overhead (add on 16 elements, ${ops} ops, one sync): ${(per * 1000).toFixed(1)} µs/op, ${b.stats().dispatches - before} dispatches, ${b.stats().pipelines} pipelines cached`);
// Host side only: what one op costs the JavaScript thread to record (the GPU drains later).
await b.sync!();
const e0 = performance.now();
for (let i = 0; i < ops; i++) s.add(1).dispose();
const enqueue = (performance.now() - e0) / ops;
b.flush();
await b.sync!();
console.log(`per-op enqueue cost on the JS thread: ${(enqueue * 1000).toFixed(1)} µs/op`);
const rt = await time(() => void s.add(1).data(), 1);
const t0 = performance.now();
for (let i = 0; i < 50; i++) {
  const t = s.add(1);
  await t.data();
  t.dispose();
}
console.log(`round trip (op + await data(), 50 times): ${((performance.now() - t0) / 50).toFixed(2)} ms each (first ${rt.toFixed(2)} ms)`);
b.destroy();
