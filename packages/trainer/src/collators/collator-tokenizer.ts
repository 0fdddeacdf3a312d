// The tokenizer shape collators need (a structural subset of Hugging Face's PreTrainedTokenizer) and the padding they share (tokenizer.pad's rules).
import { tensor, type Tensor } from "@tsorch/tensor";

/**
 * What a collator needs from a tokenizer: the fields of Hugging Face's `PreTrainedTokenizer` (camelCased), as the
 * `@tsorch/transformers` tokenizer offers them. Only `padTokenId` is required; a tokenizer with its own `pad`
 * (same contract as `padFeatures`) is used for the padding.
 * - `padTokenId`: id written into padded `inputIds` (null: the collator refuses to pad).
 * - `paddingSide`: "right" (default) or "left".
 * - `modelInputNames`: the tokenizer's input names (`input_ids`, `attention_mask`, …); informative here, the
 *   padding rules are by column name.
 * - `padTokenTypeId`: value for padded `tokenTypeIds` (default 0).
 * - `maskTokenId`, `length` (vocabulary size with added tokens, `len(tokenizer)`) and `allSpecialIds`: masked LM.
 */
export interface CollatorTokenizer {
  readonly padTokenId: number | null;
  readonly paddingSide?: "left" | "right";
  readonly modelInputNames?: readonly string[];
  readonly padTokenTypeId?: number;
  readonly maskTokenId?: number | null;
  readonly length?: number;
  readonly allSpecialIds?: readonly number[];
  pad?(features: Feature[], opts: PadOptions): Record<string, unknown[]>;
}

/** One example as a tokenizer returns it: `inputIds` (or `input_ids`), masks, labels, anything else. */
export type Feature = Record<string, unknown>;
/** Collated tensors keyed as the models' forward takes them (`inputIds`, `attentionMask`, `labels`, …). */
export type TensorBatch = Record<string, Tensor>;

/** Padding options, as HF's `tokenizer.pad(padding=…, max_length=…, pad_to_multiple_of=…)`. */
export interface PadOptions {
  /** true / "longest" (default): to the longest; "max_length": to `maxLength`; false / "do_not_pad". */
  padding?: boolean | "longest" | "max_length" | "do_not_pad";
  maxLength?: number;
  padToMultipleOf?: number;
}

/** camelCase of a snake_case column name (`input_ids` → `inputIds`); `label` / `label_ids` become `labels`, as HF's collators rename them. */
export function batchKey(name: string): string {
  if (name === "label" || name === "label_ids" || name === "labelIds") return "labels";
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Pad value of the token-level columns `padFeatures` pads (by camelCased name); others are left alone. */
function padValueOf(key: string, tok: CollatorTokenizer): number | undefined {
  switch (key) {
    case "inputIds":
      if (tok.padTokenId === null || tok.padTokenId === undefined) {
        throw new RangeError("collator: padding needs tokenizer.padTokenId, and it is null; set a pad token (e.g. the EOS token) on the tokenizer.");
      }
      return tok.padTokenId;
    case "attentionMask":
      return 0;
    case "tokenTypeIds":
      return tok.padTokenTypeId ?? 0;
    case "specialTokensMask":
      return 1;
    default:
      return undefined;
  }
}

/** Target length for sequences of lengths `lens` under `opts`, or null for no padding. */
export function padLength(lens: number[], opts: PadOptions, what = "collator"): number | null {
  const p = opts.padding ?? true;
  if (p === false || p === "do_not_pad") return null;
  let len: number;
  if (p === "max_length") {
    if (opts.maxLength === undefined) throw new RangeError(`${what}: padding "max_length" needs maxLength.`);
    len = opts.maxLength;
  } else len = Math.max(0, ...lens);
  const m = opts.padToMultipleOf;
  if (m !== undefined && m > 0 && len % m !== 0) len = (Math.floor(len / m) + 1) * m;
  return len;
}

/** `row` padded with `value` to `len` on `side`. */
export function padRow<T>(row: readonly T[], len: number, value: T, side: "left" | "right"): T[] {
  if (row.length >= len) return [...row];
  const fill = new Array<T>(len - row.length).fill(value);
  return side === "left" ? [...fill, ...row] : [...row, ...fill];
}

/**
 * Columns of `features` with the token-level ones padded as `tokenizer.pad` does: `inputIds` with `padTokenId`,
 * `attentionMask` with 0 (created from the lengths when missing), `tokenTypeIds` with `padTokenTypeId`,
 * `specialTokensMask` with 1, on `paddingSide`. Keys come out camelCased; other columns are passed through.
 * @example
 * ```ts
 * padFeatures([{ input_ids: [5, 6, 7] }, { input_ids: [8] }], { padTokenId: 0 });
 * // { inputIds: [[5, 6, 7], [8, 0, 0]], attentionMask: [[1, 1, 1], [1, 0, 0]] }
 * ```
 */
export function padFeatures(features: readonly Feature[], tok: CollatorTokenizer, opts: PadOptions = {}): Record<string, unknown[]> {
  if (features.length === 0) throw new RangeError("collator: no features to collate; a batch needs at least one example.");
  if (tok.pad) return tok.pad([...features], opts);
  const cols: Record<string, unknown[]> = {};
  for (const f of features) {
    for (const k of Object.keys(f)) {
      const key = batchKey(k);
      if (!(key in cols)) cols[key] = [];
    }
  }
  features.forEach((f, i) => {
    for (const k of Object.keys(f)) cols[batchKey(k)][i] = f[k];
  });
  for (const [k, v] of Object.entries(cols)) {
    if (v.length !== features.length || v.some((x) => x === undefined)) {
      throw new RangeError(`collator: column "${k}" is missing from some examples; every example needs the same columns.`);
    }
  }
  const ids = cols.inputIds as number[][] | undefined;
  if (!ids) return cols;
  if (!cols.attentionMask) cols.attentionMask = ids.map((r) => r.map(() => 1));
  const len = padLength(ids.map((r) => r.length), opts);
  if (len === null) return cols;
  const side = tok.paddingSide ?? "right";
  for (const key of Object.keys(cols)) {
    const pv = padValueOf(key, tok);
    if (pv === undefined) continue;
    cols[key] = (cols[key] as unknown[][]).map((r, i) => {
      if (!Array.isArray(r) && !ArrayBuffer.isView(r)) throw new TypeError(`collator: "${key}" of example ${i} is not a list of ids.`);
      return padRow(Array.from(r as ArrayLike<number>), len, pv, side);
    });
  }
  return cols;
}

const isInt = (v: unknown): boolean => typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));

function leaves(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else out.push(v);
}

/**
 * Padded columns as tensors: integers int64, other numbers float32; strings and ragged columns (that no rule
 * padded) are an error naming the column, since the model cannot take them.
 * @example
 * ```ts
 * toTensorBatch({ inputIds: [[5, 6], [7, 0]], labels: [1, 0] }).inputIds.shape; // [2, 2]
 * ```
 */
export function toTensorBatch(cols: Record<string, unknown[]>, what = "collator"): TensorBatch {
  const out: TensorBatch = {};
  for (const [k, v] of Object.entries(cols)) {
    const flat: unknown[] = [];
    leaves(v, flat);
    if (flat.some((x) => typeof x !== "number" && typeof x !== "bigint" && typeof x !== "boolean")) {
      throw new TypeError(`${what}: column "${k}" holds non-numeric values; remove it from the dataset (e.g. dataset.removeColumns(["${k}"])) before collating.`);
    }
    const norm = (x: unknown): unknown => (Array.isArray(x) ? x.map(norm) : typeof x === "bigint" ? Number(x) : x);
    try {
      out[k] = tensor(norm(v) as Parameters<typeof tensor>[0], { dtype: flat.every(isInt) ? "int64" : "float32" });
    } catch (e) {
      throw new RangeError(`${what}: column "${k}" has rows of different lengths and no padding rule (${(e as Error).message}); pad it or remove it.`);
    }
  }
  return out;
}
