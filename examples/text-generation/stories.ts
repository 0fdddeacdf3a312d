// Text generation from a real trained model: stories260k (a tiny Llama trained on TinyStories) through AutoModelForCausalLM and pipeline, streamed.
//
// Usage: pnpm example:text-generation [--prompt "Lily and Tom"] [--max-new-tokens 120] [--sample --temperature 0.8 --top-p 0.9 --seed 42] [--model <folder>]
import "tsorch";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { manualSeed, tensor } from "@tsorch/tensor";
import { AutoModelForCausalLM, AutoTokenizer, streamText } from "@tsorch/transformers";

const { values: args } = parseArgs({
  strict: true,
  options: {
    model: { type: "string", default: join(import.meta.dirname, "..", "..", "..", "shared", "pretrained", "stories260k") },
    prompt: { type: "string", default: "Once upon a time" },
    "max-new-tokens": { type: "string", default: "120" },
    sample: { type: "boolean", default: false },
    temperature: { type: "string", default: "0.8" },
    "top-p": { type: "string", default: "0.9" },
    seed: { type: "string", default: "42" },
  },
});
const maxNewTokens = Number(args["max-new-tokens"]);
if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new RangeError(`--max-new-tokens must be a positive integer, got ${JSON.stringify(args["max-new-tokens"])}.`);

const started = Date.now();
const tok = await AutoTokenizer.fromPretrained(args.model!);
const model = await AutoModelForCausalLM.fromPretrained(args.model!);
const ids = tensor([tok.encode(args.prompt!)], { dtype: "int64" });
manualSeed(Number(args.seed));
process.stdout.write(args.prompt!);
let tokens = 0;
for await (const piece of streamText(model, tok, ids, {
  maxNewTokens,
  doSample: args.sample,
  temperature: Number(args.temperature),
  topP: Number(args["top-p"]),
  onTokens: () => void tokens++,
}))
  process.stdout.write(piece);
const seconds = (Date.now() - started) / 1000;
process.stdout.write("\n");
console.log(JSON.stringify({ task: "text-generation", model: "stories260k", new_tokens: tokens, tokens_per_second: Math.round(tokens / seconds), sampled: args.sample }));
