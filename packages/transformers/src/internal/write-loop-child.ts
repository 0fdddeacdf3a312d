// Child process of the kill -9 write test: rewrites a large safetensors file, a config-sized JSON file and a tokenizer.json in a loop (two alternating versions), to be killed with SIGKILL.

import { join } from "node:path";
import { full } from "@tsorch/tensor";
import { saveFile, writeFileAtomic } from "@tsorch/tensor/node";
import { Tokenizer, WordLevel } from "@tsorch/tokenizers";
import { save } from "@tsorch/tokenizers/node";

/** Elements of the big tensor: 8M float32 = 32 MB, so a kill often lands inside a write. */
const BIG = 8 * 1024 * 1024;

/** Writes version `v` (0 or 1) of the three files into `dir` with the project's writers. */
async function writeVersion(dir: string, v: number): Promise<void> {
  await saveFile({ w: full([BIG], v + 0.5), b: full([3], -v) }, join(dir, "model.safetensors"), { version: String(v) });
  writeFileAtomic(join(dir, "config.json"), JSON.stringify({ version: v, filler: "x".repeat(4_000_000 + v) }));
  const vocab: Record<string, number> = { "[UNK]": 0 };
  for (let i = 1; i < 200_000; i++) vocab[`tok${v}_${i}`] = i;
  save(new Tokenizer(new WordLevel({ vocab, unkToken: "[UNK]" })), join(dir, "tokenizer.json"));
}

const [mode, dir] = process.argv.slice(2);
if (mode === "reference") {
  await writeVersion(join(dir, "0"), 0);
  await writeVersion(join(dir, "1"), 1);
} else if (mode === "loop") {
  process.stdout.write("ready\n");
  for (let i = 0; ; i++) await writeVersion(dir, i % 2);
}
