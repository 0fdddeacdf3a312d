// Tests of the HTML report and the live board in headless Chromium: the page loads offline, curves appear and grow.

import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { manualSeed } from "@tsorch/tensor";
import { Trainer, type TrainerCallback } from "@tsorch/trainer";
import { TinyClassifier, makeRows } from "./internal/tiny-classifier.js";

const CHROMIUM = process.env.TSORCH_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`[trainer] board browser tests skipped: no Chromium at ${CHROMIUM} (install chromium or set TSORCH_CHROMIUM)`);
const DOCS = fileURLToPath(new URL("../../../docs/", import.meta.url));

const accuracy = ({ predictions, labelIds }: { predictions: import("@tsorch/tensor").Tensor; labelIds: import("@tsorch/tensor").Tensor | null }) => {
  const p = predictions.argmax(-1).dataSync() as BigInt64Array, l = labelIds!.dataSync() as BigInt64Array;
  return { accuracy: p.filter((x, i) => x === l[i]).length / p.length };
};
const makeTrainer = (out: string, runName: string, maxSteps: number, lr: number, callbacks: TrainerCallback[] = []) => {
  manualSeed(0);
  return new Trainer({
    model: new TinyClassifier(),
    args: { outputDir: out, runName, maxSteps, perDeviceTrainBatchSize: 8, learningRate: lr, loggingSteps: 2, evalStrategy: "steps", evalSteps: 10, saveStrategy: "no", reportTo: ["jsonl"], disableTqdm: true },
    trainDataset: makeRows(128, 1),
    evalDataset: makeRows(32, 2),
    computeMetrics: accuracy,
    callbacks,
  });
};

describe.skipIf(!haveChromium)("HTML report and live board in headless Chromium", () => {
  let browser: Browser | null = null;
  const out = mkdtempSync(join(tmpdir(), "tsorch-board-"));
  afterAll(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it("writes a self-contained report.html whose charts draw offline (loss, lr, grad norm, every eval metric)", async () => {
    await makeTrainer(out, "baseline", 40, 0.01).train();
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    const page = await browser.newPage();
    const external: string[] = [];
    page.on("request", (r) => void (r.url().startsWith("file:") || external.push(r.url())));
    await page.goto(`file://${join(out, "report.html")}`);
    const metrics = await page.$$eval(".chart", (els) => els.map((e) => (e as HTMLElement).dataset.metric));
    for (const m of ["loss", "learning_rate", "grad_norm", "eval_loss", "eval_accuracy"]) expect(metrics).toContain(m);
    expect(external).toEqual([]);
  });

  it("trainer.serve() shows the runs side by side and the curves grow while training runs", async () => {
    let slow = 0;
    const pace: TrainerCallback = { onStepEnd: () => { const t = Date.now(); while (Date.now() - t < 15) slow++; } };
    const trainer = makeTrainer(out, "live", 160, 0.03, [pace]);
    const board = await trainer.serve({ port: 0 });
    try {
      const page = await browser!.newPage({ viewport: { width: 1000, height: 640 } });
      await page.goto(board.url);
      const training = trainer.train();
      const pointsOf = () => page.$eval('.chart[data-metric="loss"]', (e) => Number((e as HTMLElement).dataset.points)).catch(() => 0);
      await page.waitForSelector('.chart[data-metric="loss"]', { timeout: 20000 });
      const first = await pointsOf();
      await page.waitForFunction((n) => Number(document.querySelector('.chart[data-metric="loss"]')?.getAttribute("data-points")) > n + 5, first, { timeout: 30000 });
      const later = await pointsOf();
      expect(later).toBeGreaterThan(first);
      await training;
      await page.waitForFunction(() => Number(document.querySelector('.chart[data-metric="loss"]')?.getAttribute("data-points")) >= 80, undefined, { timeout: 10000 });
      const series = await page.$eval(".u-legend", (e) => e.textContent ?? "");
      expect(series).toContain("baseline");
      expect(series).toContain("live");
      // The README's screenshot is refreshed only on request, so test runs leave the tracked file alone.
      const shot = process.env.TSORCH_UPDATE_SCREENSHOTS ? join(DOCS, "trainer-board.png") : join(out, "trainer-board.png");
      const png = await page.screenshot({ path: shot });
      expect(png.subarray(1, 4).toString()).toBe("PNG");
      console.log(`board: loss curve grew from ${first} to ${later} points during training; screenshot ${shot}`);
    } finally {
      await board.close();
    }
  }, 90000);
});
