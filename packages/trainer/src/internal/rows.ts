// Row access and default collation for the Trainer: arrays of rows or any dataset with a length and a row getter.

import { Tensor, fromTypedArray, stack } from "@tsorch/tensor";

/** One example: column name to value (number, array of numbers, tensor, string…). */
export type Row = Record<string, unknown>;

/** A batch as the model's forward takes it: HF's camelCase names to tensors. */
export type Batch = Record<string, Tensor>;

/**
 * What the Trainer reads examples from: an array of rows, or an object with a length (`length` or `numRows`) and a row
 * getter (`at`, `get` or `row`), as `@tsorch/trainer`'s Dataset offers.
 */
export type TrainerDataset =
  | readonly Row[]
  | { readonly length: number; at(i: number): Row; readonly columnNames?: readonly string[] }
  | { readonly numRows: number; row(i: number): Row; readonly columnNames?: readonly string[] }
  | { readonly length: number; get(i: number): Row; readonly columnNames?: readonly string[] };

/** A uniform view of a dataset: its size, a row getter and its columns. */
export interface RowSource {
  readonly size: number;
  row(i: number): Row;
  columns(): string[];
}

export function rowSource(ds: TrainerDataset, what: string): RowSource {
  const d = ds as unknown as Record<string, unknown>;
  let size: number, row: (i: number) => Row;
  if (Array.isArray(ds)) (size = ds.length), (row = (i) => ds[i] as Row);
  else if (typeof d.numRows === "number" && typeof d.row === "function") (size = d.numRows), (row = (i) => (d.row as (i: number) => Row).call(ds, i));
  else if (typeof d.length === "number" && typeof d.at === "function") (size = d.length), (row = (i) => (d.at as (i: number) => Row).call(ds, i));
  else if (typeof d.length === "number" && typeof d.get === "function") (size = d.length), (row = (i) => (d.get as (i: number) => Row).call(ds, i));
  else throw new TypeError(`Trainer: ${what} is neither an array of rows nor a dataset with a length and at(i)/get(i)/row(i).`);
  if (size === 0) throw new RangeError(`Trainer: ${what} is empty (0 rows); give it at least one example.`);
  const columns = (): string[] => (Array.isArray(d.columnNames) ? [...(d.columnNames as string[])] : Object.keys(row(0)));
  return { size, row, columns };
}

const isIntegral = (v: unknown): boolean => typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));

function flatten(v: unknown, out: unknown[], shape: number[], depth: number, col: string): void {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const a = v as ArrayLike<unknown>;
    if (shape.length <= depth) shape.push(a.length);
    else if (shape[depth] !== a.length)
      throw new RangeError(`Trainer default collator: column "${col}" has rows of different lengths (${shape[depth]} and ${a.length}); pad them with a collator such as DataCollatorWithPadding.`);
    for (let i = 0; i < a.length; i++) flatten(a[i], out, shape, depth + 1, col);
  } else out.push(v);
}

/**
 * Stacks each column of the rows into one tensor, as HF's `default_data_collator`: integers (and `labels`, `label`
 * of integers) become int64, other numbers float32; tensors are stacked; strings are dropped.
 */
export function defaultDataCollator(rows: Row[]): Batch {
  const out: Batch = {};
  for (const key of Object.keys(rows[0])) {
    const first = rows[0][key];
    if (first === null || first === undefined || typeof first === "string") continue;
    const name = key === "label" ? "labels" : key;
    if (first instanceof Tensor) {
      out[name] = stack(rows.map((r) => r[key] as Tensor));
      continue;
    }
    const flat: unknown[] = [];
    const shape: number[] = [];
    for (const r of rows) {
      const sub: number[] = [];
      flatten(r[key], flat, sub, 0, key);
      if (shape.length === 0) shape.push(...sub);
      else if (sub.join() !== shape.join())
        throw new RangeError(`Trainer default collator: column "${key}" has rows of shapes [${shape}] and [${sub}]; pad them with a collator such as DataCollatorWithPadding.`);
    }
    if (flat.length && typeof flat[0] === "string") continue;
    const ints = flat.every(isIntegral);
    const arr = ints ? BigInt64Array.from(flat, (x) => BigInt(x as number)) : Float32Array.from(flat as number[]);
    out[name] = fromTypedArray(arr, [rows.length, ...shape]);
  }
  return out;
}
