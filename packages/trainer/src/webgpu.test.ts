// The Trainer on WebGPU (SwiftShader in CI): a small model trains, evaluates and checkpoints on the device, matching the CPU closely.

import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { manualSeed } from "@tsorch/tensor";
import { registerWebGPU, requestDevice } from "@tsorch/backend-webgpu";
import { Trainer, TrainerState } from "@tsorch/trainer";
import { TinyClassifier, makeRows } from "./internal/tiny-classifier.js";

// Dawn needs a Vulkan loader on the library path at process start: Chromium ships one with SwiftShader.
const VK = "/usr/lib/chromium";
const probe = await requestDevice();
const canRetry = !probe.device && existsSync(`${VK}/libvulkan.so.1`) && !process.env.TSORCH_WEBGPU_CHILD;
if (!probe.device && !canRetry) console.warn(`[trainer] WebGPU test skipped: ${probe.reason}`);

describe.skipIf(!canRetry)("Trainer on WebGPU (child process with Chromium's Vulkan loader)", () => {
  it("passes", () => {
    const cur = process.env.LD_LIBRARY_PATH ?? "";
    const env = { ...process.env, LD_LIBRARY_PATH: cur ? `${VK}:${cur}` : VK, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? `${VK}/vk_swiftshader_icd.json`, TSORCH_WEBGPU_CHILD: "1" };
    const vitest = fileURLToPath(new URL("../../../node_modules/vitest/vitest.mjs", import.meta.url));
    const r = spawnSync(process.execPath, [vitest, "run", fileURLToPath(import.meta.url)], { env, encoding: "utf8", timeout: 300_000 });
    const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    console.log(out.split("\n").filter((l) => /\[trainer\]|Tests |×|webgpu:/.test(l)).join("\n"));
    expect(r.status, out.slice(-4000)).toBe(0);
  }, 320_000);
});

describe.skipIf(!probe.device)("Trainer on WebGPU", () => {
  it("trains, evaluates and saves a checkpoint on the device; losses follow the CPU run", async () => {
    const b = await registerWebGPU({ device: probe.device! });
    expect(b).not.toBeNull();
    const run = async (device: string) => {
      const out = mkdtempSync(join(tmpdir(), "tsorch-trainer-gpu-"));
      manualSeed(0);
      const t = new Trainer({
        model: new TinyClassifier(4, 16, 3, 0),
        args: { outputDir: out, device, maxSteps: 8, perDeviceTrainBatchSize: 8, gradientAccumulationSteps: 2, learningRate: 0.02, loggingSteps: 1, evalStrategy: "steps", evalSteps: 4, saveSteps: 4, disableTqdm: true },
        trainDataset: makeRows(64, 1),
        evalDataset: makeRows(16, 2),
        computeMetrics: ({ predictions }) => ({ rows: predictions.shape[0] }),
      });
      await t.train();
      const st = t.state;
      expect(existsSync(join(out, "checkpoint-8", "model.safetensors"))).toBe(true);
      const saved = TrainerState.fromJsonString((await import("node:fs")).readFileSync(join(out, "checkpoint-8", "trainer_state.json"), "utf8"));
      expect(saved.globalStep).toBe(8);
      rmSync(out, { recursive: true, force: true });
      return st;
    };
    const gpu = await run("webgpu");
    const cpu = await run("cpu");
    const losses = (s: TrainerState) => s.logHistory.filter((e) => "loss" in e).map((e) => e.loss);
    const g = losses(gpu), c = losses(cpu);
    expect(g.length).toBe(8);
    for (let i = 0; i < g.length; i++) expect(Math.abs(g[i] - c[i])).toBeLessThan(1e-3);
    expect(gpu.logHistory.find((e) => "eval_rows" in e)?.eval_rows).toBe(16);
    console.log(`[trainer] webgpu: 8 steps, losses within 1e-3 of the CPU run (${g.map((x) => x.toFixed(4)).join(", ")})`);
  }, 300_000);
});
