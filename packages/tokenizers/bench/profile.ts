// Profiling harness: encodes the bench input with one of our tokenizers only (no other libraries loaded), for `node --cpu-prof`.
// Usage: npx tsx --conditions=@tsorch/source bench/profile.ts gpt2   (MB=3 sets the input size)
import { Tokenizer } from "@tsorch/tokenizers";
import { buildLines, corpusTexts, findFixtures, readTokenizerFile } from "./corpus.js";

const root = findFixtures();
const name = process.argv[2] ?? "gpt2";
const json = root === null ? null : readTokenizerFile(root, name);
if (root === null || json === null) {
  console.log(`profile skipped: no fixtures or no tokenizer ${name}`);
} else {
  const tok = Tokenizer.fromString(json);
  const texts = corpusTexts(root);
  const { lines, bytes } = buildLines(texts, Number(process.env.MB ?? 3) * 1e6);
  for (const l of texts) tok.encode(l);
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage();
    for (const l of lines) tok.encode(l);
    const c = process.cpuUsage(c0);
    console.log(`${name}: ${(bytes / 1e6 / ((c.user + c.system) / 1e6)).toFixed(2)} MB/s (CPU time)`);
  }
}
