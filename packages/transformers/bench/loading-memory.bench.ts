// Peak memory of fromPretrained: a BERT-base-shaped checkpoint (~440 MB, built from a config and saved) loaded in a fresh process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BertConfig, BertForMaskedLM, loadConfig } from "../src/index.js";
import { openModelSource } from "../src/internal/hub.js";

const MB = 1024 * 1024;
const dir = process.env.TSORCH_LOAD_CHILD ?? mkdtempSync(join(tmpdir(), "tsorch-load-bench-"));
try {
  if (process.env.TSORCH_LOAD_CHILD) {
    // Child: peak RSS (maxRSS, KiB) after imports, after building the model from its config, and after reading the weights in.
    const peak = () => process.resourceUsage().maxRSS * 1024;
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const m = new BertForMaskedLM((await loadConfig(openModelSource(dir), BertConfig)) as BertConfig);
    const built = peak();
    const t1 = performance.now();
    await m.loadPretrainedWeights(openModelSource(dir), { warn: () => {} });
    const largest = Math.max(...Object.values(m.stateDict()).map((t) => t.numel() * 4));
    console.log(JSON.stringify({ before, built, peak: peak(), buildSecs: (t1 - t0) / 1000, loadSecs: (performance.now() - t1) / 1000, largest }));
  } else {
    const model = new BertForMaskedLM(new BertConfig());
    await model.savePretrained(dir);
    const size = statSync(join(dir, "model.safetensors")).size;
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, [...process.execArgv, self], { env: { ...process.env, TSORCH_LOAD_CHILD: dir }, encoding: "utf8", cwd: dirname(self) });
    if (r.status !== 0) throw new Error(`loading child failed: ${r.stderr}`);
    const { before, built, peak, buildSecs, loadSecs, largest } = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number>;
    const mb = (v: number) => `${(v / MB).toFixed(0)} MB`;
    console.log(`BERT-base MLM checkpoint: model.safetensors ${mb(size)}, largest tensor ${mb(largest)}`);
    console.log(`  building from config.json (HF's init):  ${buildSecs.toFixed(1)} s, peak RSS ${mb(built)} (${((built - before) / size).toFixed(2)}x the weights over the ${mb(before)} after imports)`);
    console.log(`  reading the weights in (lazy safetensors): ${loadSecs.toFixed(1)} s, peak RSS ${mb(peak)}: +${mb(peak - built)} over the built model (target: about the largest tensor, ${mb(largest)})`);
  }
} finally {
  if (!process.env.TSORCH_LOAD_CHILD) rmSync(dir, { recursive: true, force: true });
}
