// Translation end to end: Multi30k German → English with a small Marian-config encoder-decoder, beam search, sacreBLEU-rule BLEU and chrF, pipeline("translation").
//
// Usage: pnpm example:translation [--max-steps N] [--time-budget 600] [--beams 4] [--model <folder or Hub id>] [--serve] [--ask "ein Satz" …]
// After the run, at a terminal, each German line typed is translated by the saved model (an empty line ends).
// From scratch: one WordPiece vocabulary is trained on both languages' training text (Marian shares its embeddings).
// --time-budget caps training's wall time (the learning-rate schedule shrinks to fit); beam search runs once, on
// test2016, after training; nothing is chosen on the test set.
import "tsorch";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { AutoModelForSeq2SeqLM, AutoTokenizer, MarianConfig, MarianMTModel, pipeline, type PreTrainedModel, type PreTrainedTokenizer } from "@tsorch/transformers";
import { DataCollatorForSeq2Seq, Dataset, Trainer, corpusBleu, corpusChrf } from "@tsorch/trainer";
import type { Tensor } from "@tsorch/tensor";
import { trainBertTokenizer } from "../lib/bert-tokenizer.js";
import { EXAMPLE_OPTIONS, numberOption } from "../lib/args.js";
import { withBatchHint } from "../lib/batch-hint.js";
import { answerEach, askAtTerminal } from "../lib/ask.js";
import { DataFileError, requireRows } from "../lib/data-file-error.js";
import { WallClockBudget } from "../text-classification/wall-clock-budget.js";
import { groupByLength, unbatch } from "./length-grouped-batches.js";

const { values: args } = parseArgs({
  strict: true,
  options: {
    ...EXAMPLE_OPTIONS,
    "max-steps": { type: "string", default: "3000" },
    "time-budget": { type: "string", default: "600" },
    warmup: { type: "string", default: "300" },
    dropout: { type: "string", default: "0.1" },
    heads: { type: "string", default: "4" },
    ffn: { type: "string", default: "" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "1e-3" },
    hidden: { type: "string", default: "256" },
    layers: { type: "string", default: "2" },
    vocab: { type: "string", default: "8000" },
    beams: { type: "string", default: "4" },
    "score-split": { type: "string", default: "test_2016_flickr" },
    model: { type: "string" },
    out: { type: "string", default: "out/translation" },
  },
});
const num = numberOption(args);

function read(f: string): string[] {
  const path = join(args["data-dir"]!, "multi30k", f);
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString("utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw e;
    throw new DataFileError(path, undefined, `is not gzip data (${(e as Error).message})`, "a gzipped text file with one sentence per line");
  }
  return text.split("\n").filter((l, i, a) => i < a.length - 1 || l !== "");
}
function pairs(split: string): { de: string; en: string }[] {
  const de = read(`${split}.de.gz`);
  const en = read(`${split}.en.gz`);
  if (de.length !== en.length) throw new RangeError(`multi30k/${split}: ${de.length} German lines but ${en.length} English lines; the files must be aligned line by line.`);
  return de.map((d, i) => ({ de: d, en: en[i] }));
}

const started = Date.now();
let train = pairs("train");
// Tuning scores the validation split (--score-split val); the reported figure is test2016's.
if (!["test_2016_flickr", "val"].includes(args["score-split"]!)) throw new RangeError(`--score-split must be test_2016_flickr or val, got ${JSON.stringify(args["score-split"])}.`);
let test = pairs(args["score-split"]!);
if (num("train-limit")) train = train.slice(0, num("train-limit"));
if (num("eval-limit")) test = test.slice(0, num("eval-limit"));
requireRows("training", train, join(args["data-dir"]!, "multi30k", "train.de.gz"));
requireRows(args["score-split"] === "val" ? "validation" : "test", test, join(args["data-dir"]!, "multi30k", `${args["score-split"]}.de.gz`));

let tok: PreTrainedTokenizer;
let model: PreTrainedModel;
if (args.model) {
  tok = await AutoTokenizer.fromPretrained(args.model);
  model = await AutoModelForSeq2SeqLM.fromPretrained(args.model);
} else {
  tok = trainBertTokenizer(train.flatMap((p) => [p.de, p.en]), { vocabSize: num("vocab"), lowercase: false, modelMaxLength: 128 });
  const h = num("hidden");
  const heads = num("heads");
  const ffn = num("ffn") || 4 * h;
  // [PAD] starts the decoder and pads, [SEP] ends a sentence: Marian's conventions on this vocabulary.
  model = new MarianMTModel(
    new MarianConfig({
      vocabSize: tok.length,
      dModel: h,
      encoderLayers: num("layers"),
      decoderLayers: num("layers"),
      encoderAttentionHeads: heads,
      decoderAttentionHeads: heads,
      encoderFfnDim: ffn,
      decoderFfnDim: ffn,
      maxPositionEmbeddings: 128,
      scaleEmbedding: true,
      activationFunction: "swish",
      dropout: num("dropout"),
      padTokenId: tok.padTokenId,
      decoderStartTokenId: tok.padTokenId,
      eosTokenId: tok.sepTokenId,
      forcedEosTokenId: tok.sepTokenId,
    }),
  );
}
const eos = (model.config.eosTokenId as number) ?? tok.eosTokenId;

const encodeRows = (rows: { de: string; en: string }[]) =>
  rows.map((p) => {
    const src = tok.call([p.de], { truncation: true, maxLength: 128 });
    const tgt = tok.callTarget([p.en], { addSpecialTokens: false, truncation: true, maxLength: 127 });
    return { input_ids: src.inputIds[0], attention_mask: src.attentionMask[0], labels: [...tgt.inputIds[0], eos] };
  });
// Pairs of similar length share a batch (less padding); each dataset row is one such batch, so the Trainer's batch is 1.
const trainBatches = groupByLength(encodeRows(train), num("batch"), (r) => r.input_ids.length + r.labels.length);

const maxSteps = num("max-steps");
const budget = new WallClockBudget({ seconds: num("time-budget"), maxSteps, warmupSteps: num("warmup") });
const trainer = new Trainer({
  model,
  args: {
    outputDir: args.out!,
    maxSteps,
    perDeviceTrainBatchSize: 1,
    learningRate: Number(args.lr),
    weightDecay: 0.01,
    saveStrategy: "no",
    loggingSteps: 50,
    seed: 42,
    reportTo: ["tensorboard", "jsonl", "html"],
    disableTqdm: args.quiet,
  },
  trainDataset: Dataset.fromList(trainBatches),
  callbacks: [budget],
  optimizers: budget.optimizers(model, { lr: Number(args.lr), weightDecay: 0.01 }),
  dataCollator: unbatch(new DataCollatorForSeq2Seq({ tokenizer: tok, model: model as never }) as never, "input_ids"),
});
// --serve: the live page of the curves at http://localhost:6006 while training runs.
if (args.serve) await trainer.serve({ port: 6006 });
await withBatchHint(trainer.train(), { train: "--batch" });
model.eval();

// Beam search over the test set, 32 sentences a batch (encoder inputs padded on the right); sentences of similar
// length share a batch (less padding, beams that finish together), and the outputs go back to the file's order.
const hyps: string[] = new Array<string>(test.length);
const decodeStart = Date.now();
const byLength = test.map((p, i) => ({ i, n: p.de.length })).sort((x, y) => x.n - y.n).map((x) => x.i);
for (let i = 0; i < byLength.length; i += 32) {
  const idx = byLength.slice(i, i + 32);
  const enc = tok.call(idx.map((k) => test[k].de), { padding: true, truncation: true, maxLength: 128 });
  const t = enc.toTensors();
  // English captions run about as long as their German sources: 1.5 × the longest source (+ 5) bounds the search.
  const maxNewTokens = Math.min(128, Math.ceil(1.5 * Math.max(...enc.inputIds.map((ids) => ids.length))) + 5);
  const out = (await model.generate({ inputIds: t.inputIds, attentionMask: t.attentionMask }, { numBeams: num("beams"), maxNewTokens })) as Tensor;
  tok.batchDecode(out, { skipSpecialTokens: true }).forEach((h, j) => (hyps[idx[j]] = h));
}
const decodeSeconds = Math.round((Date.now() - decodeStart) / 1000);
const refs = [test.map((p) => p.en)];
const bleu = corpusBleu(hyps, refs);
const chrf = corpusChrf(hyps, refs);
await model.savePretrained(args.out!);
await tok.savePretrained(args.out!);

const translator = await pipeline("translation_de_to_en", args.out!);
const translate = async (s: string) => JSON.stringify(await translator.run(s, { numBeams: num("beams"), maxNewTokens: 40 }));
await answerEach(["Ein Mann fährt Fahrrad auf der Straße.", "Zwei Kinder spielen im Park.", ...(args.ask ?? [])], translate);
console.log(JSON.stringify({ task: "translation", pair: "de-en", split: args["score-split"], bleu: (bleu as { score: number }).score, chrf: (chrf as { score: number }).score, steps: trainer.state.globalStep, decode_seconds: decodeSeconds, train_pairs: train.length, test_pairs: test.length, seconds: Math.round((Date.now() - started) / 1000) }));
await askAtTerminal("Type a German sentence to translate into English", translate);
