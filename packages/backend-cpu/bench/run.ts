// Benchmark of @tsorch/backend-cpu beside PyTorch in the same run (one thread and two): matmul, batched attention,
// elementwise and sum over 16M floats, a tiny op. `pnpm bench` in this package; TSORCH_BENCH_QUICK=1 for a short run.

import "@tsorch/tensor";
import { matmul, randn, softmax, type Tensor } from "@tsorch/tensor";
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
const x = randn([1 << 24]);
const y = randn([1 << 24]);
work.push(["add16M", () => bench(() => free(x.add(y)), 10), gbs(12 * (1 << 24))]);
work.push(["sum16M", () => bench(() => free(x.sum()), 10), gbs(4 * (1 << 24))]);
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
