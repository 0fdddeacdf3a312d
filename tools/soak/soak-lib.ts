// Memory soak runs (issue 17): the README's addition job, a WebGPU loop, KV-cache generation and the Trainer's loop, sampled for live tensors, storages, backend bytes and RSS, and judged flat by one numeric rule.

import v8 from "node:v8";
import vm from "node:vm";
import * as torch from "tsorch";
import { GPT2Config, GPT2LMHeadModel, generate } from "@tsorch/transformers";
import { Trainer, TrainingArguments } from "@tsorch/trainer";

const { nn, optim } = torch;
type Tensor = torch.Tensor;

// A full collection before each sample, so RSS and heap are compared at the same point of the GC cycle.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** One sample of the process's memory. */
export interface Sample {
  step: number;
  liveTensors: number;
  liveStorages: number;
  /** Bytes handed out by every backend and not yet freed (their pools excluded). */
  backendBytes: number;
  /** Bytes kept in the backends' pools for reuse. */
  pooledBytes: number;
  rssMB: number;
  heapMB: number;
  /** Bytes of live ArrayBuffers (tensor storage on the CPU): tells a JS-side leak from memory the allocator keeps. */
  arrayBuffersMB: number;
}

/**
 * Samples memory after a full GC. Backend bytes are those of `devices` only: "cpu" and "cpu-ts" share one pool when
 * the native backend serves "cpu", so summing every backend would count it twice.
 * @example const s = sample(500, ["cpu"]);
 */
export function sample(step: number, devices: readonly string[] = ["cpu"]): Sample {
  gc();
  const m = torch.memoryReport();
  const backs = devices.map((d) => m.backends[d]).filter((b) => b !== undefined);
  const mem = process.memoryUsage();
  return {
    step,
    liveTensors: m.liveTensors,
    liveStorages: m.liveStorages,
    backendBytes: backs.reduce((s, b) => s + b.allocatedBytes, 0),
    pooledBytes: backs.reduce((s, b) => s + b.pooledBytes, 0),
    rssMB: mem.rss / 2 ** 20,
    heapMB: mem.heapUsed / 2 ** 20,
    arrayBuffersMB: mem.arrayBuffers / 2 ** 20,
  };
}

/**
 * "Flat", numerically: from sample `warmup` (default 1, the second sample) to the end, live tensors, live storages and
 * backend bytes are exactly equal at every sample (with `linearBytes`, for a KV cache that grows by design, the bytes
 * grow by exactly the same amount between every two samples), and RSS grows by less than `rssSlackMB` from that
 * sample to the last.
 */
export function judgeFlat(samples: Sample[], opts: { warmup?: number; rssSlackMB: number; linearBytes?: boolean }): { flat: boolean; why: string[]; rssGrowthMB: number; bytesPerSample: number } {
  const w = opts.warmup ?? 1;
  const ref = samples[w];
  const why: string[] = [];
  // Generation with a KV cache grows by design: there the bytes must grow by the same amount between every two samples.
  const bytesPerSample = opts.linearBytes && samples.length > w + 1 ? samples[w + 1].backendBytes - ref.backendBytes : 0;
  const grow = (s: Sample) => ((s.step - ref.step) / (samples[w + 1]?.step - ref.step || 1)) * bytesPerSample;
  for (const s of samples.slice(w + 1)) {
    if (s.liveTensors !== ref.liveTensors) why.push(`step ${s.step}: ${s.liveTensors} live tensors, ${ref.liveTensors} at step ${ref.step}`);
    if (s.liveStorages !== ref.liveStorages) why.push(`step ${s.step}: ${s.liveStorages} live storages, ${ref.liveStorages} at step ${ref.step}`);
    if (s.backendBytes - grow(s) !== ref.backendBytes - grow(ref)) why.push(`step ${s.step}: ${s.backendBytes - grow(s)} backend bytes (less expected growth), ${ref.backendBytes - grow(ref)} at step ${ref.step}`);
  }
  const rssGrowthMB = samples[samples.length - 1].rssMB - ref.rssMB;
  if (rssGrowthMB >= opts.rssSlackMB) why.push(`RSS grew ${rssGrowthMB.toFixed(1)} MB from step ${ref.step}, limit ${opts.rssSlackMB} MB`);
  return { flat: why.length === 0, why, rssGrowthMB, bytesPerSample };
}

/** A table of samples for logs and docs/reliability.md. */
export function formatSamples(title: string, samples: Sample[]): string {
  const rows = samples.map((s) => `| ${s.step} | ${s.liveTensors} | ${s.liveStorages} | ${s.backendBytes} | ${s.pooledBytes} | ${s.rssMB.toFixed(1)} | ${s.heapMB.toFixed(1)} | ${s.arrayBuffersMB.toFixed(1)} |`);
  return [`${title}`, "| step | live tensors | live storages | backend bytes | pooled bytes | RSS MB | heap MB | ArrayBuffers MB |", "|---|---|---|---|---|---|---|---|", ...rows].join("\n");
}

// ---- the README's main job: 2-digit addition, GPT-2 blocks (2 layers, 64 wide, 4 heads), AdamW + cosine, clipping ----

const VOCAB = "0123456789+=";
const DIGITS = 2;
const PROMPT = 2 * DIGITS + 2;
const SEQ = PROMPT + DIGITS + 1;

function additionBatch(size: number, next: () => number, device: string): { x: Tensor; y: Tensor } {
  const x = new BigInt64Array(size * (SEQ - 1));
  const y = new BigInt64Array(size * (SEQ - 1)).fill(-100n);
  for (let i = 0; i < size; i++) {
    const a = Math.floor(next() * 100);
    const b = Math.floor(next() * 100);
    const text = `${String(a).padStart(2, "0")}+${String(b).padStart(2, "0")}=${String(a + b).padStart(3, "0").split("").reverse().join("")}`;
    const t = [...text].map((c) => VOCAB.indexOf(c));
    for (let j = 0; j < SEQ - 1; j++) x[i * (SEQ - 1) + j] = BigInt(t[j]);
    for (let j = PROMPT - 1; j < SEQ - 1; j++) y[i * (SEQ - 1) + j] = BigInt(t[j + 1]);
  }
  return { x: torch.fromTypedArray(x, [size, SEQ - 1]).to(device), y: torch.fromTypedArray(y, [size, SEQ - 1]).to(device) };
}

/** The addition job's model: GPT-2 blocks as the README's TinyGPT (2 layers, width 64, 4 heads, 12 tokens), no dropout. */
function additionModel(device: string): GPT2LMHeadModel {
  torch.manualSeed(0);
  const cfg = new GPT2Config({ vocabSize: VOCAB.length, nPositions: SEQ, nEmbd: 64, nLayer: 2, nHead: 4, residPdrop: 0, embdPdrop: 0, attnPdrop: 0 });
  const model = new GPT2LMHeadModel(cfg);
  return device === "cpu" ? model : (model.to(device) as GPT2LMHeadModel);
}

/**
 * Trains the addition job for `steps` steps (batch 64 by default, AdamW lr 1e-2 with weight decay 0.1 on matrices, cosine
 * schedule with warm-up, gradient clipping at 1), each step in a `scope`, sampling every `every` steps (and at step 0).
 * Async: a WebGPU step ends with an awaited read of the loss.
 */
export async function additionSoak(steps: number, every: number, device = "cpu", batchSize = 64): Promise<{ samples: Sample[]; lastLoss: number }> {
  const devices = device === "cpu" ? ["cpu"] : ["cpu", device];
  const model = additionModel(device);
  const decay = model.namedParameters().filter(([n, p]) => p.ndim >= 2 && !n.includes("wte") && !n.includes("wpe")).map(([, p]) => p);
  const noDecay = model.parameters().filter((p) => !decay.includes(p));
  const opt = new optim.AdamW([{ params: decay, weightDecay: 0.1 }, { params: noDecay, weightDecay: 0 }], { lr: 1e-2, betas: [0.9, 0.98] });
  const sched = optim.getCosineScheduleWithWarmup(opt, { numWarmupSteps: Math.min(30, Math.ceil(steps / 10)), numTrainingSteps: steps });
  const lossFn = new nn.CrossEntropyLoss({ ignoreIndex: -100 });
  let s = 7;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
  const samples = [sample(0, devices)];
  let lastLoss = NaN;
  for (let step = 1; step <= steps; step++) {
    const loss = torch.scope(() => {
      const { x, y } = additionBatch(batchSize, next, device);
      opt.zeroGrad();
      const logits = model.forward({ inputIds: x }).logits; // [B, T, V]
      const l = lossFn.forward(logits.reshape(-1, VOCAB.length), y.reshape(-1));
      l.backward();
      nn.clipGradNorm_(model.parameters(), 1.0);
      opt.step();
      sched.step();
      return l.detach();
    });
    lastLoss = Number(await loss.item());
    loss.dispose();
    if (step % every === 0) samples.push(sample(step, devices));
  }
  opt.zeroGrad();
  return { samples, lastLoss };
}

/** Bytes a GPT-2 KV cache holds after `tokens` positions (keys and values, every layer, float32). */
export function kvCacheBytes(cfg: { nLayer: number; nEmbd: number }, batch: number, tokens: number): number {
  return 2 * cfg.nLayer * batch * cfg.nEmbd * tokens * 4;
}

/** Greedy generation of `tokens` new tokens with the KV cache from a small GPT-2 built from its config, sampled every `every` tokens. */
export async function generationSoak(tokens: number, every: number): Promise<{ samples: Sample[]; cfg: GPT2Config; prompt: number }> {
  torch.manualSeed(0);
  const cfg = new GPT2Config({ vocabSize: 512, nPositions: tokens + 16, nEmbd: 64, nLayer: 2, nHead: 4, residPdrop: 0, embdPdrop: 0, attnPdrop: 0, bosTokenId: null, eosTokenId: null });
  const model = new GPT2LMHeadModel(cfg);
  model.eval();
  const prompt = 4;
  const inputIds = torch.tensor([[1, 2, 3, 4]], { dtype: "int64" });
  const samples: Sample[] = [];
  let made = 0;
  const out = (await torch.noGrad(() =>
    generate(model, { inputIds }, {
      maxNewTokens: tokens,
      doSample: false,
      useCache: true,
      onTokens: () => {
        made++;
        if (made % every === 0) samples.push(sample(made));
      },
    }),
  )) as Tensor;
  if (out.shape[1] !== prompt + tokens) throw new Error(`generationSoak: generated ${out.shape[1] - prompt} tokens, asked for ${tokens}.`);
  out.dispose();
  inputIds.dispose();
  return { samples, cfg, prompt };
}

/** A small classifier the Trainer can drive: `{ features, labels }` in, `{ loss, logits }` out. */
class SoakClassifier extends nn.Module {
  readonly fc1 = this.registerModule("fc1", new nn.Linear(8, 32));
  readonly head = this.registerModule("head", new nn.Linear(32, 4));
  readonly config = { numLabels: 4, hiddenSize: 32, modelType: "soak-classifier" };
  forward(batch: Record<string, Tensor>): { loss?: Tensor; logits: Tensor } {
    const logits = this.head.forward(this.fc1.forward(batch.features).relu()); // [B, 4]
    return batch.labels ? { loss: nn.functional.crossEntropy(logits, batch.labels), logits } : { logits };
  }
}

/** The Trainer's loop for `steps` optimizer steps (batch 16, no saving, no evaluation), sampled every `every` steps. */
export async function trainerSoak(steps: number, every: number, outputDir: string): Promise<Sample[]> {
  torch.manualSeed(0);
  let s = 3;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
  const rows = Array.from({ length: 256 }, () => {
    const features = Array.from({ length: 8 }, () => next() * 2 - 1);
    const head = features.slice(0, 4);
    return { features, labels: head.indexOf(Math.max(...head)) };
  });
  const samples: Sample[] = [];
  const args = new TrainingArguments({ outputDir, maxSteps: steps, perDeviceTrainBatchSize: 16, learningRate: 1e-2, saveStrategy: "no", evalStrategy: "no", loggingSteps: every, reportTo: ["none"], seed: 0 });
  const trainer = new Trainer({
    model: new SoakClassifier(),
    args,
    trainDataset: rows,
    callbacks: [{ onStepEnd: (_a, state) => void (state.globalStep % every === 0 && samples.push(sample(state.globalStep))) }],
  });
  await trainer.train();
  return samples;
}
