// Token classification end to end: NER on CoNLL-2003 (seqeval entity F1) or POS tagging on Universal Dependencies (UPOS accuracy), then pipeline("ner").
//
// Usage: pnpm example:token-classification [--task ner|pos] [--lang en|de|zh (pos)] [--max-steps N] [--time-budget 780] [--model <folder or Hub id>]
// Labels are aligned to sub-word tokens through wordIds (first sub-token labelled, the rest -100), as HF's scripts do;
// POS labels the last sub-token instead (--label-token last), where English suffixes show the part of speech.
// The model kept is the best on a validation split (CoNLL-2003's valid file; for UD 10 % of the dev sentences), so the
// test split is scored once, at the end. English POS also trains on CoNLL-2003's PTB POS column mapped to UPOS
// (--extra-pos conll2003, cross-corpus transfer from newswire; the UD folder holds no training split).
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
import { WallClockBudget } from "../text-classification/wall-clock-budget.js";
import { ptbToUpos } from "./ptb-to-upos.js";
import { groupByLength, unbatch } from "../translation/length-grouped-batches.js";

const { values: args } = parseArgs({
  strict: true,
  options: {
    task: { type: "string", default: "ner" },
    lang: { type: "string", default: "en" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "max-steps": { type: "string", default: "" },
    "time-budget": { type: "string", default: "780" },
    "eval-steps": { type: "string", default: "" },
    "extra-pos": { type: "string", default: "" },
    "in-domain-repeat": { type: "string", default: "" },
    "label-token": { type: "string", default: "" },
    "group-by-length": { type: "string", default: "" },
    dropout: { type: "string", default: "" },
    heads: { type: "string", default: "" },
    "train-limit": { type: "string", default: "0" },
    "eval-limit": { type: "string", default: "0" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "" },
    hidden: { type: "string", default: "" },
    layers: { type: "string", default: "" },
    vocab: { type: "string", default: "" },
    model: { type: "string" },
    out: { type: "string", default: "out/token-classification" },
    quiet: { type: "boolean", default: false },
  },
});
const num = numberOption(args);
// Per-task defaults (an option given on the command line wins), chosen on the validation splits.
const DEFAULTS: Record<string, Record<string, string>> = {
  ner: { "group-by-length": "0", "max-steps": "2000", "eval-steps": "500", lr: "1e-3", hidden: "256", layers: "2", heads: "4", vocab: "16000", dropout: "0.2", "extra-pos": "none", "in-domain-repeat": "1", "label-token": "first" },
  pos: { "group-by-length": "1", "max-steps": "4000", "eval-steps": "500", lr: "1e-3", hidden: "256", layers: "2", heads: "4", vocab: "16000", dropout: "0.1", "extra-pos": args.lang === "en" ? "conll2003" : "none", "in-domain-repeat": "5", "label-token": "last" },
};
for (const [k, v] of Object.entries(DEFAULTS[args.task!] ?? DEFAULTS.ner)) if ((args as Record<string, unknown>)[k] === "") (args as Record<string, unknown>)[k] = v;

interface Sentence {
  words: string[];
  tags: string[];
}

/**
 * Sentences of a column file: blank lines separate sentences, and `parse` turns one non-blank line (numbered from 1)
 * into its word and tag, or null for a line that holds no word (a comment, a document marker).
 */
function readSentences(path: string, parse: (line: string, lineNo: number) => [word: string, tag: string] | null): Sentence[] {
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
      const wordTag = parse(line, i + 1);
      if (!wordTag) return;
      cur.words.push(wordTag[0]);
      cur.tags.push(wordTag[1]);
    });
  if (cur.words.length) out.push(cur);
  return out;
}

/** CoNLL-2003: `word POS chunk NER` per line, sentences separated by blank lines; `column` 3 reads NER tags, 1 the PTB POS tags. */
function readConll(path: string, column = 3): Sentence[] {
  return readSentences(path, (line, lineNo) => {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4) throw new SyntaxError(`${path} line ${lineNo}: expected "word POS chunk NER", got ${JSON.stringify(line)}.`);
    return cols[0] === "-DOCSTART-" ? null : [cols[0], cols[column]];
  });
}

/** CoNLL-U: word lines `ID FORM LEMMA UPOS …`; comments, multi-word ranges and empty nodes skipped. */
function readConllu(path: string): Sentence[] {
  return readSentences(path, (line, lineNo) => {
    if (line.startsWith("#")) return null;
    const cols = line.split("\t");
    if (cols.length !== 10) throw new SyntaxError(`${path} line ${lineNo}: a CoNLL-U word line has 10 tab-separated columns, this one has ${cols.length}.`);
    return /[-.]/.test(cols[0]) ? null : [cols[1], cols[3]];
  });
}

const started = Date.now();
const dir = args["data-dir"]!;
let train: Sentence[];
let validation: Sentence[];
let test: Sentence[];
let extra: Sentence[] = [];
if (args.task === "ner") {
  train = readConll(join(dir, "conll2003", "train.txt"));
  validation = readConll(join(dir, "conll2003", "valid.txt"));
  test = readConll(join(dir, "conll2003", "test.txt"));
} else if (args.task === "pos") {
  const code = { en: "en_ewt", de: "de_gsd", zh: "zh_gsd" }[args.lang as "en" | "de" | "zh"];
  if (!code) throw new RangeError(`--lang must be en, de or zh, got ${JSON.stringify(args.lang)}.`);
  // The folder has dev and test splits: train on 90 % of dev, choose on the other 10 % (every tenth sentence), score on test.
  const dev = readConllu(join(dir, "ud", `${code}-ud-dev.conllu`));
  train = dev.filter((_, i) => i % 10 !== 9);
  validation = dev.filter((_, i) => i % 10 === 9);
  test = readConllu(join(dir, "ud", `${code}-ud-test.conllu`));
  if (args["extra-pos"] === "conll2003") {
    // Cross-corpus transfer: CoNLL-2003's newswire sentences with their PTB POS tags mapped to UPOS.
    extra = readConll(join(dir, "conll2003", "train.txt"), 1).flatMap((s) => {
      const upos = ptbToUpos(s.words, s.tags);
      return upos ? [{ words: s.words, tags: upos }] : [];
    });
  } else if (args["extra-pos"] !== "none") throw new RangeError(`--extra-pos must be conll2003 or none, got ${JSON.stringify(args["extra-pos"])}.`);
} else throw new RangeError(`--task must be ner or pos, got ${JSON.stringify(args.task)}.`);
if (num("train-limit")) (train = train.slice(0, num("train-limit"))), (extra = extra.slice(0, num("train-limit")));
if (num("eval-limit")) (test = test.slice(0, num("eval-limit"))), (validation = validation.slice(0, num("eval-limit")));
// The in-domain sentences are repeated (--in-domain-repeat) so the extra corpus does not drown them.
const trainAll = [...Array.from({ length: Math.max(1, num("in-domain-repeat")) }, () => train).flat(), ...extra];
requireRows("training", trainAll, args.task === "ner" ? join(dir, "conll2003", "train.txt") : join(dir, "ud"));
requireRows("validation", validation, args.task === "ner" ? join(dir, "conll2003", "valid.txt") : join(dir, "ud"));
requireRows("test", test, args.task === "ner" ? join(dir, "conll2003", "test.txt") : join(dir, "ud"));

if (!["first", "last"].includes(args["label-token"]!)) throw new RangeError(`--label-token must be first or last, got ${JSON.stringify(args["label-token"])}.`);
const labels = [...new Set(trainAll.flatMap((s) => s.tags))].sort((a, b) => (a === "O" ? -1 : b === "O" ? 1 : a.localeCompare(b)));
const label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
const id2label = Object.fromEntries(labels.map((l, i) => [i, l]));
for (const s of [...validation, ...test]) for (const t of s.tags) if (!(t in label2id)) throw new RangeError(`test label ${JSON.stringify(t)} never occurs in the training split; the label set is ${labels.join(", ")}.`);

let tok: PreTrainedTokenizer;
let model: PreTrainedModel;
if (args.model) {
  tok = await AutoTokenizer.fromPretrained(args.model);
  model = await AutoModelForTokenClassification.fromPretrained(args.model, { configOverrides: { id2label, label2id }, ignoreMismatchedSizes: true });
} else {
  tok = trainBertTokenizer([...train, ...extra].map((s) => s.words), { vocabSize: num("vocab"), lowercase: false, modelMaxLength: 128 });
  const h = num("hidden");
  const p = num("dropout");
  model = new BertForTokenClassification(
    new BertConfig({ vocabSize: tok.length, hiddenSize: h, numHiddenLayers: num("layers"), numAttentionHeads: num("heads"), intermediateSize: 4 * h, maxPositionEmbeddings: 128, hiddenDropoutProb: p, attentionProbsDropoutProb: p, id2label, label2id }),
  );
}

const encodeRows = (rows: Sentence[]) =>
  rows.map((s) => {
    const enc = tok.call([s.words], { isSplitIntoWords: true, truncation: true, maxLength: 128 });
    const wordIds = enc.wordIds(0);
    const first = alignLabelsWithTokens(s.tags.map((t) => label2id[t]), wordIds);
    // --label-token last: a word's label sits on its last sub-token (English suffixes -ly, -ed, -ing carry the part of speech).
    const labels = args["label-token"] === "last" ? wordIds.map((w, i) => (w === null || w === undefined || wordIds[i + 1] === w ? -100 : label2id[s.tags[w]])) : first;
    return { input_ids: enc.inputIds[0], attention_mask: enc.attentionMask[0], labels };
  });
const encode = (rows: Sentence[]) => Dataset.fromList(encodeRows(rows));

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

const maxSteps = num("max-steps");
const grouped = num("group-by-length") > 0;
const evalSteps = Math.max(1, Math.min(maxSteps, num("eval-steps")));
const budget = new WallClockBudget({ seconds: num("time-budget"), maxSteps, warmupSteps: Math.ceil(0.06 * maxSteps) });
const trainer = new Trainer({
  model,
  args: {
    outputDir: args.out!,
    maxSteps,
    // With --group-by-length 1 each training row is a batch of sentences of similar length (less padding, twice the
    // steps per second; see length-grouped-batches.ts); NER did better on validation with batches drawn at random.
    perDeviceTrainBatchSize: grouped ? 1 : num("batch"),
    perDeviceEvalBatchSize: 64,
    learningRate: Number(args.lr),
    weightDecay: 0.01,
    evalStrategy: "steps",
    evalSteps,
    saveStrategy: "steps",
    saveSteps: evalSteps,
    saveTotalLimit: 1,
    loadBestModelAtEnd: true,
    metricForBestModel: args.task === "pos" ? "accuracy" : "f1",
    loggingSteps: 50,
    seed: 42,
    reportTo: ["tensorboard", "jsonl", "html"],
    disableTqdm: args.quiet,
  },
  trainDataset: grouped ? Dataset.fromList(groupByLength(encodeRows(trainAll), num("batch"), (r) => r.input_ids.length)) : encode(trainAll),
  evalDataset: encode(validation),
  callbacks: [budget],
  optimizers: budget.optimizers(model, { lr: Number(args.lr), weightDecay: 0.01 }),
  dataCollator: unbatch(new DataCollatorForTokenClassification({ tokenizer: tok }) as never, "input_ids"),
  computeMetrics,
});
await withBatchHint(trainer.train(), { train: "--batch" });
// The best checkpoint on validation is loaded; the test split is scored once.
const metrics = await withBatchHint(trainer.evaluate({ evalDataset: encode(test), metricKeyPrefix: "test" }), { train: "--batch" });
await model.savePretrained(args.out!);
await tok.savePretrained(args.out!);

const ner = await pipeline("token-classification", args.out!);
const sample = args.task === "ner" ? "Angela Merkel met Emmanuel Macron in Paris on Tuesday ." : test[0].words.join(" ");
console.log(sample, "→", JSON.stringify(await ner.run(sample, { aggregationStrategy: args.task === "ner" ? "simple" : "none", ignoreLabels: args.task === "ner" ? ["O"] : [] })));
console.log(JSON.stringify({ task: args.task, lang: args.lang, ...Object.fromEntries(Object.entries(metrics).filter(([k]) => /f1|precision|recall|accuracy|loss/.test(k))), best_validation: trainer.state.bestMetric, best_step: trainer.state.bestGlobalStep, steps: trainer.state.globalStep, train_sentences: train.length, extra_sentences: extra.length, validation_sentences: validation.length, test_sentences: test.length, seconds: Math.round((Date.now() - started) / 1000) }));
