// Test helper: locates the tokenizer fixtures, loads tokenizers (gunzipping .gz), and compares encodings with golden lines.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { Tokenizer } from "../tokenizer.js";

/** Root of the tokenizer fixtures, or null (with the reason) when absent. */
export function fixturesRoot(): { root: string | null; reason: string; required: boolean } {
  const env = process.env.TSORCH_FIXTURES;
  if (env) return { root: join(env, "tokenizers"), reason: "", required: true };
  const here = dirname(fileURLToPath(import.meta.url));
  const repoRoot = resolve(here, "../../../..");
  const p = resolve(repoRoot, "../shared/fixtures/tokenizers");
  if (existsSync(p)) return { root: p, reason: "", required: false };
  return { root: null, reason: `no fixtures at ${p} and TSORCH_FIXTURES is not set`, required: false };
}

/** Names of the tokenizer folders that have a tokenizer.json(.gz). */
export function tokenizerNames(root: string): string[] {
  const dir = join(root, "tokenizers");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => existsSync(join(dir, n, "tokenizer.json")) || existsSync(join(dir, n, "tokenizer.json.gz")))
    .sort();
}

/** Text of a tokenizer's file. */
export function readTokenizerJSON(root: string, name: string): string {
  const p = join(root, "tokenizers", name, "tokenizer.json");
  if (existsSync(p)) return readFileSync(p, "utf8");
  return gunzipSync(readFileSync(p + ".gz")).toString("utf8");
}

export function loadTokenizer(root: string, name: string): Tokenizer {
  return Tokenizer.fromString(readTokenizerJSON(root, name));
}

/** Parsed golden lines of `goldens/<name>/<file>`, or [] if missing. */
export function readGoldens(root: string, name: string, file: string): Array<Record<string, unknown>> {
  const p = join(root, "goldens", name, file);
  if (!existsSync(p)) return [];
  return readFileSync(p, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Golden fields compared, when present in a line. */
export const GOLDEN_FIELDS = ["ids", "tokens", "offsets", "special_tokens_mask", "type_ids", "attention_mask", "ids_no_special", "decoded", "decoded_skip_special", "overflowing"] as const;

/** Our value for each golden field of one line. */
export function actualFields(tok: Tokenizer, g: Record<string, unknown>): Record<string, unknown> {
  const text = g.text as string;
  const pair = "text_pair" in g ? (g.text_pair as string) : null;
  const enc = tok.encode(text, pair, { addSpecialTokens: true });
  const noSpecial = tok.encode(text, pair, { addSpecialTokens: false });
  return {
    ids: enc.ids,
    tokens: enc.tokens,
    offsets: enc.offsets,
    special_tokens_mask: enc.specialTokensMask,
    type_ids: enc.typeIds,
    attention_mask: enc.attentionMask,
    ids_no_special: noSpecial.ids,
    decoded: tok.decode(enc.ids, { skipSpecialTokens: false }),
    decoded_skip_special: tok.decode(enc.ids, { skipSpecialTokens: true }),
    overflowing: enc.overflowing.length,
  };
}

/** Fields of a golden line that differ from ours (empty when the line matches). */
export function diffLine(tok: Tokenizer, g: Record<string, unknown>): string[] {
  let actual: Record<string, unknown>;
  try {
    actual = actualFields(tok, g);
  } catch (e) {
    return [`threw: ${(e as Error).message}`];
  }
  const bad: string[] = [];
  for (const f of GOLDEN_FIELDS) {
    if (!(f in g)) continue;
    if (JSON.stringify(actual[f]) !== JSON.stringify(g[f])) bad.push(f);
  }
  return bad;
}
