// Benchmark of @tsorch/backend-cpu beside PyTorch in the same run (one thread and two): matmul, batched attention,
// elementwise and sum over 16M floats, a tiny op. `pnpm bench` in this package; TSORCH_BENCH_QUICK=1 for a short run.

import "@tsorch/tensor";
import { gelu, layerNorm, matmul, ones, randn, scaledDotProductAttention, scope, softmax, zeros, type Tensor } from "@tsorch/tensor";
import { cpus } from "node:os";
import { loadAddon, registerNativeCpu, setNumThreads } from "../src/index.js";
import { pytorchTimes } from "./pytorch.js";

const status = registerNativeCpu();
console.log(`backend-cpu bench: ${status.native ? status.reason : `native backend absent (${status.reason}), timing the TypeScript backend`}`);
console.log(`machine: ${cpus()[0]?.model ?? "?"}, ${cpus().length} logical CPUs (shared with other work: timings are noisy)`);

function bench(fn: () => unknown, reps: number): number {
  fn();
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, (performance.now() - t) / reps);
  }
  return best;
}

const free = (t: Tensor) => t.dispose();
const work: [string, () => number, (ms: number) => string][] = [];
const gflops = (flop: number) => (ms: number) => `${(flop / ms / 1e6).toFixed(1)} GFLOP/s`;
const gbs = (bytes: number) => (ms: number) => `${(bytes / ms / 1e6).toFixed(1)} GB/s`;
for (const [n, reps] of [[64, 2000], [256, 100], [1024, 4]] as const) {
  const a = randn([n, n]);
  const b = randn([n, n]);
  work.push([`matmul${n}`, () => bench(() => free(matmul(a, b)), reps), gflops(2 * n ** 3)]);
}
const q = randn([8, 12, 128, 64]);
const k = randn([8, 12, 128, 64]);
const v = randn([8, 12, 128, 64]);
work.push(["bmm_qk", () => bench(() => free(matmul(q, k.transpose(-1, -2))), 50), gflops(2 * 96 * 128 * 128 * 64)]);
work.push([
  "attention",
  () => bench(() => free(matmul(softmax(matmul(q, k.transpose(-1, -2)).mul(0.125), -1), v)), 20),
  gflops(4 * 96 * 128 * 128 * 64),
]);
// The fused attention kernel on the same shapes (PyTorch 1.13 has no fused CPU attention: its row is the composite).
work.push(["sdpa_fused", () => bench(() => free(scaledDotProductAttention(q, k, v, { scale: 0.125 })), 20), gflops(4 * 96 * 128 * 128 * 64)]);
const x = randn([1 << 24]);
const y = randn([1 << 24]);
work.push(["add16M", () => bench(() => free(x.add(y)), 10), gbs(12 * (1 << 24))]);
work.push(["sum16M", () => bench(() => free(x.sum()), 10), gbs(4 * (1 << 24))]);
// BERT-base-shaped encoder forward (12 layers, hidden 768, 12 heads, FFN 3072, batch 8 x 128), random weights.
{
  const [B, T, D, H, F] = [8, 128, 768, 12, 3072];
  const layers = Array.from({ length: 12 }, () => ({
    qkv: randn([D, 3 * D]).mul(0.02), bqkv: zeros([3 * D]), o: randn([D, D]).mul(0.02), bo: zeros([D]),
    f1: randn([D, F]).mul(0.02), b1: zeros([F]), f2: randn([F, D]).mul(0.02), b2: zeros([D]),
    g1: ones([D]), n1: zeros([D]), g2: ones([D]), n2: zeros([D]),
  }));
  const hx = randn([B, T, D]);
  const bert = () =>
    scope(() => {
      let x = hx;
      for (const w of layers) {
        const qkv = x.matmul(w.qkv).add(w.bqkv).view(B, T, 3, H, D / H).permute(2, 0, 3, 1, 4); // [3, B, H, T, hs]
        const [q, k, v] = [0, 1, 2].map((i) => qkv.select(0, i)); // [B, H, T, hs]
        const a = scaledDotProductAttention(q, k, v).transpose(1, 2).reshape(B, T, D).matmul(w.o).add(w.bo); // [B, T, D]
        x = layerNorm(x.add(a), [D], w.g1, w.n1, 1e-5);
        const f = gelu(x.matmul(w.f1).add(w.b1)).matmul(w.f2).add(w.b2); // [B, T, D]
        x = layerNorm(x.add(f), [D], w.g2, w.n2, 1e-5);
      }
      return x.sum().itemSync();
    });
  work.push(["bert_forward", () => bench(bert, 1), gflops(2 * B * T * 12 * (4 * D * D + 2 * D * F) + 4 * B * 12 * T * T * D)]);
}
const s = randn([4]);
const t = randn([4]);
work.push(["tiny_add", () => bench(() => free(s.add(t)), 20000), (ms) => `${(ms * 1000).toFixed(2)} µs`]);

const rows: string[] = ["| work | threads | tsorch native | PyTorch | tsorch / PyTorch speed |", "| --- | --- | --- | --- | --- |"];
for (const threads of [1, 2]) {
  if (loadAddon().addon) setNumThreads(threads);
  const py = pytorchTimes(threads);
  if (typeof py === "string") console.log(`PyTorch (${threads} thread(s)) not measured: ${py}`);
  for (const [name, run, rate] of work) {
    const ms = run();
    const pms = typeof py === "string" ? undefined : py[name];
    const ratio = pms === undefined ? "–" : `${(pms / ms).toFixed(2)}×`;
    rows.push(`| ${name} | ${threads} | ${ms.toFixed(4)} ms (${rate(ms)}) | ${pms === undefined ? "–" : `${pms.toFixed(4)} ms (${rate(pms)})`} | ${ratio} |`);
  }
}
console.log(rows.join("\n"));
