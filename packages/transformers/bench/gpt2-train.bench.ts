// GPT-2-124M-shaped training step (forward with labels, backward, AdamW) at batch 4x128, beside PyTorch's same-shaped model.
import { randint, scope } from "@tsorch/tensor";
import { AdamW } from "@tsorch/optim";
import { GPT2Config, GPT2LMHeadModel } from "../src/index.js";
import { row, timeIt, torchTime } from "../../../tools/torch-reference.js";

const B = 4;
const T = 128;
const config = new GPT2Config(); // HF's defaults: gpt2 (12 layers, n_embd 768, 12 heads, vocab 50257, 1024 positions)
const model = new GPT2LMHeadModel(config);
model.train();
const opt = new AdamW(model.parameters(), { lr: 1e-4, weightDecay: 0.01 });
console.log(`GPT2LMHeadModel from GPT2Config(): ${model.numParameters()} parameters, one training step at ${B}x${T} (CPU backend, one thread) vs PyTorch 1 thread\n`);

// PyTorch has no transformers here: the same compute written with torch.nn (pre-LN blocks, fused qkv, gelu tanh, tied head, shifted CE).
const torchSetup = `
import torch.nn as nn, torch.nn.functional as F
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln1 = nn.LayerNorm(768); s.attn = nn.Linear(768, 2304); s.proj = nn.Linear(768, 768)
        s.ln2 = nn.LayerNorm(768); s.fc = nn.Linear(768, 3072); s.out = nn.Linear(3072, 768)
    def forward(s, x):
        B, T, C = x.shape
        q, k, v = s.attn(s.ln1(x)).split(768, 2)
        q, k, v = [t.view(B, T, 12, 64).transpose(1, 2) for t in (q, k, v)]
        w = (q @ k.transpose(-1, -2)) / 8.0
        w = w.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), torch.finfo(torch.float32).min).softmax(-1)
        x = x + s.proj((w @ v).transpose(1, 2).reshape(B, T, C))
        return x + s.out(F.gelu(s.fc(s.ln2(x)), approximate="tanh"))
class GPT(nn.Module):
    def __init__(s):
        super().__init__(); s.wte = nn.Embedding(50257, 768); s.wpe = nn.Embedding(1024, 768)
        s.h = nn.ModuleList([Block() for _ in range(12)]); s.ln_f = nn.LayerNorm(768)
    def forward(s, ids):
        x = s.wte(ids) + s.wpe.weight[: ids.shape[1]]
        for b in s.h: x = b(x)
        logits = s.ln_f(x) @ s.wte.weight.t()
        return F.cross_entropy(logits[:, :-1].reshape(-1, 50257), ids[:, 1:].reshape(-1))
m = GPT(); opt = torch.optim.AdamW(m.parameters(), lr=1e-4, weight_decay=0.01)
ids = torch.randint(0, 50257, (${B}, ${T}))
def step():
    opt.zero_grad(); m(ids).backward(); opt.step()`;

const ids = randint(0, config.vocabSize, [B, T], { dtype: "int64" });
const secs = await timeIt(
  () =>
    scope(() => {
      opt.zeroGrad();
      const { loss } = model.forward({ inputIds: ids, labels: ids });
      loss!.backward();
      opt.step();
    }),
  { iters: 1, repeats: 1, warmup: 1 },
);
const theirs = torchTime(torchSetup, "step()", { iters: 1, repeats: 1 });
console.log(row(`GPT-2 124M train step ${B}x${T} (tokens/s)`, (B * T) / secs, theirs === null ? null : (B * T) / theirs, "tok/s", true));
console.log(row(`GPT-2 124M train step ${B}x${T} (s)`, secs, theirs, "s", false));
ids.dispose();
