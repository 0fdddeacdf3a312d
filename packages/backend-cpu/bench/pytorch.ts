// The PyTorch side of the benchmark: the same workloads timed by /usr/bin/python3 with torch, one JSON line back.

import { spawnSync } from "node:child_process";

const SCRIPT = String.raw`
import json, sys, time, torch
threads = int(sys.argv[1])
torch.set_num_threads(threads)
torch.manual_seed(0)
def bench(fn, reps):
    fn()
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(reps): fn()
        best = min(best, (time.perf_counter() - t) / reps)
    return best * 1e3
out = {}
with torch.no_grad():
    for n, reps in ((64, 2000), (256, 100), (1024, 4)):
        a = torch.randn(n, n); b = torch.randn(n, n)
        out["matmul%d" % n] = bench(lambda: torch.matmul(a, b), reps)
    q = torch.randn(8, 12, 128, 64); k = torch.randn(8, 12, 128, 64); v = torch.randn(8, 12, 128, 64)
    out["bmm_qk"] = bench(lambda: torch.matmul(q, k.transpose(-1, -2)), 50)
    out["attention"] = bench(lambda: torch.matmul(torch.softmax(torch.matmul(q, k.transpose(-1, -2)) * 0.125, -1), v), 20)
    out["sdpa_fused"] = out["attention"]
    x = torch.randn(1 << 24); y = torch.randn(1 << 24)
    out["add16M"] = bench(lambda: x + y, 10)
    out["sum16M"] = bench(lambda: x.sum(), 10)
    # BERT-base-shaped encoder forward: 12 layers, hidden 768, 12 heads, FFN 3072, batch 8 x 128 (random weights).
    B, T, D, H, F = 8, 128, 768, 12, 3072
    layers = [dict(qkv=torch.randn(D, 3 * D) * 0.02, bqkv=torch.zeros(3 * D), o=torch.randn(D, D) * 0.02, bo=torch.zeros(D),
                   f1=torch.randn(D, F) * 0.02, b1=torch.zeros(F), f2=torch.randn(F, D) * 0.02, b2=torch.zeros(D),
                   g1=torch.ones(D), n1=torch.zeros(D), g2=torch.ones(D), n2=torch.zeros(D)) for _ in range(12)]
    hx = torch.randn(B, T, D)
    def bert():
        x = hx
        for w in layers:
            qkv = x @ w["qkv"] + w["bqkv"]
            q, k, v = qkv.view(B, T, 3, H, D // H).permute(2, 0, 3, 1, 4)
            a = torch.softmax(q @ k.transpose(-1, -2) * (D // H) ** -0.5, -1) @ v
            a = a.transpose(1, 2).reshape(B, T, D) @ w["o"] + w["bo"]
            x = torch.nn.functional.layer_norm(x + a, (D,), w["g1"], w["n1"])
            f = torch.nn.functional.gelu(x @ w["f1"] + w["b1"]) @ w["f2"] + w["b2"]
            x = torch.nn.functional.layer_norm(x + f, (D,), w["g2"], w["n2"])
        return x
    out["bert_forward"] = bench(bert, 1)
    s = torch.randn(4); t = torch.randn(4)
    out["tiny_add"] = bench(lambda: s + t, 20000)
print(json.dumps(out))
`;

/** Milliseconds per workload in PyTorch at `threads` threads, or the reason it could not run. */
export function pytorchTimes(threads: number): Record<string, number> | string {
  const r = spawnSync("/usr/bin/python3", ["-c", SCRIPT, String(threads)], { encoding: "utf8", timeout: 600_000 });
  if (r.error) return `python3 not runnable: ${r.error.message}`;
  if (r.status !== 0) return `python3 failed: ${(r.stderr || "").trim().split("\n").slice(-1)[0]}`;
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Record<string, number>;
  } catch {
    return "python3 printed no JSON";
  }
}
