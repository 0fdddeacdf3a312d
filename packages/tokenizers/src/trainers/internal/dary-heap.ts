// A d-ary max-heap with the exact sift order of the Rust `dary_heap` crate, so ties pop in the same order.

/**
 * Max-heap ordered by `le(a, b)` ("a <= b"); push/pop follow dary_heap's `sift_up` and
 * `sift_down_to_bottom`, which matters when elements compare equal.
 * @example const h = new DaryHeap<number>(4, (a, b) => a <= b); h.push(1); h.pop() // 1
 */
export class DaryHeap<T> {
  private data: T[] = [];

  constructor(
    private readonly arity: number,
    private readonly le: (a: T, b: T) => boolean,
  ) {}

  get length(): number {
    return this.data.length;
  }

  push(item: T): void {
    this.data.push(item);
    this.siftUp(0, this.data.length - 1);
  }

  pop(): T | undefined {
    const last = this.data.pop();
    if (last === undefined || this.data.length === 0) return last;
    const top = this.data[0];
    this.data[0] = last;
    this.siftDownToBottom(0);
    return top;
  }

  private siftUp(start: number, pos: number): number {
    const d = this.data;
    const elt = d[pos];
    while (pos > start) {
      const parent = Math.floor((pos - 1) / this.arity);
      if (this.le(elt, d[parent])) break;
      d[pos] = d[parent];
      pos = parent;
    }
    d[pos] = elt;
    return pos;
  }

  private siftDownToBottom(pos: number): void {
    const d = this.data;
    const D = this.arity;
    const end = d.length;
    const start = pos;
    const elt = d[pos];
    let child = D * pos + 1;
    while (child <= Math.max(end - D, 0) && child + D - 1 < end) {
      child = this.maxSibling(child);
      d[pos] = d[child];
      pos = child;
      child = D * pos + 1;
    }
    child = this.maxSiblingTo(child, end);
    if (child < end) {
      d[pos] = d[child];
      pos = child;
    }
    d[pos] = elt;
    this.siftUp(start, pos);
  }

  private maxOf(i: number, j: number): number {
    return this.le(this.data[i], this.data[j]) ? j : i;
  }

  private maxSibling(first: number): number {
    const D = this.arity;
    if (D === 2) return this.maxOf(first, first + 1);
    if (D === 4) return this.maxOf(this.maxOf(first, first + 1), this.maxOf(first + 2, first + 3));
    let s = first;
    for (let o = first + 1; o < first + D; o++) if (this.le(this.data[s], this.data[o])) s = o;
    return s;
  }

  private maxSiblingTo(first: number, end: number): number {
    const D = this.arity;
    if (D === 2) return first;
    let s = first;
    if (D === 3) return first + 1 < end ? this.maxOf(first, first + 1) : first;
    for (let o = first + 1; o < end; o++) if (this.le(this.data[s], this.data[o])) s = o;
    return s;
  }
}
