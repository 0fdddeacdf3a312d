// Benchmark: forward + backward of a 2-layer MLP (batch 64, 512 hidden), ours beside PyTorch's (one thread) when installed.

import { execFileSync } from "node:child_process";
import { crossEntropy, linear, manualSeed, randint, randn, scope, tensor } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import "@tsorch/autograd";

const B = 64;
const IN = 512;
const H = 512;
const OUT = 10;
const WARMUP = 5;
const ITERS = 30;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ours(): number {
  manualSeed(0);
  const w1 = randn([H, IN]).mul(0.05).requiresGrad_();
  const b1 = randn([H]).mul(0.05).requiresGrad_();
  const w2 = randn([OUT, H]).mul(0.05).requiresGrad_();
  const b2 = randn([OUT]).mul(0.05).requiresGrad_();
  const params: Tensor[] = [w1, b1, w2, b2];
  const x = randn([B, IN]);
  const y = randint(0, OUT, [B]);
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITERS; i++) {
    for (const p of params) {
      p.grad?.dispose();
      p.grad = null;
    }
    const t0 = performance.now();
    scope(() => {
      const loss = crossEntropy(linear(linear(x, w1, b1).relu(), w2, b2), y);
      loss.backward();
    });
    const dt = performance.now() - t0;
    if (i >= WARMUP) times.push(dt);
  }
  return median(times);
}

/** Graph overhead: a chain of 2000 tiny ops on 4 elements, forward and backward. */
function oursTiny(): number {
  const x = tensor([1, 2, 3, 4], { dtype: "float32", requiresGrad: true });
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ITERS; i++) {
    x.grad?.dispose();
    x.grad = null;
    const t0 = performance.now();
    scope(() => {
      let y = x;
      for (let k = 0; k < 1000; k++) y = y.mul(1.0001).add(0.001);
      y.sum().backward();
    });
    if (i >= WARMUP) times.push(performance.now() - t0);
  }
  return median(times);
}

const TORCH_TINY = `
import time, torch
torch.set_num_threads(1)
x = torch.tensor([1., 2., 3., 4.], requires_grad=True)
ts = []
for i in range(${WARMUP + ITERS}):
    x.grad = None
    t0 = time.perf_counter()
    y = x
    for k in range(1000): y = y.mul(1.0001).add(0.001)
    y.sum().backward()
    if i >= ${WARMUP}: ts.append((time.perf_counter() - t0) * 1000)
ts.sort()
print(ts[len(ts) // 2])
`;

const TORCH = `
import os, time, torch
torch.set_num_threads(1)
torch.manual_seed(0)
B, IN, H, OUT = ${B}, ${IN}, ${H}, ${OUT}
w1 = (torch.randn(H, IN) * 0.05).requires_grad_(); b1 = (torch.randn(H) * 0.05).requires_grad_()
w2 = (torch.randn(OUT, H) * 0.05).requires_grad_(); b2 = (torch.randn(OUT) * 0.05).requires_grad_()
x = torch.randn(B, IN); y = torch.randint(0, OUT, (B,))
F = torch.nn.functional
ts = []
for i in range(${WARMUP + ITERS}):
    for p in (w1, b1, w2, b2): p.grad = None
    t0 = time.perf_counter()
    loss = F.cross_entropy(F.linear(F.relu(F.linear(x, w1, b1)), w2, b2), y)
    loss.backward()
    dt = (time.perf_counter() - t0) * 1000
    if i >= ${WARMUP}: ts.append(dt)
ts.sort()
print(ts[len(ts) // 2])
`;

function torchTime(script: string): number | null {
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" });
  } catch {
    return null;
  }
  const out = execFileSync("/usr/bin/python3", ["-c", script], { env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE", OMP_NUM_THREADS: "1" } });
  return Number(out.toString().trim());
}

function report(name: string, t: number, pt: number | null): void {
  if (pt === null) console.log(`${name}: tsorch ${t.toFixed(3)} ms (PyTorch not installed: /usr/bin/python3 -c "import torch" failed)`);
  else console.log(`${name}: tsorch ${t.toFixed(3)} ms, PyTorch ${pt.toFixed(3)} ms (1 thread), ratio ${(t / pt).toFixed(2)}x`);
}

report(`mlp fwd+bwd [${B}x${IN}] -> ${H} relu -> ${OUT}, cross-entropy`, ours(), torchTime(TORCH));
report("2000 tiny ops (4 elements) fwd+bwd", oursTiny(), torchTime(TORCH_TINY));
