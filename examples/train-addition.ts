// The README's main job: a small GPT written with @tsorch/nn learns 3-digit addition from scratch on the CPU, then is scored.
//
// Usage: pnpm demo [--digits 2] [--steps 1500] [--batch 64] [--lr 1e-2] [--wd 0.1] [--out path] [--quiet]
// Each example is the text "47+85=" followed by the sum's digits reversed ("231" for 132): a transformer writes the
// lowest digit first, as we do by hand, so each digit needs only its two operand digits and the carry.

import * as torch from "tsorch";
import { saveModel } from "tsorch/node";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";

const { nn, optim } = torch;
type Tensor = torch.Tensor;

// ---- data --------------------------------------------------------------------------------------------------------

// Strict parsing: an unknown flag (`--stepz 5`) or a value that is not a number (`--steps abc`) stops with a message.
const { values: opts } = parseArgs({
  args: process.argv.slice(2),
  strict: true,
  allowPositionals: false,
  options: {
    digits: { type: "string", default: "2" },
    steps: { type: "string", default: "1500" },
    batch: { type: "string", default: "64" },
    lr: { type: "string", default: "1e-2" },
    wd: { type: "string", default: "0.1" },
    out: { type: "string", default: "out/addition-gpt.safetensors" },
    quiet: { type: "boolean", default: false },
  },
});

/** The numeric option `name`, or an error naming the flag and the value it got. */
function num(name: "digits" | "steps" | "batch" | "lr" | "wd", integer: boolean): number {
  const raw = opts[name];
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || (integer && (!Number.isInteger(v) || v < 1)))
    throw new Error(`--${name}: expected ${integer ? "a positive integer" : "a number"}, got ${JSON.stringify(raw)}.`);
  return v;
}

const VOCAB = "0123456789+=";
const DIGITS = num("digits", true);
const PROMPT = 2 * DIGITS + 2; // "123+456="
const ANSWER = DIGITS + 1;
const SEQ = PROMPT + ANSWER; // 9 tokens for 2 digits; the model sees all but the last and predicts the next of each

const tokensOf = (a: number, b: number): number[] => {
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  const text = `${pad(a, DIGITS)}+${pad(b, DIGITS)}=${pad(a + b, ANSWER).split("").reverse().join("")}`;
  return [...text].map((c) => VOCAB.indexOf(c));
};

/** A deterministic stream of problems (xorshift), so runs are reproducible without touching tsorch's generator. */
function problems(seed: number): () => [number, number] {
  let s = seed >>> 0 || 1;
  const next = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 32);
  const max = 10 ** DIGITS;
  return () => [Math.floor(next() * max), Math.floor(next() * max)];
}

const HELD_OUT = Math.min(1000, 10 ** (2 * DIGITS) / 10);
const draw = problems(12345);
const heldOut: [number, number][] = [];
const heldOutKeys = new Set<number>();
while (heldOut.length < HELD_OUT) {
  const [a, b] = draw();
  if (heldOutKeys.has(a * 10 ** DIGITS + b)) continue;
  heldOutKeys.add(a * 10 ** DIGITS + b);
  heldOut.push([a, b]);
}

/** A training batch: inputs [B, SEQ-1] and targets [B, SEQ-1] with -100 (ignored) except on the answer digits. */
function batch(size: number, nextProblem: () => [number, number]): { x: Tensor; y: Tensor } {
  const x = new BigInt64Array(size * (SEQ - 1));
  const y = new BigInt64Array(size * (SEQ - 1)).fill(-100n);
  for (let i = 0; i < size; i++) {
    let [a, b] = nextProblem();
    while (heldOutKeys.has(a * 10 ** DIGITS + b)) [a, b] = nextProblem();
    const t = tokensOf(a, b);
    for (let j = 0; j < SEQ - 1; j++) x[i * (SEQ - 1) + j] = BigInt(t[j]);
    for (let j = PROMPT - 1; j < SEQ - 1; j++) y[i * (SEQ - 1) + j] = BigInt(t[j + 1]);
  }
  return { x: torch.fromTypedArray(x, [size, SEQ - 1]), y: torch.fromTypedArray(y, [size, SEQ - 1]) };
}

// ---- the model: GPT-2's blocks, with GPT-2's parameter names ------------------------------------------------------

interface Config {
  vocab: number;
  positions: number;
  dim: number;
  heads: number;
  layers: number;
}

class CausalSelfAttention extends nn.Module {
  readonly cAttn: InstanceType<typeof nn.Linear>;
  readonly cProj: InstanceType<typeof nn.Linear>;
  constructor(readonly cfg: Config) {
    super();
    this.cAttn = this.registerModule("c_attn", new nn.Linear(cfg.dim, 3 * cfg.dim));
    this.cProj = this.registerModule("c_proj", new nn.Linear(cfg.dim, cfg.dim));
  }
  forward(x: Tensor): Tensor {
    const [b, t, d] = x.shape;
    const h = this.cfg.heads;
    const [q, k, v] = this.cAttn
      .forward(x) // [B, T, 3D]
      .split(d, 2)
      .map((z) => z.view(b, t, h, d / h).transpose(1, 2)); // [B, nh, T, hs]
    const y = nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true }); // [B, nh, T, hs]
    return this.cProj.forward(y.transpose(1, 2).reshape(b, t, d)); // [B, T, D]
  }
}

class Block extends nn.Module {
  readonly ln1: InstanceType<typeof nn.LayerNorm>;
  readonly attn: CausalSelfAttention;
  readonly ln2: InstanceType<typeof nn.LayerNorm>;
  readonly mlp: InstanceType<typeof nn.Sequential>;
  constructor(cfg: Config) {
    super();
    this.ln1 = this.registerModule("ln_1", new nn.LayerNorm(cfg.dim));
    this.attn = this.registerModule("attn", new CausalSelfAttention(cfg));
    this.ln2 = this.registerModule("ln_2", new nn.LayerNorm(cfg.dim));
    const mlp = { c_fc: new nn.Linear(cfg.dim, 4 * cfg.dim), act: new nn.GELU("tanh"), c_proj: new nn.Linear(4 * cfg.dim, cfg.dim) };
    this.mlp = this.registerModule("mlp", new nn.Sequential(mlp));
  }
  forward(x: Tensor): Tensor {
    const h = x.add(this.attn.forward(this.ln1.forward(x)));
    return h.add(this.mlp.forward(this.ln2.forward(h)));
  }
}

class TinyGPT extends nn.Module {
  readonly wte: InstanceType<typeof nn.Embedding>;
  readonly wpe: InstanceType<typeof nn.Embedding>;
  readonly h: InstanceType<typeof nn.ModuleList<Block>>;
  readonly lnF: InstanceType<typeof nn.LayerNorm>;
  readonly lmHead: InstanceType<typeof nn.Linear>;
  readonly positions: Tensor;

  constructor(readonly cfg: Config) {
    super();
    this.wte = this.registerModule("wte", new nn.Embedding(cfg.vocab, cfg.dim));
    this.wpe = this.registerModule("wpe", new nn.Embedding(cfg.positions, cfg.dim));
    this.h = this.registerModule("h", new nn.ModuleList(Array.from({ length: cfg.layers }, () => new Block(cfg))));
    this.lnF = this.registerModule("ln_f", new nn.LayerNorm(cfg.dim));
    this.lmHead = this.registerModule("lm_head", new nn.Linear(cfg.dim, cfg.vocab, { bias: false }));
    this.positions = this.registerBuffer("position_ids", torch.arange(0, cfg.positions), { persistent: false });
    // GPT-2's initialisation: N(0, 0.02) weights, zero biases.
    this.apply((m) => {
      if (m instanceof nn.Linear) {
        nn.init.normal_(m.weight, 0, 0.02);
        if (m.bias) nn.init.zeros_(m.bias);
      } else if (m instanceof nn.Embedding) nn.init.normal_(m.weight, 0, 0.02);
    });
  }

  /** ids [B, T] -> logits [B, T, vocab]. */
  forward(ids: Tensor): Tensor {
    const t = ids.shape[1];
    let x = this.wte.forward(ids).add(this.wpe.forward(this.positions.narrow(0, 0, t))); // [B, T, D]
    for (const block of this.h) x = block.forward(x);
    return this.lmHead.forward(this.lnF.forward(x)); // [B, T, V]
  }
}

// ---- training and evaluation --------------------------------------------------------------------------------------

/** Greedy answers for problems: [B] sums, decoded from the reversed digits the model writes. */
function solve(model: TinyGPT, items: [number, number][]): number[] {
  return torch.noGrad(() =>
    torch.scope(() => {
      const seqs = items.map(([a, b]) => tokensOf(a, b).slice(0, PROMPT));
      for (let k = 0; k < ANSWER; k++) {
        const ids = torch.tensor(seqs, { dtype: "int64" }); // [B, T]
        const next = model.forward(ids).select(1, ids.shape[1] - 1).argmax(-1).dataSync() as BigInt64Array; // [B]
        seqs.forEach((s, i) => s.push(Number(next[i])));
      }
      return seqs.map((s) => Number(s.slice(PROMPT).reverse().map((c) => VOCAB[c] ?? "?").join("")));
    }),
  );
}

function bar(done: number, total: number, text: string): string {
  const w = 24;
  const fill = Math.round((done / total) * w);
  return `[${"#".repeat(fill)}${"-".repeat(w - fill)}] ${String(done).padStart(String(total).length)}/${total} ${text}`;
}

export interface TrainResult {
  firstLoss: number;
  lastLoss: number;
  accuracy: number;
  seconds: number;
}

async function main(): Promise<TrainResult> {
  // 1500 steps: 1000 already reach 100 % on some numeric paths but not all (training is chaotic); 1500 reach it on both the fused and the composite kernels.
  const steps = num("steps", true);
  const batchSize = num("batch", true);
  const out = opts.out;
  const lr = num("lr", false);
  const weightDecay = num("wd", false);
  const quiet = opts.quiet;
  // A progress bar redrawn with \r on a terminal; one plain line per 10 % in a log file or CI.
  const tty = process.stderr.isTTY === true;

  torch.manualSeed(0);
  const cfg: Config = { vocab: VOCAB.length, positions: SEQ, dim: 64, heads: 4, layers: 2 };
  const model = new TinyGPT(cfg);
  console.log(`Training a ${cfg.layers}-layer transformer (${model.numParameters().toLocaleString("en")} parameters) to add ${DIGITS}-digit numbers.`);
  console.log(String(model));

  const decay = model.namedParameters().filter(([n, p]) => p.ndim >= 2 && !n.startsWith("w")).map(([, p]) => p);
  const noDecay = model.parameters().filter((p) => !decay.includes(p));
  const opt = new optim.AdamW([{ params: decay, weightDecay }, { params: noDecay, weightDecay: 0 }], { lr, betas: [0.9, 0.98] });
  const sched = optim.getCosineScheduleWithWarmup(opt, { numWarmupSteps: Math.min(30, Math.ceil(steps / 10)), numTrainingSteps: steps });
  const lossFn = new nn.CrossEntropyLoss({ ignoreIndex: -100 });
  const nextProblem = problems(7);

  const t0 = performance.now();
  let first = NaN;
  let avg = NaN;
  for (let step = 1; step <= steps; step++) {
    const loss = torch.scope(() => {
      const { x, y } = batch(batchSize, nextProblem);
      opt.zeroGrad();
      const logits = model.forward(x); // [B, T, V]
      const l = lossFn.forward(logits.reshape(-1, cfg.vocab), y.reshape(-1));
      l.backward();
      nn.clipGradNorm_(model.parameters(), 1.0);
      opt.step();
      sched.step();
      return l.itemSync() as number;
    });
    if (step === 1) first = loss;
    avg = Number.isNaN(avg) ? loss : 0.9 * avg + 0.1 * loss;
    const every = tty ? 5 : Math.max(1, Math.round(steps / 10));
    if (!quiet && (step % every === 0 || step === steps)) {
      const secs = (performance.now() - t0) / 1000;
      const line = bar(step, steps, `loss ${avg.toFixed(4)}  lr ${sched.getLastLr()[0].toExponential(2)}  ${secs.toFixed(0)} s`);
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    }
  }
  opt.zeroGrad();
  const seconds = (performance.now() - t0) / 1000;
  if (!quiet && tty) process.stderr.write("\n");
  console.log(`loss: ${first.toFixed(4)} at the start -> ${avg.toFixed(4)} (moving average) after ${steps} steps, ${seconds.toFixed(1)} s`);

  model.eval();
  const answers = solve(model, heldOut);
  const correct = answers.filter((v, i) => v === heldOut[i][0] + heldOut[i][1]).length;
  const accuracy = correct / heldOut.length;
  console.log(`held-out accuracy: ${correct}/${heldOut.length} = ${(accuracy * 100).toFixed(1)} % (problems never seen in training)`);
  for (let i = 0; i < 8; i++) {
    const [a, b] = heldOut[i];
    console.log(`  ${String(a).padStart(DIGITS)} + ${String(b).padStart(DIGITS)} = ${String(answers[i]).padStart(DIGITS + 1)}  ${answers[i] === a + b ? "✓" : `✗ (${a + b})`}`);
  }
  mkdirSync(dirname(out), { recursive: true });
  await saveModel(model, out);
  console.log(`weights saved to ${out} (safetensors; keys like ${Object.keys(model.stateDict())[2]})`);
  console.log(`RESULT ${JSON.stringify({ firstLoss: first, lastLoss: avg, accuracy, seconds })}`);
  return { firstLoss: first, lastLoss: avg, accuracy, seconds };
}

await main();
