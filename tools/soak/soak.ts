// `pnpm soak`: the long memory soaks of issue 17 — the addition job for 10,000 steps, the Trainer's loop, KV-cache generation, a WebGPU loop — sampled and judged flat; prints markdown tables.
// Usage: pnpm soak [--steps 10000] [--every 500] [--tokens 1000] [--webgpu-steps 500] [--only addition,trainer,generation,webgpu] [--json out/soak.json]

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { registerBackend } from "@tsorch/tensor";
import { createWebGPUBackend, requestDevice } from "@tsorch/backend-webgpu";
import { additionSoak, formatSamples, generationSoak, judgeFlat, trainerSoak, type Sample } from "./soak-lib.js";

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "10000" },
    every: { type: "string", default: "500" },
    tokens: { type: "string", default: "1000" },
    "webgpu-steps": { type: "string", default: "500" },
    json: { type: "string", default: "" },
    only: { type: "string", default: "addition,trainer,generation,webgpu" },
  },
});
const steps = Number(values.steps);
const every = Number(values.every);
const RSS_SLACK_MB = 64;
const results: Record<string, { samples: Sample[]; flat: boolean; why: string[]; rssGrowthMB: number; cpuSeconds: number }> = {};

async function run(name: string, f: () => Promise<Sample[]>, judge: (s: Sample[]) => ReturnType<typeof judgeFlat>): Promise<void> {
  const c0 = process.cpuUsage();
  const samples = await f();
  const c = process.cpuUsage(c0);
  const j = judge(samples);
  results[name] = { samples, flat: j.flat, why: j.why, rssGrowthMB: j.rssGrowthMB, cpuSeconds: (c.user + c.system) / 1e6 };
  console.log(`\n${formatSamples(`### ${name}`, samples)}\n\n${j.flat ? "FLAT" : "NOT FLAT"}: RSS growth after warm-up ${j.rssGrowthMB.toFixed(1)} MB, ${results[name].cpuSeconds.toFixed(0)} s CPU${j.why.length ? `\n${j.why.join("\n")}` : ""}`);
}

const only = new Set(values.only.split(","));
if (only.has("addition")) await run(`addition job, cpu, ${steps} steps`, async () => (await additionSoak(steps, every)).samples, (s) => judgeFlat(s, { rssSlackMB: RSS_SLACK_MB }));
if (only.has("trainer")) {
  const out = mkdtempSync(join(tmpdir(), "tsorch-soak-"));
  await run(`Trainer loop, ${steps} steps`, () => trainerSoak(steps, every, out), (s) => judgeFlat(s, { rssSlackMB: RSS_SLACK_MB }));
  rmSync(out, { recursive: true, force: true });
}
const tokens = Number(values.tokens);
if (only.has("generation")) await run(`KV-cache generation, ${tokens} tokens`, async () => (await generationSoak(tokens, Math.max(1, tokens / 10))).samples, (s) => judgeFlat(s, { rssSlackMB: RSS_SLACK_MB, linearBytes: true }));
const { device, reason } = only.has("webgpu") && Number(values["webgpu-steps"]) > 0 ? await requestDevice() : { device: null, reason: "--webgpu-steps 0" };
if (device) {
  registerBackend(await createWebGPUBackend({ device, name: "webgpu-soak" }));
  const n = Number(values["webgpu-steps"]);
  await run(`addition job, webgpu, ${n} steps of batch 8`, async () => (await additionSoak(n, Math.max(1, n / 10), "webgpu-soak", 8)).samples, (s) => judgeFlat(s, { rssSlackMB: RSS_SLACK_MB }));
} else console.log(`\nWebGPU soak skipped: ${reason}`);

if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(values.json, JSON.stringify(results, null, 2));
}
const bad = Object.entries(results).filter(([, r]) => !r.flat);
console.log(bad.length ? `\nNOT FLAT: ${bad.map(([n]) => n).join(", ")}` : "\nall soaks flat");
process.exitCode = bad.length ? 1 : 0;
