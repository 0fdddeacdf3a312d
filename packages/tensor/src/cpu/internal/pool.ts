// The CPU caching allocator: freed host arrays wait in a pool keyed by (dtype, numel) for reuse, as PyTorch's caching allocators do.

import { STORAGE_ARRAY_NAME, allocArray, itemSize, type DType, type StorageArray } from "../../backend/index.js";

/** Bytes the pool keeps at most by default; beyond it the oldest pooled arrays are dropped to the GC. */
export const DEFAULT_POOL_CAP_BYTES = 256 * 1024 * 1024;

// How many array sizes the pool remembers having freed; older ones are forgotten first.
const REMEMBERED_SIZES = 16384;

interface PoolEntry {
  readonly key: string;
  readonly arr: StorageArray;
  readonly bytes: number;
  // False once handed out again or evicted; the eviction queue skips such entries.
  live: boolean;
}

/**
 * Hands out typed arrays, reusing freed ones of the same array type and length: allocating a fresh large
 * array costs page faults worth several times the arithmetic of an elementwise op, and small ones cost GC time.
 * float16 and bfloat16 share Uint16Arrays (same bytes). Callers free each array once (Storage guarantees it).
 *
 * A size is pooled only once it recurs, i.e. is asked for again after an array of that size was freed: a training
 * step's sizes recur from the second step on, while a growing key/value cache frees every size once and never asks
 * for it again, and pooling those would fill the pool with arrays nobody takes (RSS growing to the cap during
 * generation).
 */
export class CachingAllocator {
  private readonly lists = new Map<string, PoolEntry[]>();
  // Insertion order of pooled entries, oldest first, for eviction.
  private readonly order: PoolEntry[] = [];
  private orderHead = 0;
  private liveCount = 0;
  // Sizes freed at least once (value false) and sizes asked for again after that (true), oldest first.
  private readonly freedSizes = new Map<string, boolean>();
  allocatedBytes = 0;
  pooledBytes = 0;

  constructor(readonly capBytes: number = DEFAULT_POOL_CAP_BYTES) {}

  /** An array for `n` elements of `dtype`; contents are whatever a previous user left. */
  alloc(dtype: DType, n: number): StorageArray {
    const bytes = n * itemSize(dtype);
    this.allocatedBytes += bytes;
    const key = keyOf(STORAGE_ARRAY_NAME[dtype], n);
    const list = this.lists.get(key);
    if (list !== undefined && list.length > 0) {
      const e = list.pop()!;
      e.live = false;
      this.liveCount--;
      this.pooledBytes -= e.bytes;
      return e.arr;
    }
    if (this.freedSizes.get(key) === false) this.remember(key, true);
    return allocArray(dtype, n);
  }

  /** Returns an array obtained from `alloc`. */
  free(arr: StorageArray): void {
    const bytes = arr.byteLength;
    this.allocatedBytes -= bytes;
    if (bytes > this.capBytes) return;
    const key = keyOf(arr.constructor.name, arr.length);
    const recurs = this.freedSizes.get(key);
    if (recurs !== true) {
      if (recurs === undefined) this.remember(key, false);
      return;
    }
    while (this.pooledBytes + bytes > this.capBytes) this.evictOldest();
    const e: PoolEntry = { key, arr, bytes, live: true };
    let list = this.lists.get(e.key);
    if (list === undefined) {
      list = [];
      this.lists.set(e.key, list);
    }
    list.push(e);
    this.order.push(e);
    this.liveCount++;
    if (this.order.length - this.orderHead > 4 * this.liveCount + 1024) this.compact();
    this.pooledBytes += bytes;
  }

  private remember(key: string, recurs: boolean): void {
    this.freedSizes.delete(key);
    this.freedSizes.set(key, recurs);
    if (this.freedSizes.size > REMEMBERED_SIZES) this.freedSizes.delete(this.freedSizes.keys().next().value!);
  }

  /** Drops every pooled array. */
  emptyCache(): void {
    this.lists.clear();
    this.order.length = 0;
    this.orderHead = 0;
    this.liveCount = 0;
    this.pooledBytes = 0;
  }

  private compact(): void {
    const keep = this.order.slice(this.orderHead).filter((e) => e.live);
    this.order.length = 0;
    this.order.push(...keep);
    this.orderHead = 0;
  }

  private evictOldest(): void {
    while (this.orderHead < this.order.length) {
      const e = this.order[this.orderHead++];
      if (!e.live) continue;
      const list = this.lists.get(e.key)!;
      list.splice(list.indexOf(e), 1);
      e.live = false;
      this.liveCount--;
      this.pooledBytes -= e.bytes;
      break;
    }
    if (this.orderHead > 1024 && this.orderHead * 2 > this.order.length) this.compact();
  }
}


function keyOf(arrayName: string, n: number): string {
  return arrayName + ":" + n;
}
