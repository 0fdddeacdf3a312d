// Examples' shared command-line pieces: the data-set folder beside the repository and numeric options checked as numbers.
import { join } from "node:path";

/** `../shared/datasets` beside the repository (the examples' `--data-dir` default). */
export const DEFAULT_DATA_DIR = join(import.meta.dirname, "..", "..", "..", "shared", "datasets");

/**
 * Reads a numeric option of `parseArgs`'s values, refusing anything that is not a non-negative number (`--steps abc`).
 * @example const num = numberOption(args); num("max-steps") // 1500
 */
export function numberOption<V extends Record<string, unknown>>(values: V): (name: keyof V & string) => number {
  return (name) => {
    const v = Number(values[name]);
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`--${name} must be a non-negative number, got ${JSON.stringify(values[name])}.`);
    return v;
  };
}
