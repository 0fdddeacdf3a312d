// Benchmark of an AdamW step over 10M float32 parameters beside PyTorch's (torch.optim.AdamW, foreach=False, 1 thread).

import { randn } from "@tsorch/tensor";
import { AdamW, setFusedOptimizersEnabled } from "@tsorch/optim";
import { row, timeIt, torchTime } from "../../../tools/torch-reference.js";

async function main(): Promise<void> {
  console.log("@tsorch/optim: one AdamW step over 10M parameters (10 tensors of 1M), one thread\n");
  const params = Array.from({ length: 10 }, () => randn([1_000_000]).requiresGrad_());
  for (const p of params) p.grad = randn([1_000_000]);
  const opt = new AdamW(params, { lr: 1e-3, weightDecay: 0.01 });
  const fused = await timeIt(() => opt.step(), { iters: 3, repeats: 5 });
  setFusedOptimizersEnabled(false);
  const ops = await timeIt(() => opt.step(), { iters: 2, repeats: 3 });
  setFusedOptimizersEnabled(true);
  const torch = torchTime(
    "ps = [torch.randn(1_000_000, requires_grad=True) for _ in range(10)]\nfor p in ps: p.grad = torch.randn(1_000_000)\nopt = torch.optim.AdamW(ps, lr=1e-3, weight_decay=0.01)",
    "opt.step()",
    { iters: 3, repeats: 5 },
  );
  console.log(row("AdamW step, 10M params (fused CPU kernel)", fused * 1000, torch === null ? null : torch * 1000, "ms", false));
  console.log(row("AdamW step, 10M params (tensor ops)", ops * 1000, torch === null ? null : torch * 1000, "ms", false));
}

await main();
