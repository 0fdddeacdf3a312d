// Loads a dataset folder — a local copy or a Hugging Face cache snapshot (datasets--owner--name/snapshots/<rev>) — into splits of Datasets, reading Parquet, JSON Lines, JSON, CSV and TSV files.
import { readdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join, relative, sep } from "node:path";
import { Dataset } from "./dataset.js";
import { datasetFromParquet, type ParquetOptions } from "./parquet.js";

const EXTS = [".parquet", ".jsonl", ".json", ".csv", ".tsv"];
const SPLIT_NAMES: Array<[RegExp, string]> = [
  [/^(train|training)$/, "train"],
  [/^(validation|valid|val|dev)$/, "validation"],
  [/^(test|testing)$/, "test"],
];

/**
 * Split of a data file from its path, as the Hub's data-files conventions: a path part or file-name prefix named
 * train / validation (valid, val, dev) / test; otherwise "train".
 * @example splitOfPath("data/validation-00000-of-00001.parquet") // "validation"
 */
export function splitOfPath(path: string): string {
  const parts = path.split(/[\\/]/);
  for (let i = parts.length - 1; i >= 0; i--) {
    const words = parts[i].replace(/\.[^.]*$/, "").split(/[-_.\s]/);
    for (const w of words) for (const [re, name] of SPLIT_NAMES) if (re.test(w.toLowerCase())) return name;
  }
  return "train";
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if ((e.isFile() || e.isSymbolicLink()) && EXTS.some((x) => e.name.toLowerCase().endsWith(x))) out.push(p);
  }
}

/**
 * The snapshot folder of a dataset in the Hugging Face cache (`$HF_HUB_CACHE`, else `$HF_HOME/hub`, else
 * `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`, as huggingface_hub resolves it):
 * `datasets--owner--name/snapshots/<commit of refs/<revision>>`.
 * @example await hfCacheDatasetSnapshot("stanfordnlp/imdb") // ".../datasets--stanfordnlp--imdb/snapshots/e6281661…"
 */
export async function hfCacheDatasetSnapshot(repoId: string, opts: { cacheDir?: string; revision?: string } = {}): Promise<string> {
  const home = process.env.HF_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "huggingface");
  const cache = opts.cacheDir ?? process.env.HF_HUB_CACHE ?? join(home, "hub");
  const repoDir = join(cache, `datasets--${repoId.split("/").join("--")}`);
  const revision = opts.revision ?? "main";
  let commit = revision;
  try {
    commit = (await readFile(join(repoDir, "refs", revision), "utf8")).trim();
  } catch {
    // a commit hash was given, or refs are missing: try it as a snapshot name
  }
  const snap = join(repoDir, "snapshots", commit);
  try {
    await stat(snap);
  } catch {
    throw new Error(
      `hfCacheDatasetSnapshot: dataset "${repoId}" at revision "${revision}" is not in the cache (${snap} missing); download it first (the Hub download is not wired into @tsorch/trainer yet) or pass cacheDir.`,
    );
  }
  return snap;
}

/**
 * Loads every data file under a folder into splits (`{ train, validation, test }` by path, see `splitOfPath`),
 * concatenating the files of a split in sorted path order. Works on an HF cache snapshot folder (symlinks are
 * followed). Downloading from the Hub is not done here: fetch the files (as `@tsorch/transformers` does for
 * models) and point this at the snapshot.
 * @example
 * ```ts
 * const { train, test } = await loadDatasetFolder(await hfCacheDatasetSnapshot("stanfordnlp/imdb"));
 * ```
 */
export async function loadDatasetFolder(dir: string, opts: ParquetOptions & { splits?: string[] } = {}): Promise<Record<string, Dataset>> {
  const files: string[] = [];
  try {
    await walk(dir, files);
  } catch (e) {
    throw new Error(`loadDatasetFolder: cannot read folder ${dir} (${(e as Error).message}); pass a dataset folder or snapshot path.`);
  }
  files.sort();
  if (files.length === 0) throw new Error(`loadDatasetFolder: no ${EXTS.join("/")} files under ${dir}; point it at the folder holding the data files.`);
  const bySplit = new Map<string, Dataset[]>();
  for (const f of files) {
    const rel = relative(dir, f).split(sep).join("/");
    const split = splitOfPath(rel);
    if (opts.splits && !opts.splits.includes(split)) continue;
    const lower = f.toLowerCase();
    let ds: Dataset;
    if (lower.endsWith(".parquet")) ds = await datasetFromParquet(await readFile(f), { ...opts, source: f });
    else {
      const text = await readFile(f, "utf8");
      if (lower.endsWith(".jsonl")) ds = Dataset.fromJsonl(text, f);
      else if (lower.endsWith(".json")) ds = jsonFile(text, f);
      else ds = Dataset.fromCsv(text, { delimiter: lower.endsWith(".tsv") ? "\t" : "," }, f);
    }
    if (!bySplit.has(split)) bySplit.set(split, []);
    bySplit.get(split)!.push(ds);
  }
  const out: Record<string, Dataset> = {};
  for (const [split, parts] of bySplit) out[split] = concatenateDatasets(parts);
  return out;
}

function jsonFile(text: string, source: string): Dataset {
  const t = text.trimStart();
  if (!t.startsWith("[") && !t.startsWith("{")) return Dataset.fromJsonl(text, source);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return Dataset.fromJsonl(text, source);
  }
  if (Array.isArray(v)) return Dataset.fromList(v as Array<Record<string, unknown>>);
  const o = v as Record<string, unknown>;
  const data = Array.isArray(o.data) ? o.data : null;
  if (data) return Dataset.fromList(data as Array<Record<string, unknown>>);
  if (Object.values(o).every(Array.isArray)) return Dataset.fromDict(o as Record<string, unknown[]>);
  throw new TypeError(`${source}: a JSON file must hold a list of rows, {"data": [rows]}, or {column: values[]}.`);
}

/**
 * Rows of several datasets one after another (same columns, any order), as `concatenate_datasets`.
 * @example concatenateDatasets([a, b]).numRows === a.numRows + b.numRows
 */
export function concatenateDatasets(parts: readonly Dataset[]): Dataset {
  if (parts.length === 0) throw new RangeError("concatenateDatasets: no datasets given.");
  const names = parts[0].columnNames;
  parts.forEach((p, i) => {
    const ok = p.columnNames.length === names.length && names.every((n) => p.columnNames.includes(n));
    if (!ok) throw new RangeError(`concatenateDatasets: dataset ${i} has columns ${p.columnNames.join(", ")} but dataset 0 has ${names.join(", ")}; align them first.`);
  });
  const cols: Record<string, unknown[]> = {};
  for (const n of names) cols[n] = parts.flatMap((p) => p.column(n));
  return new Dataset(cols);
}
