// Open-addressing hash map from a pair of token ids to (rank, merged id): the BPE merge table without string keys.

/** Map (a, b) -> (rank, newId) for non-negative int32 ids, with linear probing in typed arrays. */
export class PairMap {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private ranks: Int32Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity * 2) cap <<= 1;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.ranks = new Int32Array(cap);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** Inserts or overwrites (a later merge of the same pair wins, as in the Rust HashMap collect). */
  set(a: number, b: number, rank: number, id: number): void {
    if ((this.size + 1) * 2 > this.keysA.length) this.grow();
    let i = this.slot(a, b);
    while (this.keysA[i] !== -1) {
      if (this.keysA[i] === a && this.keysB[i] === b) {
        this.ranks[i] = rank;
        this.ids[i] = id;
        return;
      }
      i = (i + 1) & this.mask;
    }
    this.keysA[i] = a;
    this.keysB[i] = b;
    this.ranks[i] = rank;
    this.ids[i] = id;
    this.size++;
  }

  /** Slot index of (a, b), or -1; read the values with `rankAt` / `idAt`. */
  find(a: number, b: number): number {
    let i = this.slot(a, b);
    const ka = this.keysA;
    while (true) {
      const k = ka[i];
      if (k === -1) return -1;
      if (k === a && this.keysB[i] === b) return i;
      i = (i + 1) & this.mask;
    }
  }

  rankAt(slot: number): number {
    return this.ranks[slot];
  }

  idAt(slot: number): number {
    return this.ids[slot];
  }

  /** All entries as [a, b, rank, id] tuples. */
  entries(): Array<[number, number, number, number]> {
    const out: Array<[number, number, number, number]> = [];
    for (let i = 0; i < this.keysA.length; i++) if (this.keysA[i] !== -1) out.push([this.keysA[i], this.keysB[i], this.ranks[i], this.ids[i]]);
    return out;
  }

  private grow(): void {
    const old = { a: this.keysA, b: this.keysB, r: this.ranks, d: this.ids };
    const cap = old.a.length * 2;
    this.keysA = new Int32Array(cap).fill(-1);
    this.keysB = new Int32Array(cap);
    this.ranks = new Int32Array(cap);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < old.a.length; i++) if (old.a[i] !== -1) this.set(old.a[i], old.b[i], old.r[i], old.d[i]);
  }
}
