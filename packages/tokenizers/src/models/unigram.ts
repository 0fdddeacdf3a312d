// Unigram model: Viterbi best segmentation over a vocabulary trie, unk fusing and byte fallback (Rust `models::unigram`).
import type { Token } from "../internal/token.js";
import { rustJsonF64 } from "../internal/serde-json-f64.js";
import { encodeUtf8 } from "../internal/utf8.js";
import type { Model } from "./model.js";

/** Options of the Unigram model: `vocab` is `[piece, score]` in id order. */
export interface UnigramOptions {
  vocab: Array<[string, number]>;
  unkId?: number | null;
  byteFallback?: boolean;
  /**
   * The scores were read from a tokenizer.json: segment with the values Rust's JSON parser reads for them (serde_json
   * can be 1 ULP off the correctly rounded double, and that decides between segmentations of equal score, e.g. runs
   * of one char). `vocab` and `toJSON` keep the numbers as given.
   */
  scoresFromJSON?: boolean;
}

const UNK_PENALTY = 10;
const HEX = "0123456789ABCDEF";

/**
 * SentencePiece unigram model (T5, ALBERT, XLNet).
 * @example
 * ```ts
 * const u = new Unigram({ vocab: [["<unk>", 0], ["a", -1], ["b", -2], ["ab", -1.5]], unkId: 0 });
 * u.tokenize("ab").map((t) => t.value); // ["ab"]
 * ```
 */
export class Unigram implements Model {
  readonly vocab: Array<[string, number]>;
  readonly unkId: number | null;
  readonly byteFallback: boolean;
  private readonly tokenToIds = new Map<string, number>();
  /** Trie edges (node, UTF-16 unit) -> child in an open-addressing table: Map keys above 2^31 are slow heap numbers. */
  private edgeNode: Int32Array = new Int32Array(1 << 16).fill(-1);
  private edgeUnit = new Int32Array(1 << 16);
  private edgeChild = new Int32Array(1 << 16);
  private edges = 0;
  /** Score of every id, unboxed. */
  private readonly scores: Float64Array;
  private nodeToken: Int32Array = new Int32Array(1024).fill(-1);
  /** Children of the root by UTF-16 unit (every Viterbi position starts there): one load instead of a hash probe. */
  private readonly rootChild = new Int32Array(1 << 16).fill(-1);
  private nodes = 1;
  private readonly minScore: number;
  /** word -> tokens (the tokens are never modified downstream, so they are shared). */
  private readonly cache = new Map<string, Token[]>();

  constructor(opts: UnigramOptions) {
    this.vocab = opts.vocab;
    this.unkId = opts.unkId ?? null;
    this.byteFallback = opts.byteFallback ?? false;
    if (this.unkId !== null) {
      if (this.vocab.length === 0) throw new Error("Unigram: the vocabulary is empty but at least <unk> is needed.");
      if (this.unkId >= this.vocab.length) throw new Error(`Unigram: unk_id ${this.unkId} is larger than the vocabulary size ${this.vocab.length}.`);
    }
    this.scores = new Float64Array(this.vocab.length);
    const asRust = opts.scoresFromJSON ?? false;
    for (let id = 0; id < this.vocab.length; id++) this.scores[id] = asRust ? rustJsonF64(this.vocab[id][1]) : this.vocab[id][1];
    let min = Infinity;
    for (let id = 0; id < this.vocab.length; id++) {
      const piece = this.vocab[id][0];
      this.tokenToIds.set(piece, id);
      this.insert(piece, id);
      if (this.scores[id] < min) min = this.scores[id];
    }
    this.minScore = min;
  }

  private static slot(node: number, unit: number, mask: number): number {
    let h = Math.imul(node, 0x9e3779b1) + unit;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
    return (h ^ (h >>> 13)) & mask;
  }

  /** Child of `node` by `unit`, or -1. */
  private child(node: number, unit: number): number {
    const en = this.edgeNode;
    const mask = en.length - 1;
    for (let h = Unigram.slot(node, unit, mask); ; h = (h + 1) & mask) {
      const n = en[h];
      if (n === -1) return -1;
      if (n === node && this.edgeUnit[h] === unit) return this.edgeChild[h];
    }
  }

  private addEdge(node: number, unit: number, child: number): void {
    if ((this.edges + 1) * 2 > this.edgeNode.length) {
      const on = this.edgeNode;
      const ou = this.edgeUnit;
      const oc = this.edgeChild;
      this.edgeNode = new Int32Array(on.length * 2).fill(-1);
      this.edgeUnit = new Int32Array(on.length * 2);
      this.edgeChild = new Int32Array(on.length * 2);
      this.edges = 0;
      for (let h = 0; h < on.length; h++) if (on[h] !== -1) this.addEdge(on[h], ou[h], oc[h]);
    }
    const mask = this.edgeNode.length - 1;
    let h = Unigram.slot(node, unit, mask);
    while (this.edgeNode[h] !== -1) h = (h + 1) & mask;
    this.edgeNode[h] = node;
    this.edgeUnit[h] = unit;
    this.edgeChild[h] = child;
    this.edges++;
  }

  private insert(piece: string, id: number): void {
    let node = 0;
    for (let i = 0; i < piece.length; i++) {
      const unit = piece.charCodeAt(i);
      let child = this.child(node, unit);
      if (child === -1) {
        child = this.nodes++;
        if (child >= this.nodeToken.length) {
          const g = new Int32Array(this.nodeToken.length * 2).fill(-1);
          g.set(this.nodeToken);
          this.nodeToken = g;
        }
        this.addEdge(node, unit, child);
        if (node === 0) this.rootChild[unit] = child;
      }
      node = child;
    }
    // Like the Rust token_to_ids map, a later duplicate piece wins.
    this.nodeToken[node] = this.tokenToIds.get(piece) ?? id;
  }

  /**
   * Best segmentation (Rust `encode_optimized`), unknown runs fused: the pieces, and the id of each (-1 for a fused
   * unknown run, whose id is looked up as Rust does).
   */
  private encode(s: string): { pieces: string[]; ids: number[] } {
    const size = s.length;
    const bestScore = new Float64Array(size + 1);
    const startsAt = new Int32Array(size + 1).fill(-1);
    const bestId = new Int32Array(size + 1);
    const unkScore = this.minScore - UNK_PENALTY;
    const nodeToken = this.nodeToken;
    const scores = this.scores;
    const en = this.edgeNode;
    const eu = this.edgeUnit;
    const ec = this.edgeChild;
    const mask = en.length - 1;
    const rootChild = this.rootChild;
    for (let pos = 0; pos < size; ) {
      const base = bestScore[pos];
      const mblen = (s.charCodeAt(pos) & 0xfc00) === 0xd800 && pos + 1 < size && (s.charCodeAt(pos + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      let hasSingle = false;
      let node = 0;
      for (let j = pos; j < size; j++) {
        const unit = s.charCodeAt(j);
        let child = -1;
        if (j === pos) child = rootChild[unit];
        else for (let h = Unigram.slot(node, unit, mask); ; h = (h + 1) & mask) {
          const n = en[h];
          if (n === -1) break;
          if (n === node && eu[h] === unit) {
            child = ec[h];
            break;
          }
        }
        if (child === -1) break;
        node = child;
        const id = nodeToken[node];
        if (id >= 0) {
          const end = j + 1;
          const cand = scores[id] + base;
          if (startsAt[end] === -1 || cand > bestScore[end]) {
            bestScore[end] = cand;
            startsAt[end] = pos;
            bestId[end] = id;
          }
          if (end - pos === mblen) hasSingle = true;
        }
      }
      if (!hasSingle) {
        const end = pos + mblen;
        const cand = unkScore + base;
        if (startsAt[end] === -1 || cand > bestScore[end]) {
          if (this.unkId === null) throw new Error("Unigram: found an unknown piece but the model has no unk_id.");
          bestScore[end] = cand;
          startsAt[end] = pos;
          bestId[end] = this.unkId;
        }
      }
      pos += mblen;
    }
    const pieces: string[] = [];
    const ids: number[] = [];
    let pendingUnk = -1;
    for (let end = size; end > 0; ) {
      const st = startsAt[end];
      if (bestId[end] === this.unkId) {
        if (pendingUnk < 0) pendingUnk = end;
      } else {
        if (pendingUnk >= 0) {
          pieces.push(s.slice(end, pendingUnk));
          ids.push(-1);
          pendingUnk = -1;
        }
        pieces.push(s.slice(st, end));
        ids.push(bestId[end]);
      }
      end = st;
    }
    if (pendingUnk >= 0) {
      pieces.push(s.slice(0, pendingUnk));
      ids.push(-1);
    }
    pieces.reverse();
    ids.reverse();
    return { pieces, ids };
  }

  tokenize(sequence: string): Token[] {
    if (sequence.length === 0) return [];
    const hit = this.cache.get(sequence);
    if (hit !== undefined) return hit;
    const { pieces, ids } = this.encode(sequence);
    const out = this.piecesToTokens(pieces, ids);
    if (sequence.length < 256 && this.cache.size < 10000) this.cache.set(sequence, out);
    return out;
  }

  /** Tokens of the pieces; `known[k]` is piece k's id from the trie (the vocabulary's id of that piece), or -1. */
  private piecesToTokens(pieces: string[], known: number[]): Token[] {
    const out: Token[] = [];
    let offset = 0;
    for (let k = 0; k < pieces.length; k++) {
      const piece = pieces[k];
      const start = offset;
      const end = offset + piece.length;
      offset = end;
      const id = known[k] >= 0 ? known[k] : this.tokenToIds.get(piece);
      if (id !== undefined) {
        out.push({ id, value: piece, start, end });
        continue;
      }
      if (this.byteFallback) {
        const byteToks: Token[] = [];
        for (const b of encodeUtf8(piece)) {
          const v = `<0x${HEX[b >> 4]}${HEX[b & 15]}>`;
          const bid = this.tokenToIds.get(v);
          if (bid === undefined) {
            byteToks.length = 0;
            break;
          }
          byteToks.push({ id: bid, value: v, start, end });
        }
        if (byteToks.length > 0) {
          out.push(...byteToks);
          continue;
        }
      }
      if (this.unkId === null) throw new Error("Unigram: found an unknown piece but the model has no unk_id.");
      out.push({ id: this.unkId, value: piece, start, end });
    }
    return out;
  }

  tokenToId(token: string): number | undefined {
    return this.tokenToIds.get(token);
  }
  idToToken(id: number): string | undefined {
    return this.vocab[id]?.[0];
  }
  getVocab(): Map<string, number> {
    return new Map(this.tokenToIds);
  }
  getVocabSize(): number {
    return this.vocab.length;
  }
  toJSON(): Record<string, unknown> {
    return { type: "Unigram", unk_id: this.unkId, vocab: this.vocab.map(([p, s]) => [p, s]), byte_fallback: this.byteFallback };
  }
}
