// @tsorch/tokenizers/node: file loading and saving on top of the core entry (the only place that imports node:fs).
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { readWithNode, registerFileReader } from "../internal/file-reader.js";
import { Tokenizer } from "../tokenizer.js";

// Tokenizer.fromFile uses these imports on every Node version (the core entry alone needs process.getBuiltinModule).
registerFileReader((path) => readWithNode(path, fs, zlib, "Tokenizer.fromFile"));

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
  return Tokenizer.fromString(readWithNode(path, fs, zlib, "fromFile"));
}

/**
 * Writes a tokenizer as tokenizer.json.
 * @example
 * ```ts
 * save(tok, "out/tokenizer.json", true);
 * ```
 */
export function save(tokenizer: Tokenizer, path: string, pretty = false): void {
  fs.writeFileSync(path, tokenizer.toString(pretty));
}
export { trainFromFiles, readLinesWithEnding } from "../trainers/train-from-files.js";
export { TokenizerPool, encodeBatchParallel, type TokenizerPoolOptions, type PoolEncodeOptions, type PoolInput } from "./tokenizer-pool.js";
