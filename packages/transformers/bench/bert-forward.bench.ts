// BERT-base-shaped forward (12 layers, hidden 768, built from a config) at 8x128 and 1x128, beside PyTorch's same-shaped encoder.
import { noGrad } from "@tsorch/autograd";
import { randint, scope } from "@tsorch/tensor";
import { BertConfig, BertModel } from "../src/index.js";
import { row, timeIt, torchTime } from "../../../tools/torch-reference.js";

const config = new BertConfig(); // HF's defaults: bert-base (12 layers, hidden 768, 12 heads, intermediate 3072)
const model = new BertModel(config);
model.eval();
console.log(`BertModel from BertConfig(): ${config.numHiddenLayers} layers, hidden ${config.hiddenSize}, ${config.numAttentionHeads} heads (CPU backend, one thread) vs PyTorch 1 thread\n`);

// PyTorch has no transformers here: the same compute as BERT's encoder with torch.nn (post-norm layers, GELU, embeddings + LayerNorm).
const torchSetup = (b: number, t: number) => `
import torch.nn as nn
torch.set_grad_enabled(False)
emb = nn.Embedding(30522, 768); pos = nn.Embedding(512, 768); ln = nn.LayerNorm(768)
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(768, 12, 3072, 0.1, activation="gelu", batch_first=True), 12, enable_nested_tensor=False).eval()
pool = nn.Linear(768, 768)
ids = torch.randint(0, 30522, (${b}, ${t}))
def fwd():
    h = enc(ln(emb(ids) + pos.weight[:${t}]))
    return torch.tanh(pool(h[:, 0]))`;

for (const [b, t, repeats] of [[1, 128, 2], [8, 128, 1]] as const) {
  const ids = randint(0, config.vocabSize, [b, t], { dtype: "int64" });
  const secs = await timeIt(() => noGrad(() => scope(() => void model.forward({ inputIds: ids }))), { iters: 1, repeats, warmup: b === 1 ? 1 : 0 });
  const theirs = torchTime(torchSetup(b, t), "fwd()", { iters: 1, repeats });
  console.log(row(`BERT-base forward ${b}x${t} (tokens/s)`, (b * t) / secs, theirs === null ? null : (b * t) / theirs, "tok/s", true));
  console.log(row(`BERT-base forward ${b}x${t} (ms)`, secs * 1000, theirs === null ? null : theirs * 1000, "ms", false));
  ids.dispose();
}
