// Storage: one backend buffer shared by a tensor and its views, freed when the last of them is disposed.

import type { Backend } from "./backend/backend.js";
import type { DType } from "./backend/dtype.js";
import { itemSize } from "./backend/dtype.js";

const liveBytes = new Map<string, number>();
let liveStorages = 0;

/** Bytes held by live storages per device, for `memoryReport()`. */
export function storageBytesByDevice(): Map<string, number> {
  return new Map(liveBytes);
}

/** Number of storages not yet freed. */
export function liveStorageCount(): number {
  return liveStorages;
}

/**
 * A device buffer with a reference count (one per tensor viewing it) and a version counter bumped by in-place writes,
 * which autograd reads to refuse a backward through a tensor modified after it was saved.
 */
export class Storage {
  private refs = 0;
  /** Incremented by every in-place write. */
  version = 0;
  /** True once the buffer went back to the backend. */
  freed = false;
  readonly byteLength: number;

  constructor(
    readonly backend: Backend,
    readonly buffer: unknown,
    readonly dtype: DType,
    readonly numel: number,
  ) {
    this.byteLength = numel * itemSize(dtype);
    liveBytes.set(backend.name, (liveBytes.get(backend.name) ?? 0) + this.byteLength);
    liveStorages++;
  }

  /** The device name. */
  get device(): string {
    return this.backend.name;
  }

  retain(): void {
    this.refs++;
  }

  release(): void {
    if (--this.refs > 0 || this.freed) return;
    this.freed = true;
    liveStorages--;
    liveBytes.set(this.device, (liveBytes.get(this.device) ?? 0) - this.byteLength);
    this.backend.free(this.buffer);
  }
}
