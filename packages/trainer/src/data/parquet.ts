// Parquet input for Dataset through hyparquet (a maintained pure-JS reader: snappy built in; other codecs via its `compressors` option).
import { Dataset, type DatasetRow } from "./dataset.js";

/** Options of `datasetFromParquet`. */
export interface ParquetOptions {
  /** Only these columns. */
  columns?: string[];
  /** hyparquet decompressors by codec name (e.g. from `hyparquet-compressors`) for files not using snappy or none. */
  compressors?: Record<string, (input: Uint8Array, outputLength: number) => Uint8Array>;
  /** Name used in error messages (a path). */
  source?: string;
}

function plain(v: unknown): unknown {
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object" && !(v instanceof Date) && !ArrayBuffer.isView(v)) {
    const o: DatasetRow = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    return o;
  }
  return v;
}

/**
 * Reads a Parquet file's bytes into a Dataset (INT64 values that fit become numbers, as datasets gives Python ints).
 * In Node, read the file with `fs.readFile` (or use `loadDatasetFolder`).
 * @example
 * ```ts
 * const ds = await datasetFromParquet(await readFile("train-00000-of-00001.parquet"));
 * ```
 */
export async function datasetFromParquet(bytes: ArrayBuffer | Uint8Array, opts: ParquetOptions = {}): Promise<Dataset> {
  const file =
    bytes instanceof Uint8Array ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer) : bytes;
  const { parquetReadObjects, parquetMetadata, parquetSchema } = await import("hyparquet");
  const source = opts.source ?? "parquet";
  let rows: DatasetRow[];
  let names: string[];
  try {
    const meta = parquetMetadata(file);
    names = parquetSchema(meta).children.map((c) => c.element.name);
    rows = (await parquetReadObjects({ file, columns: opts.columns, compressors: opts.compressors as never, metadata: meta })) as DatasetRow[];
  } catch (e) {
    throw new Error(`${source}: could not read Parquet (${(e as Error).message}); check the file is Parquet and, for zstd/gzip/brotli/lz4, pass compressors from hyparquet-compressors.`);
  }
  const cols = opts.columns ?? names;
  for (const c of cols) if (!names.includes(c)) throw new RangeError(`${source}: no column "${c}"; the file has ${names.join(", ")}.`);
  const out: Record<string, unknown[]> = {};
  for (const c of cols) out[c] = rows.map((r) => plain(r[c] ?? null));
  return new Dataset(out);
}
