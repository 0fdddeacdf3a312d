// Turns a dataset column (numbers, booleans, bigints, or equal-length nested arrays of them) into a @tsorch/tensor Tensor, as datasets' "torch" format does.
import { tensor, type DType, type Tensor } from "@tsorch/tensor";

/** True when `v` is a number/bigint/boolean or a (nested) array of them. */
export function isNumeric(v: unknown): boolean {
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return true;
  if (ArrayBuffer.isView(v)) return true;
  return Array.isArray(v) && v.length > 0 && v.every(isNumeric);
}

function leaves(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (ArrayBuffer.isView(v)) out.push(...Array.from(v as unknown as ArrayLike<unknown>));
  else out.push(v);
}

/**
 * A column (or one value) as a tensor: integers become int64, other numbers float32, booleans bool, as
 * `datasets`' torch format. Ragged rows are an error that says to pad them (a collator does).
 * @example
 * ```ts
 * columnToTensor([[101, 7, 102], [101, 8, 102]], "input_ids").shape; // [2, 3]
 * ```
 */
export function columnToTensor(values: unknown, name: string, dtype?: DType): Tensor {
  const flat: unknown[] = [];
  leaves(values, flat);
  let d = dtype;
  if (!d) {
    if (flat.every((x) => typeof x === "boolean")) d = "bool";
    else if (flat.every((x) => typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x)))) d = "int64";
    else d = "float32";
  }
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => norm(x));
    if (typeof v === "bigint") return Number(v);
    if (v === null || v === undefined) {
      throw new TypeError(`column "${name}" holds a null value; fill or filter missing values before formatting it as tensors.`);
    }
    if (typeof v !== "number" && typeof v !== "boolean") throw new TypeError(`column "${name}" holds ${typeof v} values, which cannot become a tensor; leave it out of the format's columns.`);
    return v;
  };
  try {
    return tensor(norm(values) as Parameters<typeof tensor>[0], { dtype: d });
  } catch (e) {
    throw new RangeError(`column "${name}": rows of different lengths cannot stack into one tensor (${(e as Error).message}); pad them first, e.g. with DataCollatorWithPadding.`);
  }
}
