// The browser example: a word-level tokenizer and a tiny embedding + linear model, run on WebGPU when the browser has it, else on the CPU.
import { Tokenizer } from "@tsorch/tokenizers";
import * as torch from "tsorch";
import { registerWebGPU } from "@tsorch/backend-webgpu";

const { nn } = torch;

/** A small tokenizer.json (WordLevel over a whitespace split), as a Hugging Face file would hold it. */
const VOCAB = ["[UNK]", "the", "cat", "sat", "on", "mat", "dog", "a"];
const tokenizer = Tokenizer.fromJSON({
  version: "1.0",
  added_tokens: [{ id: 0, content: "[UNK]", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
  normalizer: { type: "Lowercase" },
  pre_tokenizer: { type: "WhitespaceSplit" },
  model: { type: "WordLevel", vocab: Object.fromEntries(VOCAB.map((w, i) => [w, i])), unk_token: "[UNK]" },
});

/** Next-word logits from an embedding and a projection back to the vocabulary (seeded: the same numbers every run). */
class TinyLM extends nn.Module {
  readonly embed: InstanceType<typeof nn.Embedding>;
  readonly head: InstanceType<typeof nn.Linear>;
  constructor(vocab: number, dim: number) {
    super();
    this.embed = this.registerModule("embed", new nn.Embedding(vocab, dim));
    this.head = this.registerModule("head", new nn.Linear(dim, vocab));
  }
  forward(ids: torch.Tensor): torch.Tensor {
    return this.head.forward(this.embed.forward(ids)); // [T, V]
  }
}

async function run(text: string): Promise<string> {
  const device = (await registerWebGPU().catch(() => null)) ? "webgpu" : "cpu";
  torch.manualSeed(0);
  const model = new TinyLM(VOCAB.length, 16).to(device);
  const enc = tokenizer.encode(text);
  const ids = torch.tensor(enc.ids, { dtype: "int64", device }); // [T]
  const logits = torch.noGrad(() => model.forward(ids)); // [T, V]
  const next = (await logits.argmax(-1).tolist()) as number[];
  return [
    `device: ${device}`,
    `tokens: ${JSON.stringify(enc.tokens)}`,
    `ids: ${JSON.stringify(enc.ids)}`,
    `logits: [${logits.shape.join(", ")}]`,
    `predicted next words (untrained): ${JSON.stringify(next.map((i) => VOCAB[i]))}`,
  ].join("\n");
}

const out = document.getElementById("out")!;
const input = document.getElementById("text") as HTMLInputElement;
const go = async (): Promise<void> => {
  try {
    out.textContent = await run(input.value);
    out.dataset.done = "ok";
  } catch (e) {
    out.textContent = `error: ${(e as Error).message}`;
    out.dataset.done = "error";
  }
};
document.getElementById("run")!.addEventListener("click", () => void go());
void go();
