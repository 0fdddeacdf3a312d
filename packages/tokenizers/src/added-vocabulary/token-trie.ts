// Leftmost-longest multi-pattern matcher for added tokens (a char trie: one pass, no regex alternation of thousands of tokens).

/** Finds non-overlapping leftmost-longest occurrences of many patterns (like daachorse's LeftmostLongest). */
export class TokenTrie {
  private readonly children = new Map<number, number>();
  private values: Int32Array = new Int32Array(64).fill(-1);
  private nodes = 1;
  /** First UTF-16 units of all patterns, to skip positions quickly. */
  private readonly firsts = new Uint8Array(0x10000);
  readonly size: number;

  constructor(patterns: Array<[string, number]>) {
    for (const [p, v] of patterns) if (p.length > 0) this.insert(p, v);
    this.size = patterns.length;
  }

  private insert(p: string, v: number): void {
    let node = 0;
    this.firsts[p.charCodeAt(0)] = 1;
    for (let i = 0; i < p.length; i++) {
      const key = node * 0x10000 + p.charCodeAt(i);
      let c = this.children.get(key);
      if (c === undefined) {
        c = this.nodes++;
        if (c >= this.values.length) {
          const g = new Int32Array(this.values.length * 2).fill(-1);
          g.set(this.values);
          this.values = g;
        }
        this.children.set(key, c);
      }
      node = c;
    }
    // The first pattern with this content keeps its value, like a builder that rejects duplicates would.
    if (this.values[node] === -1) this.values[node] = v;
  }

  /** Matches as flat `[start, end, value]` triples. Only matches ending on a code point boundary count. */
  findAll(s: string): number[] {
    const out: number[] = [];
    const n = s.length;
    for (let i = 0; i < n; ) {
      if (this.firsts[s.charCodeAt(i)] === 0) {
        i++;
        continue;
      }
      let node = 0;
      let bestEnd = -1;
      let bestVal = -1;
      for (let j = i; j < n; j++) {
        const c = this.children.get(node * 0x10000 + s.charCodeAt(j));
        if (c === undefined) break;
        node = c;
        const v = this.values[node];
        if (v >= 0 && !(j + 1 < n && (s.charCodeAt(j) & 0xfc00) === 0xd800 && (s.charCodeAt(j + 1) & 0xfc00) === 0xdc00)) {
          bestEnd = j + 1;
          bestVal = v;
        }
      }
      if (bestEnd >= 0) {
        out.push(i, bestEnd, bestVal);
        i = bestEnd;
      } else i++;
    }
    return out;
  }
}
