import { Tokenizer } from "@tsorch/tokenizers";
import { buildLines, corpusTexts, findFixtures, readTokenizerFile } from "./corpus.js";
const root = findFixtures()!;
const name = process.argv[2] ?? "gpt2";
const tok = Tokenizer.fromString(readTokenizerFile(root, name)!);
const texts = corpusTexts(root);
const { lines, bytes } = buildLines(texts, Number(process.env.MB ?? 3) * 1e6);
for (const l of texts) tok.encode(l);
for (let r = 0; r < 3; r++) {
  const c0 = process.cpuUsage();
  for (const l of lines) tok.encode(l);
  const c = process.cpuUsage(c0);
  const dt = (c.user + c.system) / 1e6;
  console.log(name, (bytes / 1e6 / dt).toFixed(2), "MB/s");
}
