// Translation end to end: Multi30k German → English with a small Marian-config encoder-decoder, beam search, sacreBLEU-rule BLEU and chrF, pipeline("translation").
//
// Usage: pnpm example:translation [--max-steps 3000] [--beams 4] [--model <folder or Hub id>]
// From scratch: one WordPiece vocabulary is trained on both languages' training text (Marian shares its embeddings).
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
import { withBatchHint } from "../lib/batch-hint.js";
import { DataFileError, requireRows } from "../lib/data-file-error.js";

const { values: args } = parseArgs({
  strict: true,
  options: {
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "max-steps": { type: "string", default: "3000" },
    "train-limit": { type: "string", default: "0" },
    "eval-limit": { type: "string", default: "0" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "1e-3" },
    hidden: { type: "string", default: "128" },
    layers: { type: "string", default: "2" },
    vocab: { type: "string", default: "8000" },
    beams: { type: "string", default: "4" },
    model: { type: "string" },
    out: { type: "string", default: "out/translation" },
    quiet: { type: "boolean", default: false },
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
let test = pairs("test_2016_flickr");
if (num("train-limit")) train = train.slice(0, num("train-limit"));
if (num("eval-limit")) test = test.slice(0, num("eval-limit"));
requireRows("training", train, join(args["data-dir"]!, "multi30k", "train.de.gz"));
requireRows("test", test, join(args["data-dir"]!, "multi30k", "test_2016_flickr.de.gz"));

let tok: PreTrainedTokenizer;
let model: PreTrainedModel;
if (args.model) {
  tok = await AutoTokenizer.fromPretrained(args.model);
  model = await AutoModelForSeq2SeqLM.fromPretrained(args.model);
} else {
  tok = trainBertTokenizer(train.flatMap((p) => [p.de, p.en]), { vocabSize: num("vocab"), lowercase: false, modelMaxLength: 128 });
  const h = num("hidden");
  const heads = Math.max(1, h / 32);
  // [PAD] starts the decoder and pads, [SEP] ends a sentence: Marian's conventions on this vocabulary.
  model = new MarianMTModel(
    new MarianConfig({
      vocabSize: tok.length,
      dModel: h,
      encoderLayers: num("layers"),
      decoderLayers: num("layers"),
      encoderAttentionHeads: heads,
      decoderAttentionHeads: heads,
      encoderFfnDim: 4 * h,
      decoderFfnDim: 4 * h,
      maxPositionEmbeddings: 128,
      scaleEmbedding: true,
      activationFunction: "swish",
      dropout: 0.1,
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

const trainer = new Trainer({
  model,
  args: {
    outputDir: args.out!,
    maxSteps: num("max-steps"),
    perDeviceTrainBatchSize: num("batch"),
    learningRate: Number(args.lr),
    weightDecay: 0.01,
    warmupRatio: 0.05,
    saveStrategy: "no",
    loggingSteps: 50,
    seed: 42,
    reportTo: ["tensorboard", "jsonl", "html"],
    disableTqdm: args.quiet,
  },
  trainDataset: encode(train),
  dataCollator: new DataCollatorForSeq2Seq({ tokenizer: tok, model: model as never }) as never,
});
await withBatchHint(trainer.train(), { train: "--batch" });
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
console.log(JSON.stringify({ task: "translation", pair: "de-en", bleu: (bleu as { score: number }).score, chrf: (chrf as { score: number }).score, train_pairs: train.length, test_pairs: test.length, seconds: Math.round((Date.now() - started) / 1000) }));
