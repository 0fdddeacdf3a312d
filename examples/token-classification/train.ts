// Token classification end to end: NER on CoNLL-2003 or WikiANN (seqeval entity F1) or POS tagging on Universal Dependencies (UPOS accuracy), then pipeline("ner").
//
// Usage: pnpm example:token-classification [--task ner|pos] [--lang en|de (ner), en|de|zh (pos)] [--dataset conll2003|wikiann (ner)]
//        [--max-steps N] [--time-budget 780] [--model <folder or Hub id>] [--serve] [--ask "a sentence" …]
// After the run, at a terminal, each line typed is tagged by the saved model (an empty line ends).
// NER reads CoNLL-2003 for English and WikiANN for German (--dataset wikiann also gives WikiANN's English).
// Labels are aligned to sub-word tokens through wordIds (first sub-token labelled, the rest -100), as HF's scripts do;
// POS labels the last sub-token instead (--label-token last), where English suffixes show the part of speech.
// The model kept is the best on a validation split (CoNLL-2003's valid file; for UD 10 % of the dev sentences), so the
// test split is scored once, at the end. English POS also trains on CoNLL-2003's PTB POS column mapped to UPOS
// (--extra-pos conll2003, cross-corpus transfer from newswire; the UD folder holds no training split).
// NER learns entity types per word (--label-scheme io, io-tags.ts); both tasks hide a tenth of the training pieces
// behind [UNK] (--token-dropout, token-dropout.ts) so words are tagged from their context too.
import "tsorch";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AutoModelForTokenClassification, AutoTokenizer, BertConfig, BertForTokenClassification, pipeline, type PreTrainedModel, type PreTrainedTokenizer } from "@tsorch/transformers";
import { DataCollatorForTokenClassification, Dataset, Trainer, accuracy, alignLabelsWithTokens, seqevalScores, type EvalPrediction } from "@tsorch/trainer";
import { trainBertTokenizer } from "../lib/bert-tokenizer.js";
import { EXAMPLE_OPTIONS, numberOption } from "../lib/args.js";
import { withBatchHint } from "../lib/batch-hint.js";
import { answerEach, askAtTerminal } from "../lib/ask.js";
import { requireRows } from "../lib/data-file-error.js";
import { WallClockBudget } from "../text-classification/wall-clock-budget.js";
import { ioToIob2, toIoTag } from "./io-tags.js";
import { withTokenDropout } from "./token-dropout.js";
import { ptbToUpos } from "./ptb-to-upos.js";
import { groupByLength, unbatch } from "../translation/length-grouped-batches.js";

const { values: args } = parseArgs({
  strict: true,
  options: {
    ...EXAMPLE_OPTIONS,
    task: { type: "string", default: "ner" },
    lang: { type: "string", default: "en" },
    dataset: { type: "string", default: "" },
    "max-steps": { type: "string", default: "" },
    "time-budget": { type: "string", default: "780" },
    "eval-steps": { type: "string", default: "" },
    "extra-pos": { type: "string", default: "" },
    "in-domain-repeat": { type: "string", default: "" },
    "label-token": { type: "string", default: "" },
    "label-scheme": { type: "string", default: "" },
    "token-dropout": { type: "string", default: "" },
    "group-by-length": { type: "string", default: "" },
    dropout: { type: "string", default: "" },
    heads: { type: "string", default: "" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "" },
    hidden: { type: "string", default: "" },
    layers: { type: "string", default: "" },
    vocab: { type: "string", default: "" },
    model: { type: "string" },
    out: { type: "string", default: "out/token-classification" },
  },
});
const num = numberOption(args);
// Per-task defaults (an option given on the command line wins), chosen on the validation splits.
const DEFAULTS: Record<string, Record<string, string>> = {
  ner: { "group-by-length": "0", "max-steps": "3000", "eval-steps": "500", lr: "1e-3", hidden: "256", layers: "2", heads: "4", vocab: "16000", dropout: "0.2", "extra-pos": "none", "in-domain-repeat": "1", "label-token": "first", "label-scheme": "io", "token-dropout": "0.1" },
  pos: { "group-by-length": "1", "max-steps": "6000", "eval-steps": "500", lr: "1e-3", hidden: "256", layers: "2", heads: "4", vocab: "4000", dropout: "0.1", "extra-pos": args.lang === "en" ? "conll2003" : "none", "in-domain-repeat": "5", "label-token": "last", "label-scheme": "tags", "token-dropout": "0.1" },
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

/** WikiANN: `lang:token<TAB>tag` per line (the language prefix is dropped), sentences separated by blank lines. */
function readWikiann(path: string): Sentence[] {
  return readSentences(path, (line, lineNo) => {
    const cols = line.split("\t");
    const token = /^[a-z]{2,3}:(.+)$/.exec(cols[0])?.[1];
    if (cols.length !== 2 || token === undefined || !cols[1].trim()) throw new SyntaxError(`${path} line ${lineNo}: expected "lang:token<TAB>tag" (e.g. "de:Berlin<TAB>B-LOC"), got ${JSON.stringify(line)}.`);
    return [token, cols[1].trim()];
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
// Each split's file, for the errors that name it.
let files: { train: string; validation: string; test: string };
const dataset = args.dataset || (args.task === "pos" ? "ud" : args.lang === "de" ? "wikiann" : "conll2003");
if (args.task === "ner") {
  // German has no CoNLL-2003 here: WikiANN (train / dev / test) is its NER set.
  if (dataset === "conll2003") {
    if (args.lang !== "en") throw new RangeError(`CoNLL-2003 is English; for --lang ${JSON.stringify(args.lang)} use --dataset wikiann.`);
    files = { train: join(dir, "conll2003", "train.txt"), validation: join(dir, "conll2003", "valid.txt"), test: join(dir, "conll2003", "test.txt") };
    train = readConll(files.train);
    validation = readConll(files.validation);
    test = readConll(files.test);
  } else if (dataset === "wikiann") {
    if (!["en", "de"].includes(args.lang!)) throw new RangeError(`--lang must be en or de for WikiANN, got ${JSON.stringify(args.lang)}.`);
    files = { train: join(dir, "wikiann", args.lang!, "train"), validation: join(dir, "wikiann", args.lang!, "dev"), test: join(dir, "wikiann", args.lang!, "test") };
    train = readWikiann(files.train);
    validation = readWikiann(files.validation);
    test = readWikiann(files.test);
  } else throw new RangeError(`--dataset must be conll2003 or wikiann, got ${JSON.stringify(dataset)}.`);
} else if (args.task === "pos") {
  if (dataset !== "ud") throw new RangeError(`POS tagging reads Universal Dependencies (--dataset ud), got --dataset ${JSON.stringify(dataset)}.`);
  const code = { en: "en_ewt", de: "de_gsd", zh: "zh_gsd" }[args.lang as "en" | "de" | "zh"];
  if (!code) throw new RangeError(`--lang must be en, de or zh, got ${JSON.stringify(args.lang)}.`);
  files = { train: join(dir, "ud", `${code}-ud-dev.conllu`), validation: join(dir, "ud", `${code}-ud-dev.conllu`), test: join(dir, "ud", `${code}-ud-test.conllu`) };
  // The folder has dev and test splits: train on 90 % of dev, choose on the other 10 % (every tenth sentence), score on test.
  const dev = readConllu(files.train);
  train = dev.filter((_, i) => i % 10 !== 9);
  validation = dev.filter((_, i) => i % 10 === 9);
  test = readConllu(files.test);
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
requireRows("training", trainAll, files.train);
requireRows("validation", validation, files.validation);
requireRows("test", test, files.test);

if (!["first", "last"].includes(args["label-token"]!)) throw new RangeError(`--label-token must be first or last, got ${JSON.stringify(args["label-token"])}.`);
// --label-scheme io: the model learns entity types (PER, not B-PER / I-PER; see io-tags.ts) and its predictions are
// turned back into IOB2 for scoring against the data's own tags; "tags" learns the data's tags as they are.
const scheme = args["label-scheme"]!;
if (!["io", "tags"].includes(scheme)) throw new RangeError(`--label-scheme must be io or tags, got ${JSON.stringify(scheme)}.`);
const io = scheme === "io" && args.task === "ner";
const modelTag = io ? toIoTag : (t: string) => t;
const sortLabels = (set: Set<string>) => [...set].sort((a, b) => (a === "O" ? -1 : b === "O" ? 1 : a.localeCompare(b)));
const dataLabels = sortLabels(new Set(trainAll.flatMap((s) => s.tags)));
const labels = sortLabels(new Set(dataLabels.map(modelTag)));
const label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
const id2label = Object.fromEntries(labels.map((l, i) => [i, l]));
for (const s of [...validation, ...test]) for (const t of s.tags) if (!dataLabels.includes(t)) throw new RangeError(`test label ${JSON.stringify(t)} never occurs in the training split; the label set is ${dataLabels.join(", ")}.`);

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
    const ids = s.tags.map((t) => label2id[modelTag(t)]);
    const first = alignLabelsWithTokens(ids, wordIds);
    // --label-token last: a word's label sits on its last sub-token (English suffixes -ly, -ed, -ing carry the part of speech).
    const labels = args["label-token"] === "last" ? wordIds.map((w, i) => (w === null || w === undefined || wordIds[i + 1] === w ? -100 : ids[w])) : first;
    return { input_ids: enc.inputIds[0], attention_mask: enc.attentionMask[0], labels };
  });
const encode = (rows: Sentence[]) => Dataset.fromList(encodeRows(rows));

// The sentences being evaluated, in order: with IO labels their own IOB2 tags are the gold standard (the labels the
// model saw cannot tell two adjacent entities of one type from one).
let evaluating = validation;
const computeMetrics = (p: EvalPrediction): Record<string, number> => {
  const [n, t] = p.labelIds!.shape;
  if (io && n !== evaluating.length) throw new Error(`computeMetrics: ${n} predicted rows for ${evaluating.length} sentences; evaluate one split at a time, in order.`);
  const pred = Array.from(p.predictions.argmax(-1).to("int64").dataSync() as BigInt64Array, Number);
  const gold = Array.from(p.labelIds!.to("int64").dataSync() as BigInt64Array, Number);
  const yTrue: string[][] = [];
  const yPred: string[][] = [];
  for (let i = 0; i < n; i++) {
    const a: string[] = [];
    const b: string[] = [];
    for (let j = 0; j < t; j++) if (gold[i * t + j] !== -100) (a.push(labels[gold[i * t + j]]), b.push(labels[pred[i * t + j]]));
    // A sentence cut at 128 tokens is scored on the words that fit, with either scheme.
    yTrue.push(io ? evaluating[i].tags.slice(0, a.length) : a);
    yPred.push(io ? ioToIob2(b) : b);
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
  // --token-dropout p: while training, each word piece is [UNK] with probability p (see token-dropout.ts).
  dataCollator: unbatch(
    withTokenDropout(new DataCollatorForTokenClassification({ tokenizer: tok }) as never, { rate: num("token-dropout"), unkId: tok.unkTokenId, specialIds: new Set(tok.allSpecialIds), isTraining: () => model.training, seed: 42 }),
    "input_ids",
  ),
  computeMetrics,
});
// --serve: the live page of the curves at http://localhost:6006 while training runs.
if (args.serve) await trainer.serve({ port: 6006 });
await withBatchHint(trainer.train(), { train: "--batch" });
// The best checkpoint on validation is loaded; the test split is scored once.
evaluating = test;
const metrics = await withBatchHint(trainer.evaluate({ evalDataset: encode(test), metricKeyPrefix: "test" }), { train: "--batch" });
await model.savePretrained(args.out!);
await tok.savePretrained(args.out!);

const ner = await pipeline("token-classification", args.out!);
const sample = args.task === "pos" ? test[0].words.join(" ") : args.lang === "de" ? "Angela Merkel traf Emmanuel Macron am Dienstag in Paris ." : "Angela Merkel met Emmanuel Macron in Paris on Tuesday .";
// NER groups words into entities with "first": the model was trained and scored on each word's first piece, and
// "simple" would also read the pieces after it, which it never learned (a name could come out as "Angela Merk").
const tag = async (s: string) => JSON.stringify(await ner.run(s, { aggregationStrategy: args.task === "ner" ? "first" : "none", ignoreLabels: args.task === "ner" ? ["O"] : [] }));
await answerEach([sample, ...(args.ask ?? [])], tag);
console.log(JSON.stringify({ task: args.task, lang: args.lang, dataset, ...Object.fromEntries(Object.entries(metrics).filter(([k]) => /f1|precision|recall|accuracy|loss/.test(k))), best_validation: trainer.state.bestMetric, best_step: trainer.state.bestGlobalStep, steps: trainer.state.globalStep, train_sentences: train.length, extra_sentences: extra.length, validation_sentences: validation.length, test_sentences: test.length, seconds: Math.round((Date.now() - started) / 1000) }));
const language = { en: "English", de: "German", zh: "Chinese" }[args.lang as "en"] ?? args.lang;
await askAtTerminal(`Type a${args.lang === "en" ? "n" : ""} ${language} sentence to ${args.task === "ner" ? "find its entities" : "tag its words"}`, tag);
