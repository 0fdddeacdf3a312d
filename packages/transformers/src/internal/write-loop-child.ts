// Child process of the kill -9 write test: rewrites a large safetensors file, a config-sized JSON file and a tokenizer.json in a loop (two alternating versions), to be killed with SIGKILL.

import { join } from "node:path";
import { full } from "@tsorch/tensor";
import { saveFile, writeFileAtomic } from "@tsorch/tensor/node";
import { Tokenizer, WordLevel } from "@tsorch/tokenizers";
import { save } from "@tsorch/tokenizers/node";

/** Elements of the big tensor: 8M float32 = 32 MB, so a kill often lands inside a write. */
const BIG = 8 * 1024 * 1024;

/** The two versions of the three files' contents, built once so that the loop below does nothing but write. */
function contents(v: number) {
  const vocab: Record<string, number> = { "[UNK]": 0 };
  for (let i = 1; i < 200_000; i++) vocab[`tok${v}_${i}`] = i;
  return {
    tensors: { w: full([BIG], v + 0.5), b: full([3], -v) },
    json: JSON.stringify({ version: v, filler: "x".repeat(4_000_000 + v) }),
    tokenizer: new Tokenizer(new WordLevel({ vocab, unkToken: "[UNK]" })),
  };
}

/** Writes version `v` of the three files into `dir` with the project's writers. */
async function writeVersion(dir: string, v: number, c: ReturnType<typeof contents>): Promise<void> {
  await saveFile(c.tensors, join(dir, "model.safetensors"), { version: String(v) });
  writeFileAtomic(join(dir, "config.json"), c.json);
  save(c.tokenizer, join(dir, "tokenizer.json"));
}

const [mode, dir] = process.argv.slice(2);
const versions = [contents(0), contents(1)];
if (mode === "reference") {
  await writeVersion(join(dir, "0"), 0, versions[0]);
  await writeVersion(join(dir, "1"), 1, versions[1]);
} else if (mode === "loop") {
  process.stdout.write("ready\n");
  for (let i = 0; ; i++) await writeVersion(dir, i % 2, versions[i % 2]);
}
