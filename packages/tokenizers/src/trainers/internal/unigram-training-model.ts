// The Unigram model as its trainer sees it (pieces, trie, min score, lattice filling); follows `Unigram::from` and `populate_nodes` of the Rust tokenizers crate.

import { UnigramLattice } from "./unigram-lattice.js";

interface TrieNode {
  children: Map<number, TrieNode>;
  /** Id of the piece ending here (the last one if duplicated), or -1. */
  id: number;
}

const UNK_PENALTY = 10;

/**
 * Pieces with log-probabilities, a code-point trie over them and the lowest score (NaN ignored).
 * Ids of duplicated pieces resolve to the last one, as Rust's token-to-id map does.
 * @example const m = new UnigramTrainingModel([["<UNK>", NaN], ["a", -1]], 0); m.minScore // -1
 */
export class UnigramTrainingModel {
  readonly tokenToId = new Map<string, number>();
  readonly minScore: number;
  readonly bosId: number;
  readonly eosId: number;
  private readonly root: TrieNode = { children: new Map(), id: -1 };

  constructor(
    readonly pieces: ReadonlyArray<readonly [string, number]>,
    readonly unkId: number | null,
  ) {
    let minScore = Infinity;
    pieces.forEach(([token, score], id) => {
      this.tokenToId.set(token, id);
      this.addToTrie(token, id);
      if (score < minScore) minScore = score;
    });
    this.minScore = minScore;
    this.bosId = pieces.length + 1;
    this.eosId = pieces.length + 2;
  }

  private addToTrie(token: string, id: number): void {
    let node = this.root;
    for (const c of token) {
      const cp = c.codePointAt(0) ?? 0;
      let child = node.children.get(cp);
      if (child === undefined) node.children.set(cp, (child = { children: new Map(), id: -1 }));
      node = child;
    }
    node.id = id;
  }

  /** A lattice over the code points of `sentence`, filled with every matching piece (and unk). */
  lattice(sentence: readonly number[], bosId = this.bosId, eosId = this.eosId): UnigramLattice {
    const lattice = new UnigramLattice(sentence.length, bosId, eosId);
    const unkScore = this.minScore - UNK_PENALTY;
    for (let begin = 0; begin < sentence.length; begin++) {
      let hasSingle = false;
      let node: TrieNode | undefined = this.root;
      for (let k = begin; k < sentence.length; k++) {
        node = node.children.get(sentence[k]);
        if (node === undefined) break;
        const id = node.id;
        if (id < 0) continue;
        const length = k - begin + 1;
        lattice.insert(begin, length, this.pieces[id][1], id);
        if (length === 1) hasSingle = true;
      }
      if (!hasSingle && this.unkId !== null) lattice.insert(begin, 1, unkScore, this.unkId);
    }
    return lattice;
  }
}

/**
 * Code points of a string as numbers.
 * @example codePoints("a😀") // [97, 128512]
 */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const c of s) out.push(c.codePointAt(0) ?? 0);
  return out;
}
