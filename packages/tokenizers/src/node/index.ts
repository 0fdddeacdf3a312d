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
 * Writes a tokenizer as tokenizer.json, atomically: a temporary file in the same folder, flushed, then renamed over
 * `path`, so a reader or a killed process never sees half a file (this package depends on nothing, so it does not
 * share `@tsorch/tensor/node`'s `writeFileAtomic`).
 * @example
 * ```ts
 * save(tok, "out/tokenizer.json", true);
 * ```
 */
export function save(tokenizer: Tokenizer, path: string, pretty = false): void {
  const text = tokenizer.toString(pretty);
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const temp = `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const dir = slash < 0 ? "." : path.slice(0, slash) || "/";
  if (!fs.existsSync(dir)) throw new Error(`save: cannot write ${JSON.stringify(path)}: the directory ${JSON.stringify(dir)} does not exist. Create it first.`);
  let ok = false;
  try {
    const fd = fs.openSync(temp, "wx");
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, path);
    ok = true;
  } finally {
    if (!ok) fs.rmSync(temp, { force: true });
  }
}
export { trainFromFiles, readLinesWithEnding } from "../trainers/train-from-files.js";
export { TokenizerPool, encodeBatchParallel, type TokenizerPoolOptions, type PoolEncodeOptions, type PoolInput } from "./tokenizer-pool.js";
