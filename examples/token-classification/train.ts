// Token classification end to end: NER on CoNLL-2003 (seqeval entity F1) or POS tagging on Universal Dependencies (UPOS accuracy), then pipeline("ner").
//
// Usage: pnpm example:token-classification [--task ner|pos] [--lang en|de|zh (pos)] [--max-steps 1500] [--model <folder or Hub id>]
// Labels are aligned to sub-word tokens through wordIds (first sub-token labelled, the rest -100), as HF's scripts do.
import "tsorch";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AutoModelForTokenClassification, AutoTokenizer, BertConfig, BertForTokenClassification, pipeline, type PreTrainedModel, type PreTrainedTokenizer } from "@tsorch/transformers";
import { DataCollatorForTokenClassification, Dataset, Trainer, accuracy, alignLabelsWithTokens, seqevalScores, type EvalPrediction } from "@tsorch/trainer";
import { trainBertTokenizer } from "../lib/bert-tokenizer.js";
import { DEFAULT_DATA_DIR, numberOption } from "../lib/args.js";
import { withBatchHint } from "../lib/batch-hint.js";
import { requireRows } from "../lib/data-file-error.js";

const { values: args } = parseArgs({
  strict: true,
  options: {
    task: { type: "string", default: "ner" },
    lang: { type: "string", default: "en" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "max-steps": { type: "string", default: "1500" },
    "train-limit": { type: "string", default: "0" },
    "eval-limit": { type: "string", default: "0" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "1e-3" },
    hidden: { type: "string", default: "128" },
    layers: { type: "string", default: "2" },
    vocab: { type: "string", default: "8000" },
    model: { type: "string" },
    out: { type: "string", default: "out/token-classification" },
    quiet: { type: "boolean", default: false },
  },
});
const num = numberOption(args);

interface Sentence {
  words: string[];
  tags: string[];
}

/** CoNLL-2003: `word POS chunk NER` per line, sentences separated by blank lines. */
function readConll(path: string): Sentence[] {
  const out: Sentence[] = [];
  let cur: Sentence = { words: [], tags: [] };
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (!line.trim()) {
        if (cur.words.length) out.push(cur);
        cur = { words: [], tags: [] };
        return;
      }
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) throw new SyntaxError(`${path} line ${i + 1}: expected "word POS chunk NER", got ${JSON.stringify(line)}.`);
      cur.words.push(cols[0]);
      cur.tags.push(cols[3]);
    });
  if (cur.words.length) out.push(cur);
  return out;
}

/** CoNLL-U: word lines `ID FORM LEMMA UPOS …`; comments, multi-word ranges and empty nodes skipped. */
function readConllu(path: string): Sentence[] {
  const out: Sentence[] = [];
  let cur: Sentence = { words: [], tags: [] };
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (!line.trim()) {
        if (cur.words.length) out.push(cur);
        cur = { words: [], tags: [] };
        return;
      }
      if (line.startsWith("#")) return;
      const cols = line.split("\t");
      if (cols.length !== 10) throw new SyntaxError(`${path} line ${i + 1}: a CoNLL-U word line has 10 tab-separated columns, this one has ${cols.length}.`);
      if (/[-.]/.test(cols[0])) return;
      cur.words.push(cols[1]);
      cur.tags.push(cols[3]);
    });
  if (cur.words.length) out.push(cur);
  return out;
}

const started = Date.now();
const dir = args["data-dir"]!;
let train: Sentence[];
let test: Sentence[];
if (args.task === "ner") {
  train = readConll(join(dir, "conll2003", "train.txt"));
  test = readConll(join(dir, "conll2003", "test.txt"));
} else if (args.task === "pos") {
  const code = { en: "en_ewt", de: "de_gsd", zh: "zh_gsd" }[args.lang as "en" | "de" | "zh"];
  if (!code) throw new RangeError(`--lang must be en, de or zh, got ${JSON.stringify(args.lang)}.`);
  // The folder has dev and test splits: train on dev, score on test.
  train = readConllu(join(dir, "ud", `${code}-ud-dev.conllu`));
  test = readConllu(join(dir, "ud", `${code}-ud-test.conllu`));
} else throw new RangeError(`--task must be ner or pos, got ${JSON.stringify(args.task)}.`);
if (num("train-limit")) train = train.slice(0, num("train-limit"));
if (num("eval-limit")) test = test.slice(0, num("eval-limit"));
requireRows("training", train, args.task === "ner" ? join(dir, "conll2003", "train.txt") : join(dir, "ud"));
requireRows("test", test, args.task === "ner" ? join(dir, "conll2003", "test.txt") : join(dir, "ud"));

const labels = [...new Set(train.flatMap((s) => s.tags))].sort((a, b) => (a === "O" ? -1 : b === "O" ? 1 : a.localeCompare(b)));
const label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
const id2label = Object.fromEntries(labels.map((l, i) => [i, l]));
for (const s of test) for (const t of s.tags) if (!(t in label2id)) throw new RangeError(`test label ${JSON.stringify(t)} never occurs in the training split; the label set is ${labels.join(", ")}.`);

let tok: PreTrainedTokenizer;
let model: PreTrainedModel;
if (args.model) {
  tok = await AutoTokenizer.fromPretrained(args.model);
  model = await AutoModelForTokenClassification.fromPretrained(args.model, { configOverrides: { id2label, label2id }, ignoreMismatchedSizes: true });
} else {
  tok = trainBertTokenizer(train.map((s) => s.words), { vocabSize: num("vocab"), lowercase: false, modelMaxLength: 128 });
  const h = num("hidden");
  model = new BertForTokenClassification(new BertConfig({ vocabSize: tok.length, hiddenSize: h, numHiddenLayers: num("layers"), numAttentionHeads: Math.max(1, h / 64), intermediateSize: 4 * h, maxPositionEmbeddings: 128, id2label, label2id }));
}

const encode = (rows: Sentence[]) =>
  Dataset.fromList(
    rows.map((s) => {
      const enc = tok.call([s.words], { isSplitIntoWords: true, truncation: true, maxLength: 128 });
      return { input_ids: enc.inputIds[0], attention_mask: enc.attentionMask[0], labels: alignLabelsWithTokens(s.tags.map((t) => label2id[t]), enc.wordIds(0)) };
    }),
  );

const computeMetrics = (p: EvalPrediction): Record<string, number> => {
  const [n, t] = p.labelIds!.shape;
  const pred = Array.from(p.predictions.argmax(-1).to("int64").dataSync() as BigInt64Array, Number);
  const gold = Array.from(p.labelIds!.to("int64").dataSync() as BigInt64Array, Number);
  const yTrue: string[][] = [];
  const yPred: string[][] = [];
  for (let i = 0; i < n; i++) {
    const a: string[] = [];
    const b: string[] = [];
    for (let j = 0; j < t; j++) if (gold[i * t + j] !== -100) (a.push(labels[gold[i * t + j]]), b.push(labels[pred[i * t + j]]));
    yTrue.push(a);
    yPred.push(b);
  }
  if (args.task === "pos") return { accuracy: accuracy(yTrue.flat(), yPred.flat()) };
  const s = seqevalScores(yTrue, yPred, { average: "micro" });
  return { precision: s.precision, recall: s.recall, f1: s.f1, accuracy: accuracy(yTrue.flat(), yPred.flat()) };
};

const trainer = new Trainer({
  model,
  args: {
    outputDir: args.out!,
    maxSteps: num("max-steps"),
    perDeviceTrainBatchSize: num("batch"),
    perDeviceEvalBatchSize: 64,
    learningRate: Number(args.lr),
    weightDecay: 0.01,
    warmupRatio: 0.06,
    evalStrategy: "steps",
    evalSteps: Math.max(1, Math.floor(num("max-steps") / 3)),
    saveStrategy: "no",
    loggingSteps: 50,
    seed: 42,
    reportTo: ["tensorboard", "jsonl", "html"],
    disableTqdm: args.quiet,
  },
  trainDataset: encode(train),
  evalDataset: encode(test),
  dataCollator: new DataCollatorForTokenClassification({ tokenizer: tok }) as never,
  computeMetrics,
});
await withBatchHint(trainer.train(), { train: "--batch" });
const metrics = await withBatchHint(trainer.evaluate(), { train: "--batch" });
await model.savePretrained(args.out!);
await tok.savePretrained(args.out!);

const ner = await pipeline("token-classification", args.out!);
const sample = args.task === "ner" ? "Angela Merkel met Emmanuel Macron in Paris on Tuesday ." : test[0].words.join(" ");
console.log(sample, "→", JSON.stringify(await ner.run(sample, { aggregationStrategy: args.task === "ner" ? "simple" : "none", ignoreLabels: args.task === "ner" ? ["O"] : [] })));
console.log(JSON.stringify({ task: args.task, lang: args.lang, ...Object.fromEntries(Object.entries(metrics).filter(([k]) => /f1|precision|recall|accuracy|loss/.test(k))), train_sentences: train.length, test_sentences: test.length, seconds: Math.round((Date.now() - started) / 1000) }));
