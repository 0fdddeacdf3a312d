// Storage: one backend buffer shared by a tensor and its views, freed when the last of them is disposed.

import type { Backend } from "./backend/backend.js";
import type { DType } from "./backend/dtype.js";
import { itemSize } from "./backend/dtype.js";

// Live bytes per device: one mutable counter object per device keeps the hot path free of Map writes.
const liveBytes = new Map<string, { bytes: number }>();
function counter(device: string): { bytes: number } {
  let c = liveBytes.get(device);
  if (!c) liveBytes.set(device, (c = { bytes: 0 }));
  return c;
}
let liveStorages = 0;

/** Bytes held by live storages per device, for `memoryReport()`. */
export function storageBytesByDevice(): Map<string, number> {
  return new Map([...liveBytes].map(([d, c]) => [d, c.bytes]));
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
  private readonly counter: { bytes: number };

  constructor(
    readonly backend: Backend,
    readonly buffer: unknown,
    readonly dtype: DType,
    readonly numel: number,
  ) {
    this.byteLength = numel * itemSize(dtype);
    this.counter = counter(backend.name);
    this.counter.bytes += this.byteLength;
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
    this.counter.bytes -= this.byteLength;
    this.backend.free(this.buffer);
  }
}
