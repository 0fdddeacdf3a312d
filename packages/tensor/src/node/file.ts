// safetensors files on disk (Python's safetensors.torch.load_file / save_file); saving is atomic (temp file + rename).

import { mkdir, open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { Tensor } from "../tensor.js";
import { setOwn } from "../safetensors/internal/own.js";
import { namedTensors, type SafetensorsTensors } from "../safetensors/tensors.js";
import { planSafetensors, safetensorsBytesOf, type SafetensorsMetadata } from "../safetensors/write.js";
import { safeOpen, type SafeOpenOptions } from "./safe-open.js";
import { temporaryPathFor } from "./write-file-atomic.js";

/**
 * Loads every tensor of a safetensors file, as `safetensors.torch.load_file(path, device)`. Reads tensor by
 * tensor, so memory peaks at the tensors themselves, not the file plus the tensors.
 * @example
 * const state = await loadFile("checkpoints/model.safetensors");
 * Object.keys(state); // ["bert.embeddings.word_embeddings.weight", ...]
 */
export async function loadFile(path: string, options: SafeOpenOptions = {}): Promise<Record<string, Tensor>> {
  const file = await safeOpen(path, options);
  try {
    const out: Record<string, Tensor> = {};
    for (const name of file.offsetKeys()) setOwn(out, name, await file.getTensor(name));
    return out;
  } finally {
    await file.close();
  }
}

/**
 * Saves tensors to a safetensors file, as `safetensors.torch.save_file(tensors, path, metadata)`: the same
 * bytes as Python. Writes a temporary file beside `path` and renames it over `path`, so readers never see a
 * half-written file; reads one tensor at a time off its device. A missing parent directory is created (as
 * `mkdir -p`); if that fails, the error names the directory given, not the hidden temporary file.
 * @example
 * await saveFile({ w: tensor([[1, 2], [3, 4]]) }, "out/model.safetensors", { format: "pt" });
 */
export async function saveFile(tensors: SafetensorsTensors, path: string, metadata?: SafetensorsMetadata): Promise<void> {
  const named = namedTensors(tensors);
  const plan = planSafetensors(
    named.map(([name, tensor]) => ({ name, dtype: tensor.dtype, shape: tensor.shape, tensor })),
    metadata,
  );
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new Error(
      `saveFile: cannot create the directory ${JSON.stringify(dir)} for ${JSON.stringify(path)}: ${(e as Error).message}. ` +
        "Check the path and its permissions.",
      { cause: e },
    );
  }
  const temp = temporaryPathFor(path);
  const handle = await open(temp, "wx");
  let ok = false;
  try {
    await writeAll(handle, plan.header);
    for (const t of plan.order) {
      const data = await t.tensor.data();
      await writeAll(handle, safetensorsBytesOf({ dtype: t.dtype, shape: t.shape, data }, `saveFile: tensor ${JSON.stringify(t.name)}`));
    }
    // Flush before the rename, or a crash could leave an empty file under the final name.
    await handle.sync();
    ok = true;
  } finally {
    await handle.close();
    if (!ok) await unlink(temp).catch(() => undefined);
  }
  try {
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

async function writeAll(handle: Awaited<ReturnType<typeof open>>, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done);
    done += bytesWritten;
  }
}
