// Translation end to end: Multi30k German → English with a small Marian-config encoder-decoder, beam search, sacreBLEU-rule BLEU and chrF, pipeline("translation").
//
// Usage: pnpm example:translation [--max-steps N] [--time-budget 600] [--beams 4] [--model <folder or Hub id>]
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
import { DEFAULT_DATA_DIR, numberOption } from "../lib/args.js";
import { WallClockBudget } from "../text-classification/wall-clock-budget.js";

const { values: args } = parseArgs({
  strict: true,
  options: {
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "max-steps": { type: "string", default: "3000" },
    "time-budget": { type: "string", default: "600" },
    warmup: { type: "string", default: "300" },
    dropout: { type: "string", default: "0.1" },
    heads: { type: "string", default: "4" },
    ffn: { type: "string", default: "" },
    "train-limit": { type: "string", default: "0" },
    "eval-limit": { type: "string", default: "0" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "1e-3" },
    hidden: { type: "string", default: "256" },
    layers: { type: "string", default: "2" },
    vocab: { type: "string", default: "8000" },
    beams: { type: "string", default: "4" },
    model: { type: "string" },
    out: { type: "string", default: "out/translation" },
    quiet: { type: "boolean", default: false },
  },
});
const num = numberOption(args);

const read = (f: string): string[] => gunzipSync(readFileSync(join(args["data-dir"]!, "multi30k", f))).toString("utf8").split("\n").filter((l, i, a) => i < a.length - 1 || l !== "");
function pairs(split: string): { de: string; en: string }[] {
  const de = read(`${split}.de.gz`);
  const en = read(`${split}.en.gz`);
  if (de.length !== en.length) throw new RangeError(`multi30k/${split}: ${de.length} German lines but ${en.length} English lines; the files must be aligned line by line.`);
  return de.map((d, i) => ({ de: d, en: en[i] }));
}

const started = Date.now();
let train = pairs("train");
let test = pairs("test_2016_flickr");
if (num("train-limit")) train = train.slice(0, num("train-limit"));
if (num("eval-limit")) test = test.slice(0, num("eval-limit"));

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

const encode = (rows: { de: string; en: string }[]) =>
  Dataset.fromList(
    rows.map((p) => {
      const src = tok.call([p.de], { truncation: true, maxLength: 128 });
      const tgt = tok.callTarget([p.en], { addSpecialTokens: false, truncation: true, maxLength: 127 });
      return { input_ids: src.inputIds[0], attention_mask: src.attentionMask[0], labels: [...tgt.inputIds[0], eos] };
    }),
  );

const maxSteps = num("max-steps");
const budget = new WallClockBudget({ seconds: num("time-budget"), maxSteps, warmupSteps: num("warmup") });
const trainer = new Trainer({
  model,
  args: {
    outputDir: args.out!,
    maxSteps,
    perDeviceTrainBatchSize: num("batch"),
    learningRate: Number(args.lr),
    weightDecay: 0.01,
    saveStrategy: "no",
    loggingSteps: 50,
    seed: 42,
    reportTo: ["tensorboard", "jsonl", "html"],
    disableTqdm: args.quiet,
  },
  trainDataset: encode(train),
  callbacks: [budget],
  optimizers: budget.optimizers(model, { lr: Number(args.lr), weightDecay: 0.01 }),
  dataCollator: new DataCollatorForSeq2Seq({ tokenizer: tok, model: model as never }) as never,
});
await trainer.train();
model.eval();

// Beam search over the test set, 32 sentences a batch (encoder inputs padded on the right).
const hyps: string[] = [];
for (let i = 0; i < test.length; i += 32) {
  const chunk = test.slice(i, i + 32);
  const enc = tok.call(chunk.map((p) => p.de), { padding: true, truncation: true, maxLength: 128 });
  const t = enc.toTensors();
  const out = (await model.generate({ inputIds: t.inputIds, attentionMask: t.attentionMask }, { numBeams: num("beams"), maxNewTokens: 60 })) as Tensor;
  hyps.push(...tok.batchDecode(out, { skipSpecialTokens: true }));
}
const refs = [test.map((p) => p.en)];
const bleu = corpusBleu(hyps, refs);
const chrf = corpusChrf(hyps, refs);
await model.savePretrained(args.out!);
await tok.savePretrained(args.out!);

const translator = await pipeline("translation_de_to_en", args.out!);
for (const s of ["Ein Mann fährt Fahrrad auf der Straße.", "Zwei Kinder spielen im Park."]) console.log(`${s}  →  ${JSON.stringify(await translator.run(s, { numBeams: num("beams"), maxNewTokens: 40 }))}`);
console.log(JSON.stringify({ task: "translation", pair: "de-en", bleu: (bleu as { score: number }).score, chrf: (chrf as { score: number }).score, steps: trainer.state.globalStep, train_pairs: train.length, test_pairs: test.length, seconds: Math.round((Date.now() - started) / 1000) }));
