// Text classification end to end: SST-2 (English) or ChnSentiCorp hotel reviews (Chinese) — tokenizer, BERT, Trainer, accuracy / macro-F1, pipeline.
//
// Usage: pnpm example:text-classification [--dataset sst2|chnsenticorp] [--max-steps 1500] [--time-budget 780] [--model <folder or Hub id>] [--serve] [--ask "a sentence" …]
// After the run, at a terminal, each line typed is classified by the saved model (an empty line ends).
// From scratch: a WordPiece tokenizer is trained on the training sentences and a small BertForSequenceClassification is
// built from a config; with --model a pretrained checkpoint (and its tokenizer) is fine-tuned instead.
// The model kept is the best on a validation split (SST-2's dev file; for ChnSentiCorp 10 % of the training reviews),
// so the test split is scored once, at the end, and never used for choosing. --time-budget caps training's wall time.
import "tsorch";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AutoModelForSequenceClassification, AutoTokenizer, BertConfig, BertForSequenceClassification, pipeline, type PreTrainedModel, type PreTrainedTokenizer } from "@tsorch/transformers";
import { DataCollatorWithPadding, Dataset, Trainer, accuracy, f1Score, type EvalPrediction } from "@tsorch/trainer";
import { trainBertTokenizer } from "../lib/bert-tokenizer.js";
import { EXAMPLE_OPTIONS, numberOption } from "../lib/args.js";
import { withBatchHint } from "../lib/batch-hint.js";
import { answerEach, askAtTerminal } from "../lib/ask.js";
import { checkLabels, csvRecordLines, requireRows } from "../lib/data-file-error.js";
import { WallClockBudget } from "./wall-clock-budget.js";

const { values: args } = parseArgs({
  strict: true,
  options: {
    ...EXAMPLE_OPTIONS,
    dataset: { type: "string", default: "sst2" },
    "max-steps": { type: "string", default: "" },
    "time-budget": { type: "string", default: "780" },
    "eval-steps": { type: "string", default: "" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "1e-3" },
    "max-length": { type: "string", default: "" },
    dropout: { type: "string", default: "0.1" },
    hidden: { type: "string", default: "128" },
    layers: { type: "string", default: "2" },
    vocab: { type: "string", default: "" },
    model: { type: "string" },
    out: { type: "string", default: "out/text-classification" },
  },
});

const int = numberOption(args);
// Per-data-set defaults (an option given on the command line wins): Chinese reviews are long (median 84 characters)
// and each character is a token, so they get a longer window; SST-2's phrases are short.
const DEFAULTS: Record<string, Record<string, string>> = {
  sst2: { "max-steps": "1500", "max-length": "64", vocab: "8000", "eval-steps": "250" },
  chnsenticorp: { "max-steps": "1200", "max-length": "160", vocab: "6000", "eval-steps": "150" },
};
for (const [k, v] of Object.entries(DEFAULTS[args.dataset!] ?? DEFAULTS.sst2)) if ((args as Record<string, unknown>)[k] === "") (args as Record<string, unknown>)[k] = v;

interface Example {
  text: string;
  label: number;
}

/** The splits of a data set: SST-2's TSV files, or the Chinese CSV split 90/10 by a fixed seed (and 10 % of that train split for validation). */
function loadSplits(name: string, dir: string): { train: Example[]; validation: Example[]; test: Example[]; id2label: Record<number, string> } {
  if (name === "sst2") {
    const read = (f: string) =>
      readFileSync(join(dir, "sst2", f), "utf8")
        .split("\n")
        .map((l, i) => ({ l, line: i + 1 }))
        .slice(1)
        .filter(({ l }) => l.trim())
        .map(({ l, line }) => {
          const cut = l.lastIndexOf("\t");
          const label = Number(l.slice(cut + 1));
          if (cut < 0 || (label !== 0 && label !== 1)) throw new SyntaxError(`sst2/${f} line ${line}: expected "sentence<TAB>0|1", got ${JSON.stringify(l.slice(0, 60))}.`);
          return { text: l.slice(0, cut).trim(), label };
        });
    return { train: read("train.tsv"), validation: read("dev.tsv"), test: read("test.tsv"), id2label: { 0: "negative", 1: "positive" } };
  }
  if (name === "chnsenticorp") {
    const file = join(dir, "chnsenticorp-htl", "ChnSentiCorp_htl_all.csv");
    const csv = readFileSync(file, "utf8");
    const ds = Dataset.fromCsv(csv, { columnNames: ["label", "review"], inferTypes: true }, "ChnSentiCorp_htl_all.csv");
    checkLabels("ChnSentiCorp", ds.toList(), (r) => [String(r.label)], ["0", "1"], (i) => `${file} line ${csvRecordLines(csv)[i]}`);
    const rows = ds.toList().filter((r) => typeof r.review === "string" && (r.review as string).trim()).map((r) => ({ text: String(r.review), label: Number(r.label) }));
    const split = Dataset.fromList(rows as unknown as Record<string, unknown>[]).trainTestSplit({ testSize: 0.1, seed: 42 });
    const inner = split.train.trainTestSplit({ testSize: 0.1, seed: 43 });
    return { train: inner.train.toList() as unknown as Example[], validation: inner.test.toList() as unknown as Example[], test: split.test.toList() as unknown as Example[], id2label: { 0: "negative", 1: "positive" } };
  }
  throw new RangeError(`--dataset must be sst2 or chnsenticorp, got ${JSON.stringify(name)}.`);
}

const started = Date.now();
const { train: trainAll, validation: valAll, test: testAll, id2label } = loadSplits(args.dataset!, args["data-dir"]!);
const trainRows = int("train-limit") ? trainAll.slice(0, int("train-limit")) : trainAll;
const valRows = int("eval-limit") ? valAll.slice(0, int("eval-limit")) : valAll;
const testRows = int("eval-limit") ? testAll.slice(0, int("eval-limit")) : testAll;
requireRows("training", trainRows, join(args["data-dir"]!, args.dataset!));
requireRows("validation", valRows, join(args["data-dir"]!, args.dataset!));
requireRows("test", testRows, join(args["data-dir"]!, args.dataset!));

let tok: PreTrainedTokenizer;
let model: PreTrainedModel;
if (args.model) {
  tok = await AutoTokenizer.fromPretrained(args.model);
  model = await AutoModelForSequenceClassification.fromPretrained(args.model, { configOverrides: { id2label, label2id: { negative: 0, positive: 1 } } });
} else {
  tok = trainBertTokenizer(trainRows.map((r) => r.text), { vocabSize: int("vocab"), modelMaxLength: int("max-length") });
  const h = int("hidden");
  model = new BertForSequenceClassification(
    new BertConfig({ vocabSize: tok.length, hiddenSize: h, numHiddenLayers: int("layers"), numAttentionHeads: Math.max(1, h / 64), intermediateSize: 4 * h, maxPositionEmbeddings: int("max-length"), id2label, hiddenDropoutProb: int("dropout"), attentionProbsDropoutProb: int("dropout") }),
  );
}

const encode = (rows: Example[]) =>
  Dataset.fromList(rows as unknown as Record<string, unknown>[]).map(
    (batch: { text: string[]; label: number[] }) => {
      const enc = tok.call(batch.text, { truncation: true, maxLength: int("max-length") });
      return { input_ids: enc.inputIds, attention_mask: enc.attentionMask, label: batch.label };
    },
    { batched: true, removeColumns: ["text"] },
  );

const maxSteps = int("max-steps");
const evalSteps = Math.max(1, Math.min(maxSteps, int("eval-steps")));
const budget = new WallClockBudget({ seconds: int("time-budget"), maxSteps, warmupSteps: Math.ceil(0.06 * maxSteps) });
const trainer = new Trainer({
  model,
  args: {
    outputDir: args.out!,
    maxSteps,
    perDeviceTrainBatchSize: int("batch"),
    perDeviceEvalBatchSize: 64,
    learningRate: Number(args.lr),
    weightDecay: 0.01,
    evalStrategy: "steps",
    evalSteps,
    saveStrategy: "steps",
    saveSteps: evalSteps,
    saveTotalLimit: 1,
    loadBestModelAtEnd: true,
    metricForBestModel: "accuracy",
    loggingSteps: 50,
    seed: 42,
    reportTo: ["tensorboard", "jsonl", "html"],
    disableTqdm: args.quiet,
  },
  trainDataset: encode(trainRows),
  evalDataset: encode(valRows),
  callbacks: [budget],
  optimizers: budget.optimizers(model, { lr: Number(args.lr), weightDecay: 0.01 }),
  dataCollator: new DataCollatorWithPadding({ tokenizer: tok }) as never,
  computeMetrics: (p: EvalPrediction) => {
    const preds = Array.from(p.predictions.argmax(-1).to("int64").dataSync() as BigInt64Array, Number);
    const labels = Array.from(p.labelIds!.to("int64").dataSync() as BigInt64Array, Number);
    return { accuracy: accuracy(labels, preds), macro_f1: f1Score(labels, preds, { average: "macro" }) };
  },
});
if (args.serve) {
  const serve = (trainer as unknown as { serve?: (o: { port: number }) => Promise<unknown> }).serve;
  if (!serve) throw new Error("--serve: this Trainer build has no live view (trainer.serve).");
  await serve.call(trainer, { port: 6006 });
}
await withBatchHint(trainer.train(), { train: "--batch" });
// The best checkpoint on validation is loaded; the test split is scored once.
const metrics = await withBatchHint(trainer.evaluate({ evalDataset: encode(testRows), metricKeyPrefix: "test" }), { train: "--batch" });
await model.savePretrained(args.out!);
await tok.savePretrained(args.out!);

// The fine-tuned model reloads through a pipeline, as a user would call it.
const clf = await pipeline("text-classification", args.out!);
const samples = args.dataset === "sst2" ? ["a gorgeous, witty, seductive movie.", "the plot is a mess and the acting is worse."] : ["房间干净，服务很好，下次还会再来。", "设施陈旧，隔音很差，不推荐。"];
const classify = async (s: string) => JSON.stringify(await clf.run(s));
await answerEach([...samples, ...(args.ask ?? [])], classify);
console.log(JSON.stringify({ task: "text-classification", dataset: args.dataset, accuracy: metrics.test_accuracy, macro_f1: metrics.test_macro_f1, best_validation_accuracy: trainer.state.bestMetric, best_step: trainer.state.bestGlobalStep, steps: trainer.state.globalStep, train_rows: trainRows.length, validation_rows: valRows.length, test_rows: testRows.length, seconds: Math.round((Date.now() - started) / 1000) }));
await askAtTerminal(args.dataset === "sst2" ? "Type an English sentence to classify" : "Type a Chinese hotel review to classify", classify);
