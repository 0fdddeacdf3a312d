// The README's end-to-end example: a small classifier built with @tsorch/nn, trained with Trainer; TensorBoard files, HTML report, live board.
//
// Usage: npx tsx --conditions=@tsorch/source packages/trainer/examples/fine-tune.ts [outputDir] [--serve]

import { Linear, LayerNorm, Module, functional as F } from "@tsorch/nn";
import { manualSeed, type Tensor } from "@tsorch/tensor";
import { EarlyStoppingCallback, Trainer, TrainingArguments, type EvalPrediction } from "@tsorch/trainer";

// A model as the Trainer expects: forward takes a batch of named tensors and returns { loss, logits }.
class Classifier extends Module {
  readonly config = { numLabels: 3, hiddenSize: 32 };
  readonly inputNames = ["features", "labels"];
  readonly fc = this.registerModule("fc", new Linear(8, 32));
  readonly norm = this.registerModule("norm", new LayerNorm([32]));
  readonly head = this.registerModule("head", new Linear(32, 3));

  forward(batch: Record<string, Tensor>): { loss?: Tensor; logits: Tensor } {
    const logits = this.head.forward(this.norm.forward(this.fc.forward(batch.features).relu())); // [B, 3]
    return { loss: batch.labels ? F.crossEntropy(logits, batch.labels) : undefined, logits };
  }
}

// Rows of columns (any array of objects, or a Dataset): the label is which of the first three features is largest.
let s = 7;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
const rows = (n: number) =>
  Array.from({ length: n }, () => {
    const features = Array.from({ length: 8 }, () => rnd() * 2 - 1);
    return { features, labels: features.slice(0, 3).indexOf(Math.max(...features.slice(0, 3))), id: "unused column" };
  });

const accuracy = ({ predictions, labelIds }: EvalPrediction) => {
  const p = predictions.argmax(-1).dataSync(), l = labelIds!.dataSync();
  let ok = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === l[i]) ok++;
  return { accuracy: ok / p.length };
};

const outputDir = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "out/classifier";
manualSeed(0);
const args = new TrainingArguments({
  outputDir,
  numTrainEpochs: 8,
  perDeviceTrainBatchSize: 16,
  learningRate: 3e-3,
  weightDecay: 0.01,
  warmupRatio: 0.1,
  evalStrategy: "epoch",
  saveStrategy: "epoch",
  saveTotalLimit: 2,
  loadBestModelAtEnd: true,
  metricForBestModel: "accuracy",
  reportTo: ["tensorboard", "jsonl"],
  runName: "classifier",
});
const trainer = new Trainer({
  model: new Classifier(),
  args,
  trainDataset: rows(512),
  evalDataset: rows(128),
  computeMetrics: accuracy,
  callbacks: [new EarlyStoppingCallback({ earlyStoppingPatience: 3 })],
});
const board = process.argv.includes("--serve") ? await trainer.serve({ port: 6006 }) : null;
if (board) console.log(`live curves at ${board.url}`);
const { globalStep, trainingLoss } = await trainer.train();
console.log(`trained ${globalStep} steps, mean loss ${trainingLoss.toFixed(4)}; best eval accuracy ${trainer.state.bestMetric} at ${trainer.state.bestModelCheckpoint}`);
console.log(await trainer.evaluate());
await trainer.saveModel(`${outputDir}/final`);
console.log(`TensorBoard: tensorboard --logdir ${outputDir}/runs   report: ${outputDir}/report.html`);
await board?.close();
