// BPE merging of one word with a priority queue (lowest rank, then leftmost first), O(n log n) like the Rust crate's Word::merge_all.
import type { PairMap } from "./pair-map.js";

/**
 * Symbols of a word being merged: ids plus UTF-16 [start, end) spans, linked by prev/next. Merges come from a binary
 * heap ordered by (rank, position); stale heap entries are dropped when their pair no longer merges to the same id.
 */
export class BpeWord {
  ids: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  prev: Int32Array;
  next: Int32Array;
  alive: Uint8Array;
  n = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.alive = new Uint8Array(capacity);
  }

  /** Empties the word so its buffers can be reused for the next one. */
  reset(): void {
    this.n = 0;
  }

  add(id: number, start: number, end: number): void {
    if (this.n === this.ids.length) this.growTo(this.n * 2 + 4);
    const i = this.n++;
    this.ids[i] = id;
    this.starts[i] = start;
    this.ends[i] = end;
    this.prev[i] = i - 1;
    this.next[i] = -1;
    this.alive[i] = 1;
    if (i > 0) this.next[i - 1] = i;
  }

  private growTo(cap: number): void {
    const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.ids = grow(this.ids);
    this.starts = grow(this.starts);
    this.ends = grow(this.ends);
    this.prev = grow(this.prev);
    this.next = grow(this.next);
    this.alive = grow(this.alive);
  }

  /** Applies all merges; `dropout` (0..1) skips each candidate merge with that probability. */
  mergeAll(merges: PairMap, dropout: number): void {
    const n = this.n;
    if (n < 2) return;
    const heap = sharedHeap;
    heap.reset(n);
    for (let i = 0; i + 1 < n; i++) {
      const slot = merges.find(this.ids[i], this.ids[i + 1]);
      if (slot >= 0) heap.push(merges.rankAt(slot), i, merges.idAt(slot));
    }
    const skipped: number[] = [];
    while (heap.size > 0) {
      const rank = heap.topRank();
      const pos = heap.topPos();
      const newId = heap.topId();
      heap.pop();
      if (dropout > 0 && Math.random() < dropout) {
        skipped.push(rank, pos, newId);
        continue;
      }
      if (skipped.length > 0) {
        for (let k = 0; k < skipped.length; k += 3) heap.push(skipped[k], skipped[k + 1], skipped[k + 2]);
        skipped.length = 0;
      }
      if (!this.alive[pos]) continue;
      const right = this.next[pos];
      if (right === -1) continue;
      const slot = merges.find(this.ids[pos], this.ids[right]);
      if (slot < 0 || merges.idAt(slot) !== newId) continue;
      this.ids[pos] = newId;
      this.ends[pos] = this.ends[right];
      this.alive[right] = 0;
      const rn = this.next[right];
      this.next[pos] = rn;
      if (rn !== -1) this.prev[rn] = pos;
      const p = this.prev[pos];
      if (p >= 0) {
        const s2 = merges.find(this.ids[p], newId);
        if (s2 >= 0) heap.push(merges.rankAt(s2), p, merges.idAt(s2));
      }
      if (rn !== -1) {
        const s3 = merges.find(newId, this.ids[rn]);
        if (s3 >= 0) heap.push(merges.rankAt(s3), pos, merges.idAt(s3));
      }
    }
  }
}

/** Min-heap of (rank, pos, id) ordered by rank then pos. */
class MergeHeap {
  private ranks: Int32Array;
  private poss: Int32Array;
  private ids: Int32Array;
  size = 0;

  constructor(cap: number) {
    this.ranks = new Int32Array(Math.max(cap, 4));
    this.poss = new Int32Array(Math.max(cap, 4));
    this.ids = new Int32Array(Math.max(cap, 4));
  }

  /** Empties the heap, growing it to hold at least `cap` entries without reallocating. */
  reset(cap: number): void {
    this.size = 0;
    if (this.ranks.length < cap) {
      this.ranks = new Int32Array(cap);
      this.poss = new Int32Array(cap);
      this.ids = new Int32Array(cap);
    }
  }

  topRank(): number {
    return this.ranks[0];
  }
  topPos(): number {
    return this.poss[0];
  }
  topId(): number {
    return this.ids[0];
  }

  private less(i: number, j: number): boolean {
    const ri = this.ranks[i];
    const rj = this.ranks[j];
    return ri < rj || (ri === rj && this.poss[i] < this.poss[j]);
  }

  private swap(i: number, j: number): void {
    const r = this.ranks[i];
    this.ranks[i] = this.ranks[j];
    this.ranks[j] = r;
    const p = this.poss[i];
    this.poss[i] = this.poss[j];
    this.poss[j] = p;
    const d = this.ids[i];
    this.ids[i] = this.ids[j];
    this.ids[j] = d;
  }

  push(rank: number, pos: number, id: number): void {
    if (this.size === this.ranks.length) {
      const cap = this.size * 2;
      const r = new Int32Array(cap);
      r.set(this.ranks);
      const p = new Int32Array(cap);
      p.set(this.poss);
      const d = new Int32Array(cap);
      d.set(this.ids);
      this.ranks = r;
      this.poss = p;
      this.ids = d;
    }
    let i = this.size++;
    this.ranks[i] = rank;
    this.poss[i] = pos;
    this.ids[i] = id;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): void {
    const last = --this.size;
    if (last === 0) return;
    this.ranks[0] = this.ranks[last];
    this.poss[0] = this.poss[last];
    this.ids[0] = this.ids[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const m = r < last && this.less(r, l) ? r : l;
      if (!this.less(m, i)) break;
      this.swap(m, i);
      i = m;
    }
  }
}

/** One heap for every merge: merging never nests, and reusing the buffers saves an allocation per word. */
const sharedHeap = new MergeHeap(64);
