// Benchmark: generation tokens/s with and without the key/value cache on a GPT-2-shaped model (the cached cost per token stays flat).
import "tsorch";
import { manualSeed, tensor } from "@tsorch/tensor";
import { GPT2Config, GPT2LMHeadModel } from "../src/index.js";

manualSeed(0);
const model = new GPT2LMHeadModel(new GPT2Config({ nEmbd: 256, nLayer: 4, nHead: 4, nPositions: 512 })).eval();
const prompt = tensor([[1, 2, 3, 4, 5, 6, 7, 8]], { dtype: "int64" });
// One short run first, so JIT warm-up is not charged to the first measured row.
await model.generate(prompt, { maxNewTokens: 4, eosTokenId: -1 });
// CPU time (process.cpuUsage: user + system of every thread) is the figure to compare on a shared machine; wall time is shown too.
for (const n of process.env.BENCH_QUICK === "1" ? [32] : [32, 256]) {
  for (const useCache of [true, false]) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await model.generate(prompt, { maxNewTokens: n, useCache, eosTokenId: -1 });
    const s = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    const label = `generate ${n} tokens, GPT-2-shaped (256 wide, 4 layers), cache ${useCache ? "on " : "off"}`.padEnd(62);
    console.log(`${label} ${((cpu * 1000) / n).toFixed(2)} ms CPU/token (${(n / cpu).toFixed(1)} tokens/CPU-s); wall ${((s * 1000) / n).toFixed(2)} ms/token`);
  }
}
