// Benchmark input: finds the tokenizer fixtures and builds a few-MB text from the fixture corpora (texts repeated in order).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** Root of the tokenizer fixtures (`$TSORCH_FIXTURES/tokenizers` or `<repo>/../shared/fixtures/tokenizers`), or null. */
export function findFixtures(): string | null {
  const env = process.env.TSORCH_FIXTURES;
  if (env) return join(env, "tokenizers");
  const here = dirname(fileURLToPath(import.meta.url));
  const p = resolve(here, "../../../../shared/fixtures/tokenizers");
  return existsSync(join(p, "corpus", "single.jsonl")) ? p : null;
}

/** tokenizer.json text of a fixture tokenizer (gunzips .json.gz), or null when absent. */
export function readTokenizerFile(root: string, name: string): string | null {
  const p = join(root, "tokenizers", name, "tokenizer.json");
  if (existsSync(p)) return readFileSync(p, "utf8");
  if (existsSync(p + ".gz")) return gunzipSync(readFileSync(p + ".gz")).toString("utf8");
  return null;
}

/** Parsed tokenizer_config.json of a fixture tokenizer, or {} (what @huggingface/tokenizers takes as its second argument). */
export function readTokenizerConfig(root: string, name: string): Record<string, unknown> {
  const p = join(root, "tokenizers", name, "tokenizer_config.json");
  return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as Record<string, unknown>) : {};
}

/** Every text of the corpus files (single texts, then both sides of each pair), in file order. */
export function corpusTexts(root: string): string[] {
  const out: string[] = [];
  for (const f of ["single.jsonl", "pairs.jsonl"]) {
    const p = join(root, "corpus", f);
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, "utf8").split("\n")) {
      if (line.trim().length === 0) continue;
      const o = JSON.parse(line) as { text?: string; a?: string; b?: string };
      for (const t of [o.text, o.a, o.b]) if (typeof t === "string" && t.length > 0) out.push(t);
    }
  }
  return out;
}

/** The corpus texts repeated until they hold at least `bytes` UTF-8 bytes; each text is one "line" to encode. */
export function buildLines(texts: string[], bytes: number): { lines: string[]; bytes: number } {
  const lines: string[] = [];
  let total = 0;
  while (total < bytes) {
    for (const t of texts) {
      lines.push(t);
      total += Buffer.byteLength(t, "utf8");
    }
  }
  return { lines, bytes: total };
}
