// Lazy safetensors reader over a file handle (Python's safetensors.safe_open): reads the header once, then only the tensors asked for.

import { open, type FileHandle } from "node:fs/promises";
import { arrayFromBytes, itemSize, type StorageArray } from "../backend/dtype.js";
import type { Tensor } from "../tensor.js";
import { SafetensorsError } from "../safetensors/errors.js";
import type { SafetensorsEntry, SafetensorsHeader } from "../safetensors/format.js";
import { compareCodePoints } from "../safetensors/internal/code-points.js";
import { missingTensor, parseSafetensorsHeader, readSafetensorsHeaderLength } from "../safetensors/read.js";
import { tensorFromSafetensors } from "../safetensors/tensors.js";
import { SafeSlice } from "./safe-slice.js";

/** Options of `safeOpen`. */
export interface SafeOpenOptions {
  /** Device the tensors of `getTensor` go to (default: the default device). */
  device?: string;
}

/**
 * An open safetensors file. Reads nothing but the header until asked; close it (or `await using`) when done.
 * @example
 * const f = await safeOpen("model.safetensors");
 * try { const w = await f.getTensor("lm_head.weight"); } finally { await f.close(); }
 */
export class SafeOpen {
  private handle: FileHandle | null;
  private readonly byName: Map<string, SafetensorsEntry>;

  /** Internal: use `safeOpen(path)`. */
  constructor(
    handle: FileHandle,
    readonly path: string,
    readonly header: SafetensorsHeader,
    private readonly device: string | undefined,
  ) {
    this.handle = handle;
    this.byName = new Map(header.entries.map((e) => [e.name, e]));
  }

  /** Tensor names, sorted (as Python's `safe_open(...).keys()`). */
  keys(): string[] {
    return [...this.byName.keys()].sort(compareCodePoints);
  }

  /** Tensor names in file (data offset) order (Python's `offset_keys()`). */
  offsetKeys(): string[] {
    return this.header.entries.map((e) => e.name);
  }

  /** The `__metadata__` strings, or null when the file has none (Python returns None). */
  metadata(): Readonly<Record<string, string>> | null {
    return this.header.metadata;
  }

  /** Where `name` lives in the file: dtype, shape, byte offset and length. */
  entry(name: string): SafetensorsEntry {
    const e = this.byName.get(name);
    if (!e) throw missingTensor(name, this.header.entries);
    return e;
  }

  /** Reads only `name`'s bytes and returns its elements as a fresh StorageArray (no Tensor). */
  async getData(name: string): Promise<StorageArray> {
    const e = this.entry(name);
    // A fresh buffer of exactly the tensor's size: aligned, and owned by the result without another copy.
    const bytes = await this.readRange(e.byteOffset, e.byteLength, name);
    return arrayFromBytes(e.dtype, bytes.buffer, 0, e.byteLength / itemSize(e.dtype));
  }

  /**
   * A handle on `name` that reads parts of it (Python's `get_slice`): `await f.getSlice("w").get([0, 10])`
   * reads only rows 0..9.
   */
  getSlice(name: string): SafeSlice {
    return new SafeSlice(this.entry(name), (position, length) => this.readRange(position, length, name), this.device);
  }

  /** Reads only `name`'s bytes and returns it as a Tensor (Python's `get_tensor`). */
  async getTensor(name: string): Promise<Tensor> {
    return tensorFromSafetensors(this.entry(name), await this.getData(name), this.device);
  }

  private async readRange(position: number, length: number, name: string): Promise<Uint8Array> {
    const handle = this.handle;
    if (!handle) throw new SafetensorsError(`safeOpen(${JSON.stringify(this.path)}): the file is closed; open it again to read "${name}".`);
    const bytes = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(bytes, done, length - done, position + done);
      if (bytesRead === 0)
        throw new SafetensorsError(
          `safeOpen(${JSON.stringify(this.path)}): the file ended at byte ${position + done} while reading "${name}" (it was ${this.header.byteLength} bytes when opened); was it changed since?`,
        );
      done += bytesRead;
    }
    return bytes;
  }

  /** Closes the file; later reads throw. Safe to call twice. */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Opens a safetensors file for lazy reading, as Python's `safe_open(path, framework="pt")`: validates the
 * header (against the file size) and keeps the file open; `getTensor` reads one tensor's bytes.
 * @example
 * await using f = await safeOpen("model.safetensors");
 * console.log(f.keys(), f.metadata());
 * const emb = await f.getTensor("model.embed_tokens.weight");
 */
export async function safeOpen(path: string, options: SafeOpenOptions = {}): Promise<SafeOpen> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    let header: SafetensorsHeader;
    try {
      const prefix = await readAt(handle, 0, Math.min(8, size));
      const headerLength = readSafetensorsHeaderLength(prefix, size);
      header = parseSafetensorsHeader(await readAt(handle, 0, 8 + headerLength), size);
    } catch (e) {
      if (e instanceof SafetensorsError) e.message = `${path}: ${e.message}`;
      throw e;
    }
    return new SafeOpen(handle, path, header, options.device);
  } catch (e) {
    await handle.close();
    throw e;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(out, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return out.subarray(0, done);
}
