// Atomic file replacement for every writer of the project (save_pretrained, tokenizer files, reports): temp file beside the target, fsync, rename.

import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The hidden temporary name a writer uses beside `path` (same folder, so the rename never crosses file systems). */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Writes `data` to `path` so that a reader (or a process killed mid-write) sees either the previous file or the whole
 * new one, never a part: the bytes go to a temporary file in the same folder, are flushed to disk, and the temporary
 * file is renamed over `path`. A missing folder is created (as `mkdir -p`); when that fails the error names it, not
 * the hidden temporary file. On any error the temporary file is removed.
 * @example
 * writeFileAtomic("out/config.json", JSON.stringify(config, null, 2));
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, caller = "writeFileAtomic"): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new Error(`${caller}: cannot create the directory ${JSON.stringify(dir)} for ${JSON.stringify(path)}: ${(e as Error).message}. Check the path and its permissions.`, { cause: e });
  }
  const temp = temporaryPathFor(path);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let ok = false;
  try {
    const fd = openSync(temp, "wx");
    try {
      let done = 0;
      while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
      // Flushed before the rename: after a crash the final name must never point at an empty or partial file.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    ok = true;
  } finally {
    if (!ok)
      try {
        unlinkSync(temp);
      } catch {
        // Nothing was created, or it is already gone.
      }
  }
}
