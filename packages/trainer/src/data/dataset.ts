// Dataset: an immutable table of named columns with Hugging Face datasets' map / filter / shuffle / select / trainTestSplit and a tensor output format.
import { Generator, randperm, type DType } from "@tsorch/tensor";
import { parseCsv, type CsvOptions } from "./csv.js";
import { parseJsonl } from "./jsonl.js";
import { columnToTensor, isNumeric } from "./to-tensor.js";

/** One row: column name to value. */
export type DatasetRow = Record<string, unknown>;
/** A batch: column name to the values of several rows. */
export type ColumnBatch = Record<string, unknown[]>;

/** Output format, as `datasets`' `set_format`: plain values, or tensors for the chosen (numeric) columns. */
export interface DatasetFormat {
  type: "tensor" | null;
  /** Columns to return (others dropped unless `outputAllColumns`); default all. */
  columns?: string[];
  outputAllColumns?: boolean;
  /** Tensor dtype per column, overriding the inferred one (int64 / float32 / bool). */
  dtypes?: Record<string, DType>;
}

/** Options of `Dataset.map`. */
export interface MapOptions {
  /** Call `fn` on batches (`{column: values[]}`) instead of rows; it may return more or fewer rows. */
  batched?: boolean;
  /** Rows per batch when `batched` (default 1000, as datasets). */
  batchSize?: number;
  /** Columns to drop from the input before merging `fn`'s output. */
  removeColumns?: string[];
}

/**
 * A table of rows with named columns, stored by column. Every transform returns a new Dataset.
 * @example
 * ```ts
 * const ds = Dataset.fromList([{ text: "good", label: 1 }, { text: "bad", label: 0 }]);
 * const enc = ds.map((b) => ({ length: b.text.map((t) => String(t).length) }), { batched: true });
 * enc.columnNames; // ["text", "label", "length"]
 * const { train, test } = enc.shuffle({ seed: 42 }).trainTestSplit({ testSize: 0.5, seed: 0 });
 * ```
 */
export class Dataset {
  readonly #cols: ColumnBatch;
  readonly #n: number;
  readonly format: DatasetFormat;

  constructor(columns: ColumnBatch, format: DatasetFormat = { type: null }) {
    const names = Object.keys(columns);
    const n = names.length ? columns[names[0]].length : 0;
    for (const nm of names) {
      if (!Array.isArray(columns[nm])) throw new TypeError(`Dataset: column "${nm}" is not an array; pass {column: values[]}.`);
      if (columns[nm].length !== n) {
        throw new RangeError(`Dataset: column "${nm}" has ${columns[nm].length} values but "${names[0]}" has ${n}; every column needs one value per row.`);
      }
    }
    this.#cols = columns;
    this.#n = n;
    this.format = format;
  }

  /** From a list of row objects (columns: the union of keys in first-seen order; missing values null). @example Dataset.fromList([{ a: 1 }, { a: 2 }]) */
  static fromList(rows: readonly DatasetRow[]): Dataset {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
    const cols: ColumnBatch = {};
    for (const k of names) cols[k] = rows.map((r) => (k in r ? r[k] : null));
    return new Dataset(cols);
  }

  /** From columns `{name: values[]}`, as `Dataset.from_dict`. @example Dataset.fromDict({ text: ["a", "b"], label: [0, 1] }) */
  static fromDict(columns: ColumnBatch): Dataset {
    return new Dataset({ ...columns });
  }

  /** From JSON Lines text. @example Dataset.fromJsonl('{"a":1}\n{"a":2}\n') */
  static fromJsonl(text: string, source?: string): Dataset {
    return Dataset.fromList(parseJsonl(text, source));
  }

  /** From CSV text (`{ delimiter: "\t" }` for TSV). @example Dataset.fromCsv("text,label\nhi,1\n") */
  static fromCsv(text: string, opts?: CsvOptions, source?: string): Dataset {
    return new Dataset(parseCsv(text, opts, source));
  }

  /** Number of rows. */
  get numRows(): number {
    return this.#n;
  }

  get length(): number {
    return this.#n;
  }

  /** Column names in order. */
  get columnNames(): string[] {
    return Object.keys(this.#cols);
  }

  /** All values of one column (plain values, whatever the format). @example ds.column("label") */
  column(name: string): unknown[] {
    const c = this.#cols[name];
    if (!c) throw new RangeError(`Dataset: no column "${name}"; columns are ${this.columnNames.join(", ") || "(none)"}.`);
    return c;
  }

  #checkIndex(i: number, op: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.#n) throw new RangeError(`Dataset.${op}: index ${i} is out of range for ${this.#n} rows.`);
  }

  /** One row as plain values (ignoring the format). @example ds.row(0) */
  row(i: number): DatasetRow {
    this.#checkIndex(i, "row");
    const r: DatasetRow = {};
    for (const k of this.columnNames) r[k] = this.#cols[k][i];
    return r;
  }

  /** Rows `indices` as plain columns. @example ds.batch([0, 1]).text */
  batch(indices: readonly number[]): ColumnBatch {
    const out: ColumnBatch = {};
    for (const i of indices) this.#checkIndex(i, "batch");
    for (const k of this.columnNames) out[k] = indices.map((i) => this.#cols[k][i]);
    return out;
  }

  /** One row in the current format (tensors for formatted columns). @example ds.withFormat({ type: "tensor" }).get(0) */
  get(i: number): Record<string, unknown> {
    return this.#formatted(this.batch([i]), true);
  }

  /** Rows in the current format: with `type: "tensor"` each formatted column is stacked into one tensor. @example ds.getBatch([0, 1, 2]) */
  getBatch(indices: readonly number[]): Record<string, unknown> {
    return this.#formatted(this.batch(indices), false);
  }

  #formatted(b: ColumnBatch, single: boolean): Record<string, unknown> {
    const f = this.format;
    const cols = f.columns ?? this.columnNames;
    const out: Record<string, unknown> = {};
    for (const k of this.columnNames) {
      const chosen = cols.includes(k);
      if (!chosen && !f.outputAllColumns) continue;
      const vals = single ? b[k][0] : b[k];
      if (f.type === "tensor" && chosen && b[k].every(isNumeric)) out[k] = columnToTensor(vals, k, f.dtypes?.[k]);
      else out[k] = vals;
    }
    return out;
  }

  /** A copy with another output format, as `with_format` (`setFormat` returns the same). @example ds.withFormat({ type: "tensor", columns: ["input_ids", "label"] }) */
  withFormat(format: DatasetFormat): Dataset {
    for (const c of format.columns ?? []) this.column(c);
    return new Dataset(this.#cols, { ...format });
  }

  /** Alias of `withFormat` (datasets' `set_format` mutates; here datasets are immutable). @example ds = ds.setFormat({ type: "tensor" }) */
  setFormat(format: DatasetFormat): Dataset {
    return this.withFormat(format);
  }

  /** Back to plain values. @example ds.resetFormat() */
  resetFormat(): Dataset {
    return new Dataset(this.#cols);
  }

  *[Symbol.iterator](): IterableIterator<Record<string, unknown>> {
    for (let i = 0; i < this.#n; i++) yield this.format.type === null ? this.row(i) : this.get(i);
  }

  /**
   * Applies `fn` to every row (or batch of rows with `batched`), merging what it returns into the columns (new
   * names added, same names replaced), as `Dataset.map`. A batched `fn` may change the row count, then every
   * input column it keeps must be removed or returned. `fn` also gets the row index (or the batch's row indices),
   * as `with_indices=True` gives. The type argument (inferred from `fn`'s parameter, e.g. `(b: { text: string[] })`)
   * states the column types the caller knows; like Python's, it is not checked against the data.
   * @example
   * ```ts
   * ds.map((b: { text: string[] }) => tokenizerBatch(b.text), { batched: true, removeColumns: ["text"] });
   * ```
   */
  map<B extends ColumnBatch = ColumnBatch>(fn: (batch: B, indices: number[]) => Record<string, unknown[]> | void, opts: MapOptions & { batched: true }): Dataset;
  map<R extends DatasetRow = DatasetRow>(fn: (row: R, index: number) => Record<string, unknown> | void, opts?: MapOptions & { batched?: false }): Dataset;
  map(fn: (rowOrBatch: never, index: never) => Record<string, unknown> | void, opts: MapOptions = {}): Dataset {
    const call = fn as unknown as (x: unknown, i: unknown) => Record<string, unknown> | void;
    const remove = new Set(opts.removeColumns ?? []);
    for (const r of remove) this.column(r);
    const keep = this.columnNames.filter((k) => !remove.has(k));
    const pieces: ColumnBatch[] = [];
    const size = opts.batched ? Math.max(1, opts.batchSize ?? 1000) : 1;
    for (let s = 0; s < Math.max(this.#n, 0); s += size) {
      const idx = Array.from({ length: Math.min(size, this.#n - s) }, (_, j) => s + j);
      const input = this.batch(idx);
      const out = opts.batched ? call(input, idx) : call(this.row(s), s);
      const merged: ColumnBatch = {};
      const outB: ColumnBatch = {};
      if (out) for (const [k, v] of Object.entries(out)) outB[k] = opts.batched ? (v as unknown[]) : [v];
      const outNames = Object.keys(outB);
      let rows = idx.length;
      if (outNames.length) {
        rows = outB[outNames[0]]?.length ?? 0;
        for (const k of outNames) {
          if (!Array.isArray(outB[k]) || outB[k].length !== rows) {
            throw new RangeError(`Dataset.map: batch at row ${s}: output column "${k}" must be an array with ${rows} values like "${outNames[0]}".`);
          }
        }
      }
      for (const k of keep) {
        if (k in outB) continue;
        if (rows !== idx.length) {
          throw new RangeError(
            `Dataset.map: batch at row ${s} returned ${rows} rows from ${idx.length}, but column "${k}" was neither returned nor removed; pass removeColumns: ${JSON.stringify(keep.filter((c) => !(c in outB)))}.`,
          );
        }
        merged[k] = input[k];
      }
      Object.assign(merged, outB);
      pieces.push(merged);
    }
    const names = pieces.length ? Object.keys(pieces[0]) : keep;
    const cols: ColumnBatch = {};
    for (const k of names) cols[k] = pieces.flatMap((p) => p[k] ?? []);
    return new Dataset(cols, this.#keptFormat(names));
  }

  #keptFormat(names: string[]): DatasetFormat {
    const f = this.format;
    return f.columns ? { ...f, columns: f.columns.filter((c) => names.includes(c)) } : f;
  }

  /**
   * Keeps rows where `fn` is true (`batched`: `fn` gets a batch and returns one boolean per row).
   * @example ds.filter((r) => r.label !== -1)
   */
  filter<B extends ColumnBatch = ColumnBatch>(fn: (batch: B, indices: number[]) => boolean[], opts: { batched: true; batchSize?: number }): Dataset;
  filter<R extends DatasetRow = DatasetRow>(fn: (row: R, index: number) => boolean, opts?: { batched?: false }): Dataset;
  filter(fn: (rowOrBatch: never, index: never) => boolean | boolean[], opts: { batched?: boolean; batchSize?: number } = {}): Dataset {
    const call = fn as unknown as (x: unknown, i: unknown) => boolean | boolean[];
    const keep: number[] = [];
    if (opts.batched) {
      const size = Math.max(1, opts.batchSize ?? 1000);
      for (let s = 0; s < this.#n; s += size) {
        const idx = Array.from({ length: Math.min(size, this.#n - s) }, (_, j) => s + j);
        const mask = call(this.batch(idx), idx) as boolean[];
        if (!Array.isArray(mask) || mask.length !== idx.length) {
          throw new RangeError(`Dataset.filter: a batched predicate must return ${idx.length} booleans for the batch at row ${s}.`);
        }
        idx.forEach((i, j) => mask[j] && keep.push(i));
      }
    } else for (let i = 0; i < this.#n; i++) if (call(this.row(i), i)) keep.push(i);
    return this.select(keep);
  }

  /** The rows at `indices`, in that order (repeats allowed). @example ds.select([0, 2, 4]) */
  select(indices: Iterable<number>): Dataset {
    const idx = [...indices];
    return new Dataset(this.batch(idx), this.format);
  }

  /**
   * The rows in a seeded random order. Algorithm (stable across platforms and releases): the permutation is
   * `randperm(numRows)` of `@tsorch/tensor` with a `Generator` seeded with `seed` — Philox uniform keys, argsorted.
   * The same seed always gives the same order; it is not numpy's order, so Python and TypeScript runs differ.
   * @example ds.shuffle({ seed: 42 })
   */
  shuffle(opts: { seed?: number; generator?: Generator } = {}): Dataset {
    return this.select(this.#permutation(opts.generator ?? new Generator(opts.seed ?? 0)));
  }

  #permutation(g: Generator): number[] {
    if (this.#n === 0) return [];
    const p = randperm(this.#n, { generator: g, dtype: "int32", device: "cpu" });
    const out = Array.from(p.dataSync() as Int32Array);
    p.dispose();
    return out;
  }

  /**
   * Splits into `{ train, test }`, as `train_test_split`: `testSize` / `trainSize` are fractions (0..1) or row
   * counts; test gets `ceil(testSize * n)` rows for a fraction; rows are shuffled first (seeded) unless `shuffle: false`.
   * @example const { train, test } = ds.trainTestSplit({ testSize: 0.2, seed: 42 })
   */
  trainTestSplit(opts: { testSize?: number; trainSize?: number; shuffle?: boolean; seed?: number } = {}): { train: Dataset; test: Dataset } {
    const n = this.#n;
    const count = (v: number, what: string, round: (x: number) => number) => {
      if (!(v > 0) || (v >= 1 && !Number.isInteger(v)) || (v >= 1 && v >= n)) {
        throw new RangeError(`Dataset.trainTestSplit: ${what}=${v} must be a fraction in (0, 1) or a row count below ${n}.`);
      }
      return v < 1 ? round(v * n) : v;
    };
    let nTest: number;
    let nTrain: number;
    if (opts.testSize !== undefined) {
      nTest = count(opts.testSize, "testSize", Math.ceil);
      nTrain = opts.trainSize !== undefined ? count(opts.trainSize, "trainSize", Math.floor) : n - nTest;
    } else if (opts.trainSize !== undefined) {
      nTrain = count(opts.trainSize, "trainSize", Math.floor);
      nTest = n - nTrain;
    } else {
      nTest = Math.ceil(0.25 * n);
      nTrain = n - nTest;
    }
    if (nTrain + nTest > n || nTrain === 0 || nTest === 0) {
      throw new RangeError(`Dataset.trainTestSplit: ${nTrain} train + ${nTest} test rows do not fit in ${n} rows with both non-empty; change the sizes.`);
    }
    const order = opts.shuffle === false ? Array.from({ length: n }, (_, i) => i) : this.#permutation(new Generator(opts.seed ?? 0));
    return { train: this.select(order.slice(0, nTrain)), test: this.select(order.slice(nTrain, nTrain + nTest)) };
  }

  /** Without these columns. @example ds.removeColumns(["text"]) */
  removeColumns(names: string[]): Dataset {
    for (const k of names) this.column(k);
    const cols: ColumnBatch = {};
    for (const k of this.columnNames) if (!names.includes(k)) cols[k] = this.#cols[k];
    return new Dataset(cols, this.#keptFormat(Object.keys(cols)));
  }

  /** Only these columns, in this order. @example ds.selectColumns(["input_ids", "label"]) */
  selectColumns(names: string[]): Dataset {
    const cols: ColumnBatch = {};
    for (const k of names) cols[k] = this.column(k);
    return new Dataset(cols, this.#keptFormat(names));
  }

  /** With column `from` renamed `to`. @example ds.renameColumn("label", "labels") */
  renameColumn(from: string, to: string): Dataset {
    this.column(from);
    if (to !== from && to in this.#cols) throw new RangeError(`Dataset.renameColumn: column "${to}" already exists; remove it first.`);
    const cols: ColumnBatch = {};
    for (const k of this.columnNames) cols[k === from ? to : k] = this.#cols[k];
    const f = this.format.columns ? { ...this.format, columns: this.format.columns.map((c) => (c === from ? to : c)) } : this.format;
    return new Dataset(cols, f);
  }

  /** All rows as plain objects. @example ds.toList() */
  toList(): DatasetRow[] {
    return Array.from({ length: this.#n }, (_, i) => this.row(i));
  }

  /** Columns as `{name: values[]}` (shared arrays: do not mutate). @example ds.toDict() */
  toDict(): ColumnBatch {
    return { ...this.#cols };
  }
}
