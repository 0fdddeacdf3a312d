// Fast runs of the application examples (a slice of each data set, a few dozen steps): data → tokenizer → model → Trainer → metric → save → pipeline.
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { zeros, type Tensor } from "@tsorch/tensor";
import { Linear, Module } from "@tsorch/nn";
import { Trainer } from "@tsorch/trainer";
import { withBatchHint } from "../examples/lib/batch-hint.js";

const root = new URL("..", import.meta.url).pathname;
const datasets = process.env.TSORCH_DATASETS ?? join(root, "..", "shared", "datasets");
const stories = join(root, "..", "shared", "pretrained", "stories260k");
const haveData = existsSync(join(datasets, "sst2", "train.tsv"));
const haveXquad = existsSync(join(datasets, "xquad", "xquad.en.json"));
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
    const { json, out, dir } = run("text-classification/train.ts", ["--dataset", "sst2", "--data-dir", datasets, "--train-limit", "400", "--eval-limit", "64", "--max-steps", "12", "--batch", "16", "--hidden", "32", "--layers", "1", "--vocab", "600", "--quiet", "--ask", "a dull, lifeless film"]);
    try {
      expect(json.task).toBe("text-classification");
      expect(out).toMatch(/a dull, lifeless film {2}→ {2}\[\{"label":"(positive|negative)","score":/);
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

  it("German NER (WikiANN slice): the wikiann reader, seqeval scores and a German pipeline sentence", () => {
    const { json, out, dir } = run("token-classification/train.ts", ["--task", "ner", "--lang", "de", "--data-dir", datasets, "--train-limit", "300", "--eval-limit", "40", "--max-steps", "10", "--batch", "16", "--hidden", "32", "--layers", "1", "--vocab", "800", "--quiet", "--ask", "Goethe lebte in Weimar ."]);
    try {
      expect(json).toMatchObject({ task: "ner", lang: "de", dataset: "wikiann", train_sentences: 300 });
      expect(out).toMatch(/Goethe lebte in Weimar \. {2}→ {2}\[/);
      for (const k of ["test_precision", "test_recall", "test_f1"]) expect(typeof json[k], k).toBe("number");
      expect(out).toMatch(/Angela Merkel traf Emmanuel Macron am Dienstag in Paris \. {2}→ {2}\[/);
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

describe.skipIf(!haveXquad)("question answering example, fast path", () => {
  it("XQuAD slice from scratch: windows, SQuAD EM / F1, reports, a reloadable model; then the saved folder as --model", () => {
    const context = "The Panthers defense gave up just 308 points, ranking sixth in the league.";
    const { json, out, dir } = run("question-answering/train.ts", ["--from-scratch", "--data-dir", datasets, "--train-limit", "150", "--eval-limit", "40", "--max-steps", "16", "--batch", "8", "--max-length", "128", "--doc-stride", "32", "--hidden", "32", "--layers", "1", "--vocab", "800", "--question", "How many points did the Panthers defense give up?", "--context", context, "--quiet"]);
    try {
      expect(json.task).toBe("question-answering");
      for (const k of ["exact_match", "f1"]) {
        expect(typeof json[k], k).toBe("number");
        expect(json[k] as number, k).toBeGreaterThanOrEqual(0);
        expect(json[k] as number, k).toBeLessThanOrEqual(100);
      }
      expect(json.f1 as number).toBeGreaterThanOrEqual(json.exact_match as number);
      expect(json.test_questions).toBe(40);
      // Long contexts overflow into more than one window at 128 tokens.
      expect(json.train_windows as number).toBeGreaterThan(json.train_questions as number);
      // The pipeline's answer is a span of the given context.
      const m = /A: (".*") \(score [^,]+, characters (\d+)–(\d+)\)/.exec(out);
      expect(m, out).not.toBeNull();
      expect(context.slice(Number(m![2]), Number(m![3]))).toBe(JSON.parse(m![1]));
      const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as { architectures: string[] };
      expect(config.architectures).toEqual(["BertForQuestionAnswering"]);
      expect(existsSync(join(dir, "model.safetensors")) && existsSync(join(dir, "tokenizer.json"))).toBe(true);
      expect(readFileSync(join(dir, "report.html"), "utf8")).toContain("eval_f1");
      const runs = readdirSync(join(dir, "runs"));
      const files = readdirSync(join(dir, "runs", runs[0]));
      expect(files.some((f) => f.startsWith("events.out.tfevents"))).toBe(true);
      expect(readFileSync(join(dir, "runs", runs[0], "logs.jsonl"), "utf8")).toMatch(/"eval_exact_match":.*"eval_f1":/);
      // A folder that already holds a QA model is evaluated as it is (no training steps), as a Hub checkpoint would be.
      const again = run("question-answering/train.ts", ["--model", dir, "--data-dir", datasets, "--eval-limit", "12", "--max-length", "128", "--doc-stride", "32", "--quiet"]);
      rmSync(again.dir, { recursive: true, force: true });
      expect(again.json.train_steps).toBe(0);
      expect(again.json.model).toBe(dir);
      expect(typeof again.json.f1).toBe("number");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs an example that must fail and returns what it printed (stderr and stdout). */
function fails(script: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@tsorch/source", join(root, "examples", script), ...args, "--out", join(tmpdir(), "tsorch-example-never")], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, "tsconfig.json"), ...env },
    timeout: 300_000,
  });
  expect(r.status, `${script} ${args.join(" ")} should fail:\n${r.stdout}`).not.toBe(0);
  return `${r.stderr}\n${r.stdout}`;
}

/** A data folder with the given files (relative path → content), shaped as ../shared/datasets. */
function dataDir(files: Record<string, string | Buffer>): string {
  const d = mkdtempSync(join(tmpdir(), "tsorch-bad-data-"));
  for (const [f, body] of Object.entries(files)) {
    mkdirSync(join(d, f, ".."), { recursive: true });
    writeFileSync(join(d, f), body);
  }
  return d;
}

const squad = (articles: { context: string; qas: { id: string; question: string; text: string; start: number }[] }[]) =>
  JSON.stringify(
    { version: "1.1", data: articles.map((a, i) => ({ title: `t${i}`, paragraphs: [{ context: a.context, qas: a.qas.map((q) => ({ id: q.id, question: q.question, answers: [{ text: q.text, answer_start: q.start }] })) }] })) },
    null,
    2,
  );
const goodArticle = (i: number) => ({ context: `Article ${i} says the answer is blue.`, qas: [{ id: `q${i}`, question: "What is the answer?", text: "blue", start: 28 + String(i).length }] });

describe("bad input: every example says which file, which line, what was expected", () => {
  const dirs: string[] = [join(tmpdir(), "tsorch-example-never")];
  const data = (files: Record<string, string | Buffer>) => {
    const d = dataDir(files);
    dirs.push(d);
    return d;
  };
  const tiny = ["--max-steps", "1", "--hidden", "32", "--layers", "1", "--quiet"];

  it("text classification: a line without its label, an empty split, a label outside {0, 1}, a --model that is neither folder nor Hub id", () => {
    let d = data({ "sst2/train.tsv": "sentence\tlabel\ngood film\t1\n\nno label here\n", "sst2/dev.tsv": "sentence\tlabel\nfine\t1\n", "sst2/test.tsv": "sentence\tlabel\nfine\t1\n" });
    expect(fails("text-classification/train.ts", ["--data-dir", d, ...tiny])).toMatch(/sst2\/train\.tsv line 4: expected "sentence<TAB>0\|1", got "no label here"/);
    d = data({ "sst2/train.tsv": "sentence\tlabel\ngood film\t1\n", "sst2/dev.tsv": "sentence\tlabel\nfine\t1\n", "sst2/test.tsv": "sentence\tlabel\n" });
    expect(fails("text-classification/train.ts", ["--data-dir", d, ...tiny])).toMatch(/the test split is empty \(from .*sst2\)/);
    d = data({ "chnsenticorp-htl/ChnSentiCorp_htl_all.csv": '1,"房间干净,\n服务好"\n2,一般\n' });
    expect(fails("text-classification/train.ts", ["--dataset", "chnsenticorp", "--data-dir", d, ...tiny])).toMatch(/label "2" \(.*ChnSentiCorp_htl_all\.csv line 3\) is not in the label set \{0, 1\}/);
    d = data({ "sst2/train.tsv": "sentence\tlabel\ngood film\t1\n", "sst2/dev.tsv": "sentence\tlabel\nfine\t1\n", "sst2/test.tsv": "sentence\tlabel\nfine\t1\n" });
    expect(fails("text-classification/train.ts", ["--data-dir", d, "--model", "./no/such/checkpoint", ...tiny])).toMatch(/no\/such\/checkpoint does not exist\. Pass a folder with config\.json, or a Hub repository id/);
  });

  it("token classification: a CoNLL line with too few columns, a test label the training split lacks, an empty test split", () => {
    const ok = "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n";
    let d = data({ "conll2003/train.txt": `${ok}German JJ\n`, "conll2003/valid.txt": ok, "conll2003/test.txt": ok });
    expect(fails("token-classification/train.ts", ["--data-dir", d, ...tiny])).toMatch(/conll2003\/train\.txt line 4: expected "word POS chunk NER", got "German JJ"/);
    d = data({ "conll2003/train.txt": ok, "conll2003/valid.txt": ok, "conll2003/test.txt": "Paris NNP B-NP B-XYZ\n" });
    expect(fails("token-classification/train.ts", ["--data-dir", d, ...tiny])).toMatch(/test label "B-XYZ" never occurs in the training split; the label set is O, B-ORG/);
    d = data({ "conll2003/train.txt": ok, "conll2003/valid.txt": ok, "conll2003/test.txt": "\n" });
    expect(fails("token-classification/train.ts", ["--data-dir", d, ...tiny])).toMatch(/the test split is empty \(from .*conll2003\/test\.txt\)/);
    expect(fails("token-classification/train.ts", ["--data-dir", d, "--lang", "de", "--dataset", "conll2003", ...tiny])).toMatch(/CoNLL-2003 is English; for --lang "de" use --dataset wikiann/);
  });

  it("token classification: a WikiANN line without its language prefix or tag", () => {
    const ok = "de:Berlin\tB-LOC\nde:liegt\tO\n\n";
    const d = data({ "wikiann/de/train": `${ok}de:Paris\tB-LOC\nParis B-LOC\n`, "wikiann/de/dev": ok, "wikiann/de/test": ok });
    expect(fails("token-classification/train.ts", ["--lang", "de", "--data-dir", d, ...tiny])).toMatch(/wikiann\/de\/train line 5: expected "lang:token<TAB>tag" \(e\.g\. "de:Berlin<TAB>B-LOC"\), got "Paris B-LOC"/);
  });

  it("translation: a file that is not gzip, German and English files of different lengths", () => {
    const gz = (lines: string[]) => gzipSync(`${lines.join("\n")}\n`);
    let d = data({ "multi30k/train.de.gz": "Ein Hund.\n", "multi30k/train.en.gz": gz(["A dog."]) });
    expect(fails("translation/train.ts", ["--data-dir", d, ...tiny])).toMatch(/multi30k\/train\.de\.gz: is not gzip data .*expected a gzipped text file with one sentence per line/);
    d = data({ "multi30k/train.de.gz": gz(["Ein Hund.", "Eine Katze."]), "multi30k/train.en.gz": gz(["A dog."]) });
    expect(fails("translation/train.ts", ["--data-dir", d, ...tiny])).toMatch(/multi30k\/train: 2 German lines but 1 English lines/);
  });

  it("question answering: invalid JSON, an answer not at its answer_start, an empty test split, a missing folder, no network for the default model", () => {
    const five = [0, 1, 2, 3, 4].map(goodArticle);
    let d = data({ "xquad/xquad.en.json": squad(five).replace('"version": "1.1",', '"version": "1.1",,') });
    expect(fails("question-answering/train.ts", ["--data-dir", d, "--from-scratch", ...tiny])).toMatch(/xquad\/xquad\.en\.json line 2: is not valid JSON .*expected a SQuAD v1\.1 JSON file/);
    const bad = [...five];
    bad[2] = { ...bad[2], qas: [{ id: "q-off", question: "What?", text: "green", start: 3 }] };
    d = data({ "xquad/xquad.en.json": squad(bad) });
    expect(fails("question-answering/train.ts", ["--data-dir", d, "--from-scratch", ...tiny])).toMatch(
      /xquad\/xquad\.en\.json line \d+: data\[2\]\.paragraphs\[0\]\.qas\[0\]\.answers\[0\] \(id q-off\) says "green" starts at character 3, but the context has "icle " there; expected answer_start to index/,
    );
    d = data({ "xquad/xquad.en.json": squad(five.slice(0, 4)) });
    expect(fails("question-answering/train.ts", ["--data-dir", d, "--from-scratch", ...tiny])).toMatch(/the test split is empty \(from .*xquad\.en\.json\)/);
    d = data({ "xquad/xquad.en.json": squad(five) });
    expect(fails("question-answering/train.ts", ["--data-dir", d, "--model", "./no/such/checkpoint", ...tiny])).toMatch(/no\/such\/checkpoint does not exist/);
    const home = mkdtempSync(join(tmpdir(), "tsorch-hf-home-"));
    dirs.push(home);
    const offline = fails("question-answering/train.ts", ["--data-dir", d, ...tiny], { HF_ENDPOINT: "http://127.0.0.1:9", HF_HOME: home, HF_HUB_CACHE: join(home, "hub") });
    expect(offline).toMatch(/--model "distilbert-base-cased-distilled-squad" could not be downloaded from the Hugging Face Hub .*run with --from-scratch to train a small model offline/);
  });

  it("too little memory for the batch: the Trainer's error restated with the script's option and half the batch", async () => {
    // A model whose step needs 2^31 float32 per row: a batch of 4 (2^33 elements) cannot be created, so the first
    // step fails with a real allocation error, at once and without touching memory.
    class Greedy extends Module {
      readonly fc = this.registerModule("fc", new Linear(2, 2));
      forward(batch: Record<string, Tensor>) {
        zeros([batch.x.shape[0], 2 ** 31]);
        return { loss: this.fc.forward(batch.x).sum() };
      }
    }
    const out = mkdtempSync(join(tmpdir(), "tsorch-oom-"));
    dirs.push(out);
    const trainer = new Trainer({ model: new Greedy(), args: { outputDir: out, maxSteps: 1, perDeviceTrainBatchSize: 4, disableTqdm: true, saveStrategy: "no", reportTo: [] }, trainDataset: Array.from({ length: 8 }, () => ({ x: [1, 2] })) });
    await expect(withBatchHint(trainer.train(), { train: "--batch" })).rejects.toThrow(/out of memory in training step 1 with a batch of 4 rows.*cannot allocate.*Run again with a smaller batch, e.g\. --batch 2\./s);
  });

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
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
