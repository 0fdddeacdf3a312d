// @tsorch/tokenizers/node: file loading and saving on top of the core entry (the only place that imports node:fs).
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Tokenizer } from "../tokenizer.js";

export * from "../index.js";

/**
 * Loads a tokenizer.json (or tokenizer.json.gz) file.
 * @example
 * ```ts
 * import { fromFile } from "@tsorch/tokenizers/node";
 * const tok = fromFile("tokenizer.json");
 * ```
 */
export function fromFile(path: string): Tokenizer {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`fromFile: cannot read ${path}: ${(e as Error).message}`);
  }
  if (path.endsWith(".gz") || (buf[0] === 0x1f && buf[1] === 0x8b)) buf = gunzipSync(buf);
  return Tokenizer.fromString(buf.toString("utf8"));
}

/**
 * Writes a tokenizer as tokenizer.json.
 * @example
 * ```ts
 * save(tok, "out/tokenizer.json", true);
 * ```
 */
export function save(tokenizer: Tokenizer, path: string, pretty = false): void {
  writeFileSync(path, tokenizer.toString(pretty));
}
export { trainFromFiles, readLinesWithEnding } from "../trainers/train-from-files.js";
