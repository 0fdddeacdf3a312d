// The README's demo, shortened: examples/train-addition.ts trains its transformer for a few steps; the loss must fall well below its start.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFile } from "tsorch/node";

const repo = new URL("../../../", import.meta.url).pathname;
const script = join(repo, "examples/train-addition.ts");
const tsx = join(repo, "node_modules/.bin/tsx");
const skip = !existsSync(script) || !existsSync(tsx);
if (skip) console.warn(`addition demo: SKIPPED, ${existsSync(script) ? tsx : script} is missing (run from the repository checkout)`);

describe.skipIf(skip)("examples/train-addition.ts (shortened)", () => {
  it("learns: the loss falls well below its start, and the weights are saved as safetensors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsorch-demo-"));
    try {
      const out = join(dir, "gpt.safetensors");
      const r = spawnSync(tsx, ["--conditions=@tsorch/source", script, "--steps", "150", "--quiet", "--out", out], { encoding: "utf8", cwd: repo });
      expect(r.status, r.stderr).toBe(0);
      const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
      expect(line, r.stdout).toBeDefined();
      const res = JSON.parse(line!.slice(7)) as { firstLoss: number; lastLoss: number; accuracy: number; seconds: number };
      console.log(`addition demo, 150 steps: loss ${res.firstLoss.toFixed(3)} -> ${res.lastLoss.toFixed(3)} in ${res.seconds.toFixed(1)} s, held-out accuracy ${(res.accuracy * 100).toFixed(1)} %`);
      expect(res.lastLoss).toBeLessThan(0.7 * res.firstLoss);
      const weights = await loadFile(out);
      expect(Object.keys(weights)).toContain("h.0.attn.c_attn.weight");
      expect(weights["wte.weight"].shape).toEqual([12, 64]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
