// Examples' shared command-line pieces: the data-set folder beside the repository and numeric options checked as numbers.
import { join } from "node:path";

/** `../shared/datasets` beside the repository (the examples' `--data-dir` default). */
export const DEFAULT_DATA_DIR = join(import.meta.dirname, "..", "..", "..", "shared", "datasets");

/**
 * The options the training examples share, with one meaning and default: where the data sets are, slices for quick
 * runs, the progress bar, the live page, and texts for the saved pipeline to answer after the run.
 * @example parseArgs({ strict: true, options: { ...EXAMPLE_OPTIONS, batch: { type: "string", default: "32" } } })
 */
export const EXAMPLE_OPTIONS = {
  "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
  "train-limit": { type: "string", default: "0" },
  "eval-limit": { type: "string", default: "0" },
  quiet: { type: "boolean", default: false },
  serve: { type: "boolean", default: false },
  ask: { type: "string", multiple: true },
} as const;

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
