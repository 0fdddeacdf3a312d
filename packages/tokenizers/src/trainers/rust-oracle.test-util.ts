// Test support for the trainer tests: finds the fixture corpus and loads the Rust library (npm `tokenizers`) as an oracle, or says why not.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as RustTokenizers from "tokenizers";

export type Oracle = typeof RustTokenizers;

const explicit = process.env.TSORCH_FIXTURES;
const fixturesRoot = explicit ?? fileURLToPath(new URL("../../../../../shared/fixtures", import.meta.url));
/** The single-text corpus of the tokenizer fixtures. */
export const corpusPath = join(fixturesRoot, "tokenizers", "corpus", "single.jsonl");
/** The pairs corpus, used as held-out text. */
export const pairsPath = join(fixturesRoot, "tokenizers", "corpus", "pairs.jsonl");
/** True when TSORCH_FIXTURES is set: a missing fixture must then fail, not skip. */
export const fixturesRequired = explicit !== undefined;
/** Why fixture tests skip (null when the corpus is there or fixtures are required). */
export const fixtureSkipReason =
  existsSync(corpusPath) || fixturesRequired ? null : `no corpus at ${corpusPath} (set TSORCH_FIXTURES to the fixtures folder)`;

let oracleError: string | null = null;
let oracle: Oracle | null = null;
try {
  oracle = createRequire(import.meta.url)("tokenizers") as Oracle;
} catch (e) {
  oracleError = `the npm package tokenizers@0.23.2 (Rust oracle) cannot load: ${(e as Error).message.split("\n")[0]}`;
}
/** The Rust library, or null (then {@link oracleSkipReason} says why). */
export const rust: Oracle | null = oracle;
export const oracleSkipReason: string | null = oracleError;

/** Texts of a corpus JSONL file (field `text`, or `a` and `b` for pairs). */
export function readCorpusTexts(path: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line) as { text?: string; a?: string; b?: string };
    for (const t of [row.text, row.a, row.b]) if (typeof t === "string") out.push(t);
  }
  return out;
}

/** Writes texts one per line ("\n"-joined, final "\n") to a fresh temp file; returns its path. */
export function writeCorpusFile(texts: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "tsorch-trainers-"));
  const path = join(dir, "corpus.txt");
  writeFileSync(path, texts.join("\n") + "\n");
  return path;
}

/** Saves a Rust tokenizer and returns its tokenizer.json as an object. */
export function rustJson(tokenizer: RustTokenizers.Tokenizer): RustTokenizerJson {
  const dir = mkdtempSync(join(tmpdir(), "tsorch-trainers-"));
  const path = join(dir, "tokenizer.json");
  tokenizer.save(path);
  return JSON.parse(readFileSync(path, "utf8")) as RustTokenizerJson;
}

/** The parts of a saved tokenizer.json the trainer tests read. */
export interface RustTokenizerJson {
  model: {
    type: string;
    vocab: Record<string, number> | Array<[string, number]>;
    merges?: Array<[string, string] | string>;
    unk_id?: number | null;
    continuing_subword_prefix?: string | null;
  };
  added_tokens: Array<{ id: number; content: string; special: boolean }>;
}

/** A merge as a pair whether serialized as ["a", "b"] or "a b". */
export function mergePair(m: [string, string] | string): [string, string] {
  if (Array.isArray(m)) return m;
  const i = m.indexOf(" ");
  return [m.slice(0, i), m.slice(i + 1)];
}

/**
 * Rust assigns ids to "##c" tokens in hash order of the words. Given its vocabulary, reorders
 * `wordCounts` so that visiting words in map order introduces those tokens in the same order.
 */
export function orderWordsLikeRust(wordCounts: ReadonlyMap<string, number>, rustVocab: Record<string, number>, prefix: string, alphabetSize: number): Map<string, number> {
  const introduced = Object.entries(rustVocab)
    .filter(([, id]) => id >= alphabetSize)
    .sort((a, b) => a[1] - b[1])
    .map(([t]) => t);
  const order: string[] = [];
  for (const t of introduced) {
    if (t.startsWith(prefix) && Array.from(t.slice(prefix.length)).length === 1) order.push(t);
    else break;
  }
  const remaining = new Map(wordCounts);
  const seen = new Set<string>();
  const out = new Map<string, number>();
  let k = 0;
  const intro = (w: string): string[] => {
    const cs = Array.from(w);
    const got: string[] = [];
    for (let j = 1; j < cs.length; j++) {
      const t = prefix + cs[j];
      if (!seen.has(t) && !got.includes(t)) got.push(t);
    }
    return got;
  };
  while (k < order.length) {
    let found: string | undefined;
    for (const [w] of remaining) {
      const got = intro(w);
      if (got.length > 0 && got.every((t, j) => order[k + j] === t)) {
        found = w;
        break;
      }
    }
    if (found === undefined) throw new Error(`cannot reproduce Rust's order of ${prefix}-tokens at ${order[k]}`);
    for (const t of intro(found)) {
      seen.add(t);
      k++;
    }
    out.set(found, remaining.get(found) ?? 0);
    remaining.delete(found);
  }
  for (const [w, n] of remaining) out.set(w, n);
  return out;
}

/**
 * Pieces only in one of two Unigram vocabularies. Rust's E-step sums floats in a hash order that
 * changes from run to run, so a near-tie (expected count at the 0.5 threshold, pruning loss) can
 * in principle flip; the fixture-driven tests allow 0.5% of such pieces and log the exact count.
 */
export function pieceDifference(ours: ReadonlyArray<readonly [string, number]>, theirs: ReadonlyArray<readonly [string, number]>): { onlyOurs: string[]; onlyTheirs: string[]; allowed: number } {
  const a = new Set(ours.map(([p]) => p));
  const b = new Set(theirs.map(([p]) => p));
  return {
    onlyOurs: [...a].filter((p) => !b.has(p)),
    onlyTheirs: [...b].filter((p) => !a.has(p)),
    allowed: Math.max(2, Math.floor(b.size * 0.005)),
  };
}
