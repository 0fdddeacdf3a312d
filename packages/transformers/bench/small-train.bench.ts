// Training step of the examples' small models (2-layer BERT classifier, Marian 2+2 encoder-decoder; AdamW) on the native CPU backend, beside PyTorch.
import "tsorch"; // loads the native CPU backend onto "cpu" (the examples run on it)
import { ones, randint, scope } from "@tsorch/tensor";
import { AdamW } from "@tsorch/optim";
import { BertConfig, BertForSequenceClassification, MarianConfig, MarianMTModel } from "../src/index.js";
import { row, torchTime } from "../../../tools/torch-reference.js";

// Shapes of examples/text-classification and examples/translation with their defaults (batch 32, hidden 128, FFN 512).
const B = 32;
const T = Number(process.env.SMALL_TRAIN_SEQ ?? 64); // text-classification's --max-length
const S = 32; // Multi30k sentences padded to the batch's longest (about 20–30 WordPiece tokens)
const V = 8000;
const STEPS = Number(process.env.SMALL_TRAIN_STEPS ?? 10);
const THREADS = Number(process.env.TSORCH_NUM_THREADS ?? 2);

/** Median wall and CPU (all threads of the process) milliseconds of one step over `STEPS` steps after 2 warm-up steps. */
async function measure(step: () => Promise<void> | void): Promise<{ wall: number; cpu: number }> {
  for (let i = 0; i < 2; i++) await step();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await step();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return { wall: med(walls), cpu: med(cpus) };
}

const report = (name: string, r: { wall: number; cpu: number }, theirs: number | null) => {
  console.log(row(`${name} wall (ms)`, r.wall, theirs === null ? null : theirs * 1000, "ms", false));
  console.log(`${name} CPU time (ms, all threads)`.padEnd(44) + ` ${r.cpu.toFixed(1).padStart(9)} ms`);
};

console.log(`small-model training steps, batch ${B}, ${THREADS} thread(s) (PyTorch: torch.set_num_threads(${THREADS})), load average ${(await import("node:os")).loadavg()[0].toFixed(2)}\n`);

{
  const config = new BertConfig({ vocabSize: V, hiddenSize: 128, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 512, maxPositionEmbeddings: T, hiddenDropoutProb: 0.1, numLabels: 2 });
  const model = new BertForSequenceClassification(config);
  model.train();
  const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
  const inputIds = randint(0, V, [B, T], { dtype: "int64" });
  const attentionMask = ones([B, T], { dtype: "int64" });
  const labels = randint(0, 2, [B], { dtype: "int64" });
  const r = await measure(() =>
    scope(() => {
      opt.zeroGrad();
      const { loss } = model.forward({ inputIds, attentionMask, labels });
      loss!.backward();
      opt.step();
    }),
  );
  const theirs = torchTime(
    `
import torch.nn as nn, torch.nn.functional as F
emb = nn.Embedding(${V}, 128); pos = nn.Embedding(${T}, 128); typ = nn.Embedding(2, 128); ln = nn.LayerNorm(128); drop = nn.Dropout(0.1)
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
    { iters: 1, repeats: STEPS, threads: THREADS },
  );
  report(`BERT 2L h128 train step ${B}x${T}`, r, theirs);
}

{
  const config = new MarianConfig({
    vocabSize: V, dModel: 128, encoderLayers: 2, decoderLayers: 2, encoderAttentionHeads: 4, decoderAttentionHeads: 4,
    encoderFfnDim: 512, decoderFfnDim: 512, maxPositionEmbeddings: 128, scaleEmbedding: true, activationFunction: "swish",
    dropout: 0.1, padTokenId: 0, decoderStartTokenId: 0, eosTokenId: 2,
  });
  const model = new MarianMTModel(config);
  model.train();
  const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
  const inputIds = randint(3, V, [B, S], { dtype: "int64" });
  const attentionMask = ones([B, S], { dtype: "int64" });
  const labels = randint(3, V, [B, S], { dtype: "int64" });
  const r = await measure(() =>
    scope(() => {
      opt.zeroGrad();
      const { loss } = model.forward({ inputIds, attentionMask, labels });
      loss!.backward();
      opt.step();
    }),
  );
  const theirs = torchTime(
    `
import torch.nn as nn, torch.nn.functional as F
emb = nn.Embedding(${V}, 128); pe = torch.randn(128, 128)
tr = nn.Transformer(128, 4, 2, 2, 512, 0.1, activation=F.silu, batch_first=True)
bias = torch.zeros(${V})
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
    { iters: 1, repeats: STEPS, threads: THREADS },
  );
  report(`Marian 2+2L d128 train step ${B}x${S}`, r, theirs);
}
