// The examples' training steps (2-layer BERT classifier, Marian 2+2 translator; AdamW) and BERT-base's forward on the native CPU backend, CPU time and wall, beside PyTorch.
import "tsorch"; // registers the native CPU backend on "cpu", as the examples run
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { noGrad } from "@tsorch/autograd";
import { ones, randint, scope, type Tensor } from "@tsorch/tensor";
import { AdamW } from "@tsorch/optim";
import { getNumThreads } from "tsorch";
import { BertConfig, BertForSequenceClassification, BertModel, MarianConfig, MarianMTModel } from "../src/index.js";

// Shapes of examples/text-classification and examples/translation with their defaults (batch 32, hidden 128, FFN 512,
// vocabulary 8000); Multi30k sentences pad to about 32 WordPiece tokens.
const B = 32;
const T = 64;
const S = 32;
const V = 8000;
const STEPS = Number(process.env.BENCH_STEPS ?? 10);
const threads = getNumThreads();

type Times = { cpu: number; wall: number };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median CPU time (every thread of the process) and wall time of one call, in ms, after `warmup` calls. */
function measure(fn: () => void, n = STEPS, warmup = 2): Times {
  for (let i = 0; i < warmup; i++) fn();
  const cpus: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  return { cpu: median(cpus), wall: median(walls) };
}

/** Times of one AdamW training step (zero grads, forward with labels, backward, step) of `model` on `batch`. */
function measureTrainStep(model: BertForSequenceClassification | MarianMTModel, batch: { inputIds: Tensor; attentionMask: Tensor; labels: Tensor }): Times {
  model.train();
  const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
  return measure(() =>
    scope(() => {
      opt.zeroGrad();
      model.forward(batch).loss!.backward();
      opt.step();
    }),
  );
}

/**
 * The same work in PyTorch (Debian's python3-torch) on as many threads, timed the same way, or null without it.
 * Denormals are flushed as the native GEMM does: OpenBLAS keeps them, and a model's small gradients then make
 * PyTorch's step up to 10× slower, which would not be a fair comparison.
 */
function torchTimes(setup: string, call: string, n = STEPS): Times | null {
  const script = `
import time, torch
import torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(${threads}); torch.set_flush_denormal(True); torch.manual_seed(0)
${setup}
for _ in range(2): ${call}
cs, ws = [], []
for _ in range(${n}):
    c0 = time.process_time(); w0 = time.perf_counter(); ${call}; ws.append(time.perf_counter() - w0); cs.append(time.process_time() - c0)
cs.sort(); ws.sort(); print(cs[len(cs) // 2] * 1000, ws[len(ws) // 2] * 1000)`;
  const r = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: "PASSIVE" } });
  if (r.status !== 0) {
    if (r.error || /No module named 'torch'/.test(r.stderr)) return null;
    throw new Error(`PyTorch reference failed: ${r.stderr.split("\n").slice(-4).join(" ")}`);
  }
  const [cpu, wall] = r.stdout.trim().split(/\s+/).map(Number);
  return { cpu, wall };
}

function report(name: string, ours: Times, theirs: Times | null): void {
  const f = (v: number) => v.toFixed(v >= 100 ? 0 : 1).padStart(7);
  const vs = theirs ? `PyTorch CPU ${f(theirs.cpu)} ms, wall ${f(theirs.wall)} ms; CPU-time ratio ${(theirs.cpu / ours.cpu).toFixed(2)}× of PyTorch's speed` : "(PyTorch not installed)";
  console.log(`${name.padEnd(34)} CPU ${f(ours.cpu)} ms, wall ${f(ours.wall)} ms | ${vs}`);
}

console.log(`native CPU backend, ${threads} thread(s) (PyTorch: torch.set_num_threads(${threads})); load average ${loadavg()[0].toFixed(1)} at the start\n`);

{
  const config = new BertConfig({ vocabSize: V, hiddenSize: 128, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 512, maxPositionEmbeddings: T, numLabels: 2 });
  const ours = measureTrainStep(new BertForSequenceClassification(config), {
    inputIds: randint(0, V, [B, T], { dtype: "int64" }),
    attentionMask: ones([B, T], { dtype: "int64" }),
    labels: randint(0, 2, [B], { dtype: "int64" }),
  });
  const theirs = torchTimes(
    `emb = nn.Embedding(${V}, 128); pos = nn.Embedding(${T}, 128); typ = nn.Embedding(2, 128); ln = nn.LayerNorm(128); drop = nn.Dropout(0.1)
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(128, 2, 512, 0.1, activation="gelu", batch_first=True), 2, enable_nested_tensor=False)
pool = nn.Linear(128, 128); cls = nn.Linear(128, 2)
mods = nn.ModuleList([emb, pos, typ, ln, enc, pool, cls]).train()
opt = torch.optim.AdamW(mods.parameters(), lr=1e-3, weight_decay=0.01)
ids = torch.randint(0, ${V}, (${B}, ${T})); labels = torch.randint(0, 2, (${B},)); pad = torch.zeros(${B}, ${T}, dtype=torch.bool)
def step():
    opt.zero_grad()
    h = enc(drop(ln(emb(ids) + pos.weight[:${T}] + typ.weight[0])), src_key_padding_mask=pad)
    F.cross_entropy(cls(drop(torch.tanh(pool(h[:, 0])))), labels).backward()
    opt.step()`,
    "step()",
  );
  report(`BERT 2L h128 train step ${B}x${T}`, ours, theirs);
}

{
  const config = new MarianConfig({
    vocabSize: V, dModel: 128, encoderLayers: 2, decoderLayers: 2, encoderAttentionHeads: 4, decoderAttentionHeads: 4,
    encoderFfnDim: 512, decoderFfnDim: 512, maxPositionEmbeddings: 128, scaleEmbedding: true, activationFunction: "swish",
    dropout: 0.1, padTokenId: 0, decoderStartTokenId: 0, eosTokenId: 2,
  });
  const ours = measureTrainStep(new MarianMTModel(config), {
    inputIds: randint(3, V, [B, S], { dtype: "int64" }),
    attentionMask: ones([B, S], { dtype: "int64" }),
    labels: randint(3, V, [B, S], { dtype: "int64" }),
  });
  // nn.Transformer with Marian's sizes, shared embeddings as the output projection and a final-logits bias.
  const theirs = torchTimes(
    `emb = nn.Embedding(${V}, 128); pe = torch.randn(128, 128)
tr = nn.Transformer(128, 4, 2, 2, 512, 0.1, activation=F.silu, batch_first=True)
bias = torch.zeros(${V}, requires_grad=True)
mods = nn.ModuleList([emb, tr]).train()
opt = torch.optim.AdamW(list(mods.parameters()) + [bias], lr=1e-3, weight_decay=0.01)
src = torch.randint(3, ${V}, (${B}, ${S})); tgt = torch.randint(3, ${V}, (${B}, ${S}))
causal = torch.triu(torch.full((${S}, ${S}), float("-inf")), 1)
def step():
    opt.zero_grad()
    x = emb(src) * 128 ** 0.5 + pe[:${S}]; y = emb(tgt) * 128 ** 0.5 + pe[:${S}]
    h = tr(x, y, tgt_mask=causal)
    F.cross_entropy((h @ emb.weight.t() + bias).view(-1, ${V}), tgt.view(-1)).backward()
    opt.step()`,
    "step()",
  );
  report(`Marian 2+2L d128 train step ${B}x${S}`, ours, theirs);
}

if (process.env.BENCH_BERT_BASE !== "0") {
  const model = new BertModel(new BertConfig()); // bert-base: 12 layers, hidden 768, 12 heads, FFN 3072
  model.eval();
  for (const [b, n] of [[1, 5], [8, 2]] as const) {
    const ids = randint(0, 30522, [b, 128], { dtype: "int64" });
    const ours = measure(() => noGrad(() => scope(() => void model.forward({ inputIds: ids }))), n, 1);
    const theirs = torchTimes(
      `torch.set_grad_enabled(False)
emb = nn.Embedding(30522, 768); pos = nn.Embedding(512, 768); ln = nn.LayerNorm(768)
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(768, 12, 3072, 0.1, activation="gelu", batch_first=True), 12, enable_nested_tensor=False).eval()
pool = nn.Linear(768, 768)
ids = torch.randint(0, 30522, (${b}, 128))
def fwd():
    h = enc(ln(emb(ids) + pos.weight[:128]))
    return torch.tanh(pool(h[:, 0]))`,
      "fwd()",
      n,
    );
    report(`BERT-base forward ${b}x128`, ours, theirs);
  }
}
console.log(`\nload average ${loadavg()[0].toFixed(1)} at the end (2 cores: wall times above ~2 are inflated by other processes; CPU times much less)`);
