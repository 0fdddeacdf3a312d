// Runs a timing snippet in PyTorch (Debian's python3-torch) for benchmarks that print our time beside PyTorch's.

import { spawnSync } from "node:child_process";

let available: boolean | undefined;

/** True when `/usr/bin/python3 -c "import torch"` works here. */
export function torchAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync("/usr/bin/python3", ["-c", "import torch"], { encoding: "utf8" });
    available = r.status === 0;
  }
  return available;
}

/**
 * Times `body` (Python, using a prepared `setup`) in PyTorch on one thread and returns seconds per run (median of `repeats`),
 * or null when torch is not installed.
 */
export function torchTime(setup: string, body: string, opts: { iters?: number; repeats?: number; threads?: number } = {}): number | null {
  if (!torchAvailable()) return null;
  const iters = opts.iters ?? 10;
  const repeats = opts.repeats ?? 5;
  const script = [
    "import time, torch",
    `torch.set_num_threads(${opts.threads ?? 1})`,
    "torch.manual_seed(0)",
    setup,
    `def run():\n    for _ in range(${iters}):\n${body.split("\n").map((l) => "        " + l).join("\n")}`,
    "run()",
    "ts = []",
    `for _ in range(${repeats}):\n    t0 = time.perf_counter(); run(); ts.append((time.perf_counter() - t0) / ${iters})`,
    "ts.sort(); print(ts[len(ts) // 2])",
  ].join("\n");
  const r = spawnSync("/usr/bin/python3", ["-c", script], {
    encoding: "utf8",
    env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE", OMP_NUM_THREADS: String(opts.threads ?? 1) },
  });
  if (r.status !== 0) {
    console.warn(`torch reference failed: ${r.stderr.split("\n").slice(-3).join(" ")}`);
    return null;
  }
  return Number(r.stdout.trim());
}

/** Median seconds per call of `fn` after a warm-up, over `repeats` batches of `iters` calls. */
export async function timeIt(fn: () => unknown | Promise<unknown>, opts: { iters?: number; repeats?: number; warmup?: number } = {}): Promise<number> {
  const iters = opts.iters ?? 10;
  const repeats = opts.repeats ?? 5;
  for (let i = 0; i < (opts.warmup ?? iters); i++) await fn();
  const ts: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) await fn();
    ts.push((performance.now() - t0) / 1000 / iters);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

/** One line of a benchmark table: our figure, PyTorch's, and the ratio (ours / theirs for rates, theirs / ours for times). */
export function row(name: string, ours: number, theirs: number | null, unit: string, higherIsBetter: boolean): string {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const ratio = theirs === null ? "" : `  ratio ${(higherIsBetter ? ours / theirs : theirs / ours).toFixed(2)}x of PyTorch`;
  return `${name.padEnd(44)} ${f(ours).padStart(9)} ${unit.padEnd(8)} ${theirs === null ? "(PyTorch not installed)" : `PyTorch ${f(theirs)} ${unit}`}${ratio}`;
}
