// The segmentation lattice used by Unigram training (Viterbi, n-best, forward-backward); follows `unigram/lattice.rs` of the Rust tokenizers crate, in code-point positions.

import { DaryHeap } from "./dary-heap.js";
import { logSumExp } from "./unigram-math.js";

interface Hypothesis {
  node: number;
  next: Hypothesis | null;
  fx: number;
  gx: number;
}

// Rust's `Ord for Hypothesis` never says Equal: a <= b exactly when a.fx < b.fx.
const hypothesisLe = (a: Hypothesis, b: Hypothesis): boolean => a.fx < b.fx;

/**
 * All candidate pieces of one sentence, as nodes between code-point positions 0..len.
 * Node 0 is BOS and node 1 is EOS; `id` holds vocabulary ids.
 * @example const l = new UnigramLattice(2, 10, 11); l.insert(0, 2, -1, 5); l.viterbi() // [2]
 */
export class UnigramLattice {
  readonly id: number[] = [];
  readonly pos: number[] = [];
  readonly length: number[] = [];
  readonly score: number[] = [];
  private readonly prev: number[] = [];
  private readonly backtrace: number[] = [];
  readonly beginNodes: number[][];
  readonly endNodes: number[][];

  constructor(
    readonly len: number,
    bosId: number,
    eosId: number,
  ) {
    this.beginNodes = Array.from({ length: len + 1 }, () => []);
    this.endNodes = Array.from({ length: len + 1 }, () => []);
    this.addNode(bosId, 0, 0, 0);
    this.addNode(eosId, len, 0, 0);
    this.beginNodes[len].push(1);
    this.endNodes[0].push(0);
  }

  private addNode(id: number, pos: number, length: number, score: number): number {
    const node = this.id.length;
    this.id.push(id);
    this.pos.push(pos);
    this.length.push(length);
    this.score.push(score);
    this.prev.push(-1);
    this.backtrace.push(0);
    return node;
  }

  insert(pos: number, length: number, score: number, id: number): void {
    const node = this.addNode(id, pos, length, score);
    this.beginNodes[pos].push(node);
    this.endNodes[pos + length].push(node);
  }

  /** Best path as node indices (BOS/EOS excluded); the first best left node wins ties. */
  viterbi(): number[] {
    for (let pos = 0; pos <= this.len; pos++) {
      const begins = this.beginNodes[pos];
      if (begins.length === 0) return [];
      for (const r of begins) {
        this.prev[r] = -1;
        let best = -1;
        let bestScore = 0;
        for (const l of this.endNodes[pos]) {
          const s = this.backtrace[l] + this.score[r];
          if (best === -1 || s > bestScore) {
            best = l;
            bestScore = s;
          }
        }
        if (best === -1) return [];
        this.prev[r] = best;
        this.backtrace[r] = bestScore;
      }
    }
    const out: number[] = [];
    let node = this.prev[this.beginNodes[this.len][0]];
    if (node === -1) return [];
    while (this.prev[node] !== -1) {
      out.push(node);
      node = this.prev[node];
    }
    return out.reverse();
  }

  /** The n best paths, best first, by A* over Viterbi scores (Rust's agenda and its pruning). */
  nbest(n: number): number[][] {
    if (n === 0) return [];
    if (n === 1) return [this.viterbi()];
    let agenda = new DaryHeap<Hypothesis>(4, hypothesisLe);
    const hypotheses: number[][] = [];
    const eos = this.beginNodes[this.len][0];
    agenda.push({ node: eos, next: null, fx: this.score[eos], gx: this.score[eos] });
    this.viterbi();
    const bosId = this.id[this.endNodes[0][0]];
    for (let top = agenda.pop(); top !== undefined; top = agenda.pop()) {
      if (this.id[top.node] === bosId) {
        const path: number[] = [];
        let next = top.next;
        while (next !== null && next.next !== null) {
          path.push(next.node);
          next = next.next;
        }
        hypotheses.push(path);
        if (hypotheses.length === n) return hypotheses;
      } else {
        for (const l of this.endNodes[this.pos[top.node]]) {
          agenda.push({ node: l, next: top, fx: this.backtrace[l] + top.gx, gx: this.score[l] + top.gx });
        }
        if (agenda.length > 100_000) {
          const shrunk = new DaryHeap<Hypothesis>(4, hypothesisLe);
          const keep = Math.min(512, n * 10);
          for (let i = 0; i < keep; i++) {
            const h = agenda.pop();
            if (h !== undefined) shrunk.push(h);
          }
          agenda = shrunk;
        }
      }
    }
    return hypotheses;
  }

  /** Adds `freq` times each node's posterior to `expected[id]`; returns freq * log Z. */
  populateMarginal(freq: number, expected: Float64Array): number {
    const n = this.id.length;
    const alpha = new Float64Array(n);
    const beta = new Float64Array(n);
    for (let pos = 0; pos <= this.len; pos++) {
      const ends = this.endNodes[pos];
      for (const r of this.beginNodes[pos]) {
        for (const l of ends) {
          // Rust compares nodes by vocabulary id here, not by identity.
          alpha[r] = logSumExp(alpha[r], this.score[l] + alpha[l], this.id[l] === this.id[ends[0]]);
        }
      }
    }
    for (let pos = this.len; pos >= 0; pos--) {
      const begins = this.beginNodes[pos];
      for (const l of this.endNodes[pos]) {
        for (const r of begins) {
          beta[l] = logSumExp(beta[l], this.score[r] + beta[r], this.id[r] === this.id[begins[0]]);
        }
      }
    }
    const z = alpha[this.beginNodes[this.len][0]];
    for (let pos = 0; pos < this.len; pos++) {
      for (const node of this.beginNodes[pos]) {
        const total = alpha[node] + this.score[node] + beta[node] - z;
        expected[this.id[node]] += freq * Math.exp(total);
      }
    }
    return freq * z;
  }
}
