// Extractive question answering end to end: XQuAD (SQuAD v1.1 format) windows with offsets, Trainer, n-best span post-processing, SQuAD EM / F1, pipeline("question-answering").
//
// Usage: pnpm example:question-answering [--lang en|de|zh] [--model <Hub id or folder> | --from-scratch] [--question … --context …]
// The default is a pretrained SQuAD checkpoint (distilbert-base-cased-distilled-squad): a model that already has a QA
// head is evaluated on the held-out articles as it is (pass --max-steps N to fine-tune it on the training articles
// too); a checkpoint without one (e.g. bert-base-multilingual-cased) is fine-tuned first. Offline, --from-scratch
// trains a small BertForQuestionAnswering with a WordPiece vocabulary learned from the training articles.
// After the run, at a terminal, each question typed is answered from --context (or the first held-out paragraph).
// Split: XQuAD's 48 articles, every fifth one (index 4, 9, …) held out for evaluation (20 %), so no context is in both.
import "tsorch";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { AutoModelForQuestionAnswering, AutoTokenizer, BertConfig, BertForQuestionAnswering, pipeline, type PreTrainedModel, type PreTrainedTokenizer } from "@tsorch/transformers";
import { DataCollatorWithPadding, Dataset, Trainer, prepareQaEvalFeatures, prepareQaTrainFeatures, type TrainerCallback } from "@tsorch/trainer";
import { trainBertTokenizer } from "../lib/bert-tokenizer.js";
import { DEFAULT_DATA_DIR, numberOption } from "../lib/args.js";
import { readSquad, type SquadQuestion } from "../lib/squad.js";
import { requireRows } from "../lib/data-file-error.js";
import { withBatchHint } from "../lib/batch-hint.js";
import { loadPretrained } from "../lib/load-pretrained.js";
import { evaluateQa } from "./qa-evaluate.js";
import { askAtTerminal } from "../lib/ask.js";

const DEFAULT_MODEL = "distilbert-base-cased-distilled-squad";

const { values: args } = parseArgs({
  strict: true,
  options: {
    lang: { type: "string", default: "en" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    model: { type: "string", default: DEFAULT_MODEL },
    "from-scratch": { type: "boolean", default: false },
    "max-steps": { type: "string" },
    "train-limit": { type: "string", default: "0" },
    "eval-limit": { type: "string", default: "0" },
    batch: { type: "string", default: "16" },
    "eval-batch": { type: "string", default: "32" },
    lr: { type: "string" },
    "max-length": { type: "string" },
    "doc-stride": { type: "string" },
    hidden: { type: "string", default: "128" },
    layers: { type: "string", default: "2" },
    vocab: { type: "string", default: "6000" },
    "n-best": { type: "string", default: "20" },
    "max-answer-length": { type: "string", default: "30" },
    question: { type: "string" },
    context: { type: "string" },
    out: { type: "string", default: "out/question-answering" },
    serve: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});
const num = numberOption(args);
const fromScratch = args["from-scratch"] || args.model === "none";
if (!["en", "de", "zh"].includes(args.lang!)) throw new RangeError(`--lang must be en, de or zh, got ${JSON.stringify(args.lang)}.`);
if ((args.question === undefined) !== (args.context === undefined)) throw new RangeError("--question and --context go together: pass both (or neither for the demo questions).");

const started = Date.now();
const file = join(args["data-dir"]!, "xquad", `xquad.${args.lang}.json`);
const all = readSquad(file);
let train: readonly SquadQuestion[] = all.filter((q) => q.article % 5 !== 4);
let test: readonly SquadQuestion[] = all.filter((q) => q.article % 5 === 4);
if (num("train-limit")) train = train.slice(0, num("train-limit"));
if (num("eval-limit")) test = test.slice(0, num("eval-limit"));
requireRows("training", train, file);
requireRows("test", test, file);

/** A numeric option whose default depends on the path taken (from scratch or pretrained). */
const numOr = (name: "max-steps" | "max-length" | "doc-stride", dflt: number) => (args[name] === undefined ? dflt : num(name));
const maxLength = numOr("max-length", fromScratch ? 192 : 384);
const docStride = numOr("doc-stride", fromScratch ? 64 : 128);

let tok: PreTrainedTokenizer;
let model: PreTrainedModel;
if (fromScratch) {
  const texts = [...new Set(train.map((q) => q.context))].concat(train.map((q) => q.question));
  tok = trainBertTokenizer(texts, { vocabSize: num("vocab"), lowercase: true, modelMaxLength: maxLength });
  const h = num("hidden");
  model = new BertForQuestionAnswering(
    new BertConfig({ vocabSize: tok.length, hiddenSize: h, numHiddenLayers: num("layers"), numAttentionHeads: Math.max(1, h / 64), intermediateSize: 4 * h, maxPositionEmbeddings: maxLength, numLabels: 2, hiddenDropoutProb: 0.1 }),
  );
} else {
  ({ tok, model } = await loadPretrained(args.model!, (id) => AutoModelForQuestionAnswering.fromPretrained(id), AutoTokenizer, { offlineHint: "--from-scratch" }));
}
const hasQaHead = (model.config.architectures ?? []).some((a) => a.endsWith("ForQuestionAnswering"));
// A checkpoint that already answers questions is only evaluated unless --max-steps says otherwise.
const maxSteps = numOr("max-steps", fromScratch ? 300 : hasQaHead ? 0 : 600);
const withTokenTypes = tok.modelInputNames.includes("token_type_ids");
const cls = tok.clsTokenId ?? undefined;

// As run_qa.py's pad_on_right: the context goes second (truncated, windowed) unless the tokenizer pads on the left.
const padOnRight = tok.paddingSide === "right";
const contextSequence = padOnRight ? 1 : 0;

/** Every question's windows: (question, context) pairs truncated in the context only, overflowing with a stride. */
function windows(rows: readonly SquadQuestion[]) {
  const questions = rows.map((q) => q.question.trimStart());
  const contexts = rows.map((q) => q.context);
  const enc = tok.call(padOnRight ? questions : contexts, {
    textPair: padOnRight ? contexts : questions,
    truncation: padOnRight ? "only_second" : "only_first",
    maxLength,
    stride: docStride,
    returnOverflowingTokens: true,
    returnOffsetsMapping: true,
  });
  return { encodings: enc.encodings, overflowToSampleMapping: enc.overflowToSampleMapping! };
}
const trainWin = windows(train);
const testWin = windows(test);
const toRows = (fs: ReturnType<typeof prepareQaTrainFeatures>) =>
  Dataset.fromList(
    fs.map((f) => ({
      input_ids: f.inputIds,
      attention_mask: f.attentionMask,
      ...(withTokenTypes ? { token_type_ids: f.tokenTypeIds } : {}),
      start_positions: f.startPositions,
      end_positions: f.endPositions,
    })),
  );
const trainFeatures = prepareQaTrainFeatures(train, trainWin.encodings, { overflowToSampleMapping: trainWin.overflowToSampleMapping, clsTokenId: cls, contextSequence });
const testLabelled = prepareQaTrainFeatures(test, testWin.encodings, { overflowToSampleMapping: testWin.overflowToSampleMapping, clsTokenId: cls, contextSequence });
const testFeatures = prepareQaEvalFeatures(testWin.encodings, { overflowToSampleMapping: testWin.overflowToSampleMapping, contextSequence });

const evalOpts = { batchSize: num("eval-batch"), padTokenId: tok.padTokenId ?? 0, nBestSize: num("n-best"), maxAnswerLength: num("max-answer-length"), withTokenTypes };
let last = { exactMatch: NaN, f1: NaN, f1Chars: NaN, predictions: [] as string[] };
// SQuAD EM / F1 join each evaluation's log entry (eval_loss comes from the Trainer): this callback runs first, so the
// TensorBoard, JSONL and HTML reporters after it write the scores with the loss.
const squadMetrics: TrainerCallback = {
  onLog(_a, _s, _c, extras) {
    const logs = extras.logs as Record<string, number> | undefined;
    if (!logs || !("eval_loss" in logs)) return;
    last = evaluateQa(model, test, testFeatures, evalOpts);
    Object.assign(logs, { eval_exact_match: last.exactMatch, eval_f1: last.f1 }, args.lang === "zh" ? { eval_f1_chars: last.f1Chars } : {});
  },
};

const trainer = new Trainer({
  model,
  args: {
    outputDir: args.out!,
    maxSteps: Math.max(1, maxSteps),
    perDeviceTrainBatchSize: num("batch"),
    perDeviceEvalBatchSize: num("eval-batch"),
    learningRate: args.lr !== undefined ? Number(args.lr) : fromScratch ? 1e-3 : 3e-5,
    weightDecay: 0.01,
    warmupRatio: 0.1,
    evalStrategy: maxSteps > 0 ? "steps" : "no",
    evalSteps: Math.max(1, Math.floor(maxSteps / 4)),
    labelNames: ["start_positions", "end_positions"],
    saveStrategy: "no",
    loggingSteps: Math.max(1, Math.min(50, Math.floor(maxSteps / 10))),
    seed: 42,
    reportTo: ["tensorboard", "jsonl", "html"],
    disableTqdm: args.quiet,
  },
  trainDataset: toRows(trainFeatures),
  evalDataset: toRows(testLabelled),
  dataCollator: new DataCollatorWithPadding({ tokenizer: tok }),
  tokenizer: tok,
});
trainer.callbackHandler.callbacks.unshift(squadMetrics);
if (args.serve) await trainer.serve({ port: 6006 });
if (maxSteps > 0) await withBatchHint(trainer.train(), { train: "--batch", eval: "--eval-batch" });
// The last training step already evaluated when maxSteps is a multiple of evalSteps; otherwise evaluate now.
if (!trainer.state.logHistory.some((e) => e.step === trainer.state.globalStep && "eval_f1" in e)) await withBatchHint(trainer.evaluate(), { train: "--batch", eval: "--eval-batch" });
await model.savePretrained(args.out!);
await tok.savePretrained(args.out!);

// The saved model reloads through a pipeline, as a user would call it.
const qa = await pipeline("question-answering", args.out!);
const asks = args.question !== undefined ? [{ question: args.question, context: args.context!, gold: undefined as string | undefined }] : test.slice(0, 3).map((q) => ({ question: q.question, context: q.context, gold: q.answers.text[0] }));
const answer = async (question: string, context: string) => {
  const r = (await qa.run({ question, context }, { maxAnswerLen: num("max-answer-length") })) as { answer: string; score: number; start: number; end: number };
  return `${JSON.stringify(r.answer)} (score ${r.score.toPrecision(3)}, characters ${r.start}–${r.end})`;
};
for (const a of asks) console.log(`Q: ${a.question}\nA: ${await answer(a.question, a.context)}${a.gold === undefined ? "" : `  gold: ${JSON.stringify(a.gold)}`}`);
console.log(
  JSON.stringify({
    task: "question-answering",
    lang: args.lang,
    model: fromScratch ? "from-scratch" : args.model,
    exact_match: last.exactMatch,
    f1: last.f1,
    ...(args.lang === "zh" ? { f1_chars: last.f1Chars } : {}),
    train_steps: maxSteps,
    train_questions: train.length,
    test_questions: test.length,
    train_windows: trainFeatures.length,
    test_windows: testFeatures.length,
    seconds: Math.round((Date.now() - started) / 1000),
  }),
);
// Questions typed at a terminal are asked about --context, or else the first held-out paragraph.
const context = args.context ?? test[0]?.context ?? "";
await askAtTerminal(`Ask a question about this paragraph:\n\n${context}\n`, (q) => answer(q, context));
