// Tests of the progress bar callback: a redrawn bar with rate, ETA, loss and lr on a TTY; plain periodic lines otherwise.

import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manualSeed } from "@tsorch/tensor";
import { ProgressCallback, Trainer } from "@tsorch/trainer";
import { TinyClassifier, makeRows } from "./internal/tiny-classifier.js";

async function run(isTTY: boolean): Promise<string> {
  let text = "";
  let clock = 0;
  const stream = { isTTY, columns: 120, write: (s: string) => void (text += s) };
  const out = mkdtempSync(join(tmpdir(), "tsorch-progress-"));
  manualSeed(0);
  // A fake clock: each step takes 0.5 s, so the plain mode (every 2 s) prints every 4 steps.
  const progress = new ProgressCallback({ stream, plainEverySeconds: 2, now: () => (clock += 0.25) });
  await new Trainer({ model: new TinyClassifier(), args: { outputDir: out, maxSteps: 12, perDeviceTrainBatchSize: 4, loggingSteps: 3, saveStrategy: "no", disableTqdm: true }, trainDataset: makeRows(32), callbacks: [progress] }).train();
  rmSync(out, { recursive: true, force: true });
  return text;
}

describe("ProgressCallback", () => {
  it("draws a bar with rate, ETA, loss and learning rate on a TTY", async () => {
    const text = await run(true);
    const frames = text.split("\r").filter(Boolean);
    expect(frames.length).toBeGreaterThan(3);
    const last = frames[frames.length - 1];
    expect(last).toMatch(/100%\|█+\| 12\/12 \[\d+:\d\d<0:00, [\d.]+(it\/s|s\/it), loss=\d\.\d{4}, lr=[\d.]+e[+-]\d+\]/);
    expect(text).not.toMatch(/\nstep/);
  });

  it("prints plain periodic lines when not on a TTY", async () => {
    const lines = (await run(false)).trim().split("\n");
    expect(lines.every((l) => l.startsWith("step "))).toBe(true);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThan(12);
    expect(lines[lines.length - 1]).toMatch(/^step 12\/12 \[/);
  });
});
