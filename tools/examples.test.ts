// Fast runs of the application examples (a slice of each data set, a few dozen steps): data → tokenizer → model → Trainer → metric → save → pipeline.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const datasets = process.env.TSORCH_DATASETS ?? join(root, "..", "shared", "datasets");
const stories = join(root, "..", "shared", "pretrained", "stories260k");
const haveData = existsSync(join(datasets, "sst2", "train.tsv"));
if (!haveData) console.warn(`examples: SKIPPED the data-set runs, no ${datasets}/sst2 (the shared data sets are beside the repository)`);

/** Runs an example with tsx and returns its last line parsed as JSON (every example ends with one JSON line). */
function run(script: string, args: string[]): { json: Record<string, unknown>; out: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "tsorch-example-"));
  const out = execFileSync(process.execPath, ["--import", "tsx", "--conditions=@tsorch/source", join(root, "examples", script), ...args, "--out", dir], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json") },
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = out.trim().split("\n").pop()!;
  return { json: JSON.parse(last) as Record<string, unknown>, out, dir };
}

describe.skipIf(!haveData)("application examples, fast path", () => {
  it("text classification (SST-2 slice): accuracy and macro-F1, a reloadable model, TensorBoard and report files", () => {
    const { json, out, dir } = run("text-classification/train.ts", ["--dataset", "sst2", "--data-dir", datasets, "--train-limit", "400", "--eval-limit", "64", "--max-steps", "12", "--batch", "16", "--hidden", "32", "--layers", "1", "--vocab", "600", "--quiet"]);
    try {
      expect(json.task).toBe("text-classification");
      expect(json.accuracy as number).toBeGreaterThanOrEqual(0);
      expect(json.accuracy as number).toBeLessThanOrEqual(1);
      expect(typeof json.macro_f1).toBe("number");
      expect(out).toMatch(/→\s+\[\{"label":"(positive|negative)","score":/);
      expect(existsSync(join(dir, "config.json")) && existsSync(join(dir, "model.safetensors")) && existsSync(join(dir, "tokenizer.json"))).toBe(true);
      expect(readdirSync(dir).some((f) => f === "runs" || f.endsWith(".html") || f.endsWith(".jsonl"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("NER (CoNLL-2003 slice): seqeval precision / recall / F1 and entities with offsets", () => {
    const { json, dir } = run("token-classification/train.ts", ["--task", "ner", "--data-dir", datasets, "--train-limit", "300", "--eval-limit", "40", "--max-steps", "10", "--batch", "16", "--hidden", "32", "--layers", "1", "--vocab", "800", "--quiet"]);
    try {
      expect(json.task).toBe("ner");
      for (const k of ["test_precision", "test_recall", "test_f1"]) expect(typeof json[k], k).toBe("number");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("translation (Multi30k slice): BLEU and chrF with beam search, pipeline output", () => {
    const { json, out, dir } = run("translation/train.ts", ["--data-dir", datasets, "--train-limit", "300", "--eval-limit", "16", "--max-steps", "8", "--batch", "16", "--hidden", "32", "--layers", "1", "--vocab", "800", "--beams", "2", "--quiet"]);
    try {
      expect(json.task).toBe("translation");
      expect(json.bleu as number).toBeGreaterThanOrEqual(0);
      expect(json.chrf as number).toBeGreaterThanOrEqual(0);
      expect(out).toMatch(/"translation_text":/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("POS tagging (UD English slice): UPOS accuracy", () => {
    const { json, dir } = run("token-classification/train.ts", ["--task", "pos", "--lang", "en", "--data-dir", datasets, "--train-limit", "200", "--eval-limit", "30", "--max-steps", "8", "--batch", "16", "--hidden", "32", "--layers", "1", "--vocab", "600", "--quiet"]);
    try {
      expect(json.test_accuracy as number).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!existsSync(join(stories, "model.safetensors")))("text generation example (stories260k)", () => {
  it("streams the reference greedy story", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "--conditions=@tsorch/source", join(root, "examples", "text-generation", "stories.ts"), "--prompt", "Once upon a time", "--max-new-tokens", "20"], { cwd: root, encoding: "utf8", timeout: 300_000 });
    expect(out.startsWith("Once upon a time, there was a little girl named Lily")).toBe(true);
    const json = JSON.parse(out.trim().split("\n").pop()!) as { new_tokens: number };
    expect(json.new_tokens).toBe(20);
  });
});
