// Benchmarks of the reference CPU backend beside PyTorch on the same machine: matmul GFLOP/s, bandwidth, per-op overhead.

import { randn, silu, tensor } from "@tsorch/tensor";
import { row, timeIt, torchTime } from "../../../tools/torch-reference.js";

async function matmulBench(label: string, a: number[], b: number[], flops: number, iters: number): Promise<void> {
  const x = randn(a);
  const y = randn(b);
  const t = await timeIt(() => x.matmul(y).dispose(), { iters, repeats: 3 });
  const tt = torchTime(`a = torch.randn(${a.join(", ")}); b = torch.randn(${b.join(", ")})`, "torch.matmul(a, b)", { iters, repeats: 3 });
  console.log(row(`matmul ${label}`, flops / t / 1e9, tt === null ? null : flops / tt / 1e9, "GFLOP/s", true));
  x.dispose();
  y.dispose();
}

/** Per-op overhead: a tiny primitive, one with a cast (its temporaries are freed), a tiny composite. */
async function perOpBench(): Promise<void> {
  const s = tensor([1, 2, 3, 4], { dtype: "float32" });
  const i = tensor([1, 2, 3, 4], { dtype: "int32" });
  const tTiny = await timeIt(() => s.add(s).dispose(), { iters: 20000, repeats: 5 });
  const ttTiny = torchTime("s = torch.tensor([1., 2., 3., 4.])", "s + s", { iters: 20000, repeats: 5 });
  console.log(row("tiny op (add of 4 floats) overhead", tTiny * 1e6, ttTiny === null ? null : ttTiny * 1e6, "us", false));
  const tCast = await timeIt(() => s.add(i).dispose(), { iters: 20000, repeats: 5 });
  const ttCast = torchTime("s = torch.tensor([1., 2., 3., 4.]); i = torch.tensor([1, 2, 3, 4], dtype=torch.int32)", "s + i", { iters: 20000, repeats: 5 });
  console.log(row("tiny op with a cast (float32 + int32)", tCast * 1e6, ttCast === null ? null : ttCast * 1e6, "us", false));
  // silu has no fused kernel: it runs as a composite with one temporary (freed by `using`).
  const tSilu = await timeIt(() => silu(s).dispose(), { iters: 10000, repeats: 5 });
  const ttSilu = torchTime("s = torch.tensor([1., 2., 3., 4.])", "torch.nn.functional.silu(s)", { iters: 10000, repeats: 5 });
  console.log(row("tiny composite (silu of 4 floats)", tSilu * 1e6, ttSilu === null ? null : ttSilu * 1e6, "us", false));
  s.dispose();
  i.dispose();
}

async function main(): Promise<void> {
  console.log("@tsorch/tensor CPU backend (pure TypeScript, one thread) vs PyTorch 1 thread\n");
  // `pnpm bench -- --per-op`: only the per-op overhead rows (quick, for changes on the per-op path).
  if (process.argv.includes("--per-op")) return perOpBench();
  for (const n of [128, 512, 1024]) await matmulBench(`${n}x${n}x${n}`, [n, n], [n, n], 2 * n ** 3, n >= 1024 ? 2 : n >= 512 ? 4 : 50);
  await matmulBench("batched 16x128x64 @ 16x64x128", [16, 128, 64], [16, 64, 128], 2 * 16 * 128 * 64 * 128, 20);

  const n = 16 * 1024 * 1024;
  const a = randn([n]);
  const b = randn([n]);
  const tAdd = await timeIt(() => a.add(b).dispose(), { iters: 5, repeats: 3 });
  const ttAdd = torchTime(`a = torch.randn(${n}); b = torch.randn(${n})`, "a + b", { iters: 3, repeats: 3 });
  // add moves 3 floats per element (2 reads, 1 write).
  console.log(row("add 16M float32 (bandwidth)", (12 * n) / tAdd / 1e9, ttAdd === null ? null : (12 * n) / ttAdd / 1e9, "GB/s", true));
  const tSum = await timeIt(() => a.sum().dispose(), { iters: 5, repeats: 3 });
  const ttSum = torchTime(`a = torch.randn(${n})`, "a.sum()", { iters: 3, repeats: 3 });
  console.log(row("sum 16M float32 (bandwidth)", (4 * n) / tSum / 1e9, ttSum === null ? null : (4 * n) / ttSum / 1e9, "GB/s", true));
  a.dispose();
  b.dispose();

  await perOpBench();
}

await main();
