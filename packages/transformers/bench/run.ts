// Benchmarks of @tsorch/transformers beside PyTorch: BERT-base forward, a GPT-2-124M training step, cached generation, loading memory.
//
// Models are built from configs (no checkpoint download). PyTorch runs the same shapes with torch.nn layers (Python's
// transformers is not installable here), one thread, in the same run. BENCH_QUICK=1 shrinks the shapes for a smoke run.
import "tsorch";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backends, manualSeed, randint, scope, setNumThreads, tensor } from "tsorch";
import { AdamW } from "@tsorch/optim";
import { noGrad } from "@tsorch/autograd";
import { BertConfig, BertModel, GPT2Config, GPT2LMHeadModel } from "../src/index.js";
import { torchTime } from "../../../tools/torch-reference.js";

const quick = process.env.BENCH_QUICK === "1";
setNumThreads(1);
const row = (name: string, ours: number, torch: number | null, unit = "ms") =>
  console.log(`${name.padEnd(46)} ${ours.toFixed(1).padStart(9)} ${unit}   PyTorch ${torch === null ? "n/a" : `${(torch * 1000).toFixed(1).padStart(9)} ${unit}   ratio ${(ours / (torch * 1000)).toFixed(2)}`}`);

function timeMs(fn: () => void, iters: number): number {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) fn();
  return (performance.now() - t0) / iters;
}

console.log(`backends: ${JSON.stringify(backends())}`);
const layers = quick ? 2 : 12;

// ---- BERT-base forward ------------------------------------------------------------------------------------------
{
  manualSeed(0);
  const bert = new BertModel(new BertConfig({ numHiddenLayers: layers })).eval();
  for (const [b, t] of [[1, 128], [8, 128]] as const) {
    const ids = randint(0, 30522, [b, t]);
    const ms = noGrad(() => timeMs(() => scope(() => void bert.forward({ inputIds: ids }).lastHiddenState.dataSync()), quick ? 1 : 3));
    const py = torchTime(
      `import torch.nn as nn\nemb = nn.Embedding(30522, 768)\nenc = nn.TransformerEncoder(nn.TransformerEncoderLayer(768, 12, 3072, 0.0, activation="gelu", batch_first=True), ${layers}).eval()\nids = torch.randint(0, 30522, (${b}, ${t}))`,
      "with torch.no_grad():\n    enc(emb(ids))",
      { iters: quick ? 1 : 3, repeats: 3 },
    );
    row(`BERT-base forward ${b}x${t} (${layers} layers)`, ms, py);
  }
}

// ---- GPT-2-124M training step ------------------------------------------------------------------------------------
{
  manualSeed(0);
  const cfg = new GPT2Config({ nLayer: layers, residPdrop: 0, embdPdrop: 0, attnPdrop: 0 });
  const gpt = new GPT2LMHeadModel(cfg).train();
  const opt = new AdamW(gpt.parameters(), { lr: 1e-4 });
  const ids = randint(0, 50257, [4, 128]);
  const ms = timeMs(
    () =>
      scope(() => {
        opt.zeroGrad();
        const { loss } = gpt.forward({ inputIds: ids, labels: ids });
        loss!.backward();
        opt.step();
        loss!.itemSync();
      }),
    1,
  );
  const py = torchTime(
    `import torch.nn as nn\nclass G(nn.Module):\n    def __init__(s):\n        super().__init__(); s.wte = nn.Embedding(50257, 768); s.wpe = nn.Embedding(1024, 768)\n        s.h = nn.TransformerEncoder(nn.TransformerEncoderLayer(768, 12, 3072, 0.0, activation="gelu", batch_first=True, norm_first=True), ${layers}); s.ln = nn.LayerNorm(768)\n    def forward(s, x):\n        m = torch.nn.Transformer.generate_square_subsequent_mask(x.shape[1])\n        h = s.ln(s.h(s.wte(x) + s.wpe(torch.arange(x.shape[1])), mask=m)); return h @ s.wte.weight.T\ng = G(); opt = torch.optim.AdamW(g.parameters(), lr=1e-4); ids = torch.randint(0, 50257, (4, 128))`,
    "opt.zero_grad()\nlogits = g(ids)\nloss = torch.nn.functional.cross_entropy(logits[:, :-1].reshape(-1, 50257), ids[:, 1:].reshape(-1))\nloss.backward()\nopt.step()",
    { iters: 1, repeats: 2 },
  );
  row(`GPT-2-124M train step 4x128 (${layers} layers)`, ms, py);
  gpt.dispose();
}

// ---- generation with and without the cache -------------------------------------------------------------------------
{
  manualSeed(0);
  const small = new GPT2LMHeadModel(new GPT2Config({ nEmbd: 256, nLayer: 4, nHead: 4, nPositions: 512 })).eval();
  const prompt = tensor([[1, 2, 3, 4, 5, 6, 7, 8]], { dtype: "int64" });
  for (const n of quick ? [32] : [32, 256]) {
    for (const useCache of [true, false]) {
      const t0 = performance.now();
      await small.generate(prompt, { maxNewTokens: n, useCache, eosTokenId: -1 });
      const s = (performance.now() - t0) / 1000;
      console.log(`${`generate ${n} tokens, GPT-2-shaped (256 wide, 4 layers), cache ${useCache ? "on " : "off"}`.padEnd(62)} ${(n / s).toFixed(1)} tokens/s  (${((s * 1000) / n).toFixed(2)} ms/token)`);
    }
  }
}

// ---- loading memory ---------------------------------------------------------------------------------------------
{
  const dir = mkdtempSync(join(tmpdir(), "tsorch-load-bench-"));
  try {
    manualSeed(0);
    const big = new BertModel(new BertConfig({ numHiddenLayers: layers }));
    const bytes = big.numParameters() * 4;
    await big.savePretrained(dir);
    big.dispose();
    const child = `import("@tsorch/transformers").then(async ({ BertModel }) => { const before = process.memoryUsage().rss; const m = await BertModel.fromPretrained(${JSON.stringify(dir)}); console.log(JSON.stringify({ peak: process.resourceUsage().maxRSS * 1024, before, params: m.numParameters() })); })`;
    const out = execFileSync(process.execPath, ["--conditions=@tsorch/source", "--import", "tsx", "-e", child], { encoding: "utf8" });
    const r = JSON.parse(out.trim().split("\n").pop()!) as { peak: number; before: number };
    console.log(`loading a ${(bytes / 1e6).toFixed(0)} MB BERT checkpoint: peak RSS ${(r.peak / 1e6).toFixed(0)} MB, ${((r.peak - r.before) / bytes).toFixed(2)}x the weights above the process's start`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
