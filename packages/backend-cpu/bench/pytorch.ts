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
    x = torch.randn(1 << 24); y = torch.randn(1 << 24)
    out["add16M"] = bench(lambda: x + y, 10)
    out["sum16M"] = bench(lambda: x.sum(), 10)
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
