// BPE model: byte-pair merges with priority-queue merging, word cache, unk/fuse_unk, byte fallback, prefixes/suffixes, dropout, ignore_merges (Rust `models::bpe`).
import { rustByteOffsetTokens } from "../internal/bpe-byte-offsets.js";
import { BpeWord } from "../internal/bpe-word.js";
import { PairMap } from "../internal/pair-map.js";
import { encodeUtf8 } from "../internal/utf8.js";
import type { Token } from "../internal/token.js";
import type { Model } from "./model.js";
import { VocabModel, orderedVocabJSON } from "./vocab.js";

/** Options of the BPE model, mirroring tokenizer.json's `model` fields. */
export interface BPEOptions {
  vocab: Map<string, number> | Record<string, number>;
  /** Merges in rank order, as `"a b"` strings or `[a, b]` pairs. */
  merges: Array<string | [string, string]>;
  dropout?: number | null;
  unkToken?: string | null;
  continuingSubwordPrefix?: string | null;
  endOfWordSuffix?: string | null;
  fuseUnk?: boolean;
  byteFallback?: boolean;
  ignoreMerges?: boolean;
  /** Words cached (default 10 000, 0 disables). */
  cacheCapacity?: number;
}

const HEX = "0123456789ABCDEF";
const BYTE_TOKENS: string[] = [];
for (let b = 0; b < 256; b++) BYTE_TOKENS.push(`<0x${HEX[b >> 4]}${HEX[b & 15]}>`);
/** Words longer than this (UTF-16 units) are not cached, like the Rust crate's MAX_LENGTH bytes. */
const MAX_CACHED_LENGTH = 256;
const METASPACE = "\u2581";

/**
 * Byte-pair encoding model.
 * @example
 * ```ts
 * const bpe = new BPE({ vocab: { a: 0, b: 1, ab: 2 }, merges: ["a b"] });
 * bpe.tokenize("ab"); // [{ id: 2, value: "ab", start: 0, end: 2 }]
 * ```
 */
export class BPE extends VocabModel implements Model {
  readonly merges: PairMap;
  dropout: number | null;
  readonly unkToken: string | null;
  readonly continuingSubwordPrefix: string | null;
  readonly endOfWordSuffix: string | null;
  readonly fuseUnk: boolean;
  readonly byteFallback: boolean;
  readonly ignoreMerges: boolean;
  private readonly cache = new Map<string, Token[]>();
  private readonly cacheCapacity: number;
  private readonly scratchWord = new BpeWord(64);
  /** Rust's byte length of each symbol of the word being merged (`Word::add`'s `byte_len`). */
  private readonly rustLens: number[] = [];
  /** Whether those lengths do not tile the word (a char dropped, or prefixed byte fallback): offsets then follow Rust's. */
  private irregular = false;
  /** Whether long words may be cut before runs of "▁" (computed on first use; see `chunkable`). */
  private chunkOk: boolean | null = null;
  /** id of each bare BMP char (-1: not in the vocabulary, -2: not looked up yet); the vocabulary is fixed after construction. */
  private readonly charIds = new Int32Array(0x10000).fill(-2);

  constructor(opts: BPEOptions) {
    super(opts.vocab);
    this.dropout = opts.dropout ?? null;
    if (this.dropout !== null && !(this.dropout >= 0 && this.dropout <= 1)) throw new Error(`BPE: dropout must be between 0 and 1, got ${this.dropout}.`);
    this.unkToken = opts.unkToken ?? null;
    this.continuingSubwordPrefix = opts.continuingSubwordPrefix ?? null;
    this.endOfWordSuffix = opts.endOfWordSuffix ?? null;
    this.fuseUnk = opts.fuseUnk ?? false;
    this.byteFallback = opts.byteFallback ?? false;
    this.ignoreMerges = opts.ignoreMerges ?? false;
    this.cacheCapacity = opts.cacheCapacity ?? 10000;
    this.merges = new PairMap(opts.merges.length);
    const prefixLen = this.continuingSubwordPrefix?.length ?? 0;
    for (let rank = 0; rank < opts.merges.length; rank++) {
      const m = opts.merges[rank];
      let a: string;
      let b: string;
      if (typeof m === "string") {
        const parts = m.split(" ");
        if (parts.length !== 2) throw new Error(`BPE: merge ${rank} (${JSON.stringify(m)}) must be two tokens separated by one space.`);
        [a, b] = parts;
      } else {
        [a, b] = m;
      }
      const ia = this.vocab.get(a);
      const ib = this.vocab.get(b);
      if (ia === undefined) throw new Error(`BPE: merge ${rank} uses token ${JSON.stringify(a)}, which is not in the vocabulary.`);
      if (ib === undefined) throw new Error(`BPE: merge ${rank} uses token ${JSON.stringify(b)}, which is not in the vocabulary.`);
      const merged = a + b.slice(prefixLen);
      const im = this.vocab.get(merged);
      if (im === undefined) throw new Error(`BPE: merge ${rank} produces ${JSON.stringify(merged)}, which is not in the vocabulary.`);
      this.merges.set(ia, ib, rank, im);
    }
  }

  private unkId(): number {
    const id = this.vocab.get(this.unkToken!);
    if (id === undefined) throw new Error(`BPE: unk_token ${JSON.stringify(this.unkToken)} is not in the vocabulary.`);
    return id;
  }

  /** Rust `merge_word`: chars to symbols (with prefix/suffix, byte fallback, unk) then merges. */
  private mergeWord(w: string): BpeWord {
    // tokenize() reads the word out before the next merge, so one set of buffers serves every word.
    const word = this.scratchWord;
    word.reset();
    const lens = this.rustLens;
    lens.length = 0;
    this.irregular = false;
    let unkLen = 0;
    let unkId = -1;
    let unkStart = 0;
    let unkEnd = 0;
    const prefix = this.continuingSubwordPrefix;
    const suffix = this.endOfWordSuffix;
    const vocab = this.vocab;
    for (let i = 0; i < w.length; ) {
      const cp = w.codePointAt(i)!;
      const l = cp >= 0x10000 ? 2 : 1;
      const end = i + l;
      let id: number | undefined;
      let s: string;
      const plain = (i === 0 || prefix === null) && (end !== w.length || suffix === null);
      if (plain && l === 1) {
        // A bare BMP char: its id comes from a per-code-unit table instead of a one-char string and a Map lookup.
        const c = w.charCodeAt(i);
        let v = this.charIds[c];
        if (v === -2) {
          const got = vocab.get(w[i]);
          v = got === undefined ? -1 : got;
          this.charIds[c] = v;
        }
        id = v === -1 ? undefined : v;
        s = id === undefined ? w[i] : "";
      } else {
        s = l === 1 ? w[i] : w.slice(i, end);
        if (i > 0 && prefix !== null) s = prefix + s;
        if (end === w.length && suffix !== null) s = s + suffix;
        id = vocab.get(s);
      }
      const byteLen = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (id !== undefined) {
        if (unkId >= 0) {
          word.add(unkId, unkStart, unkEnd);
          lens.push(unkLen);
          unkId = -1;
        }
        word.add(id, i, end);
        lens.push(byteLen);
      } else {
        let handled = false;
        if (this.byteFallback) {
          const ids: number[] = [];
          let ok = true;
          for (const byte of encodeUtf8(s)) {
            const bid = vocab.get(BYTE_TOKENS[byte]);
            if (bid === undefined) {
              ok = false;
              break;
            }
            ids.push(bid);
          }
          if (ok) {
            for (const bid of ids) {
              word.add(bid, i, end);
              lens.push(1);
            }
            // Rust gives each byte token one byte: with a prefix there are more of them than the char has bytes.
            if (ids.length !== byteLen) this.irregular = true;
            handled = true;
          }
        }
        if (!handled && this.unkToken !== null) {
          if (unkId >= 0 && this.fuseUnk) {
            unkEnd = end;
            unkLen += byteLen;
          } else {
            if (unkId >= 0) {
              word.add(unkId, unkStart, unkEnd);
              lens.push(unkLen);
            }
            unkId = this.unkId();
            unkStart = i;
            unkEnd = end;
            unkLen = byteLen;
          }
        } else if (!handled) {
          // Dropped (no unk token): Rust's offsets count only the symbols' bytes, so later offsets shift left.
          this.irregular = true;
        }
      }
      i = end;
    }
    if (unkId >= 0) {
      word.add(unkId, unkStart, unkEnd);
      lens.push(unkLen);
    }
    word.mergeAll(this.merges, this.dropout ?? 0);
    return word;
  }

  private wordToTokens(word: BpeWord, w: string): Token[] {
    if (this.irregular) return rustByteOffsetTokens(word, w, this.rustLens, this.vocabR);
    const out: Token[] = [];
    const vr = this.vocabR;
    for (let i = 0; i < word.n; i++) {
      if (!word.alive[i]) continue;
      out.push({ id: word.ids[i], value: vr[word.ids[i]], start: word.starts[i], end: word.ends[i] });
    }
    return out;
  }

  tokenize(sequence: string): Token[] {
    if (sequence.length === 0) return [];
    const useCache = this.dropout === null || this.dropout === 0;
    if (useCache) {
      const hit = this.cache.get(sequence);
      if (hit !== undefined) return hit;
    }
    if (this.ignoreMerges) {
      const id = this.vocab.get(sequence);
      if (id !== undefined) return [{ id, value: sequence, start: 0, end: sequence.length }];
    }
    const tokens = (useCache ? this.tokenizeChunks(sequence) : null) ?? this.wordToTokens(this.mergeWord(sequence), sequence);
    if (useCache && this.cacheCapacity > 0 && sequence.length < MAX_CACHED_LENGTH && this.cache.size < this.cacheCapacity) {
      this.cache.set(sequence, tokens);
    }
    return tokens;
  }

  /**
   * Whether a word may be cut before every run of "▁" that follows another char (SentencePiece vocabularies without a
   * pre-tokenizer, like Llama's, where a whole line is one word). That gives exactly the same tokens when no vocabulary
   * entry has "▁" right after another char: no merge can then join the symbols on both sides of such a cut, merges on
   * either side never interact, "▁" itself is a token (so unknown chars never fuse across the cut), and the pieces are
   * short words the cache serves. Needs no prefix/suffix and no ignore_merges, which look at the word as a whole.
   */
  private chunkable(): boolean {
    if (this.chunkOk === null) {
      // Without an unk token dropped chars shift the offsets of everything after them in the whole word: no cuts then.
      let ok =
        this.continuingSubwordPrefix === null &&
        this.endOfWordSuffix === null &&
        !this.ignoreMerges &&
        this.unkToken !== null &&
        this.vocab.has(METASPACE);
      if (ok) {
        for (const t of this.vocab.keys()) {
          const i = t.indexOf(METASPACE, 1);
          if (i > 0 && /[^\u2581]\u2581/u.test(t)) {
            ok = false;
            break;
          }
        }
      }
      this.chunkOk = ok;
    }
    return this.chunkOk;
  }

  /** Tokens of `sequence` merged piece by piece (see `chunkable`), or null when it is one piece or cannot be cut. */
  private tokenizeChunks(sequence: string): Token[] | null {
    const n = sequence.length;
    let cut = -1;
    for (let i = 1; i < n; i++) {
      if (sequence.charCodeAt(i) === 0x2581 && sequence.charCodeAt(i - 1) !== 0x2581) {
        cut = i;
        break;
      }
    }
    if (cut < 0 || !this.chunkable()) return null;
    const out: Token[] = [];
    let start = 0;
    for (let i = cut; i <= n; i++) {
      if (i === n || (sequence.charCodeAt(i) === 0x2581 && sequence.charCodeAt(i - 1) !== 0x2581)) {
        const piece = this.tokenize(sequence.slice(start, i));
        if (start === 0) for (const t of piece) out.push(t);
        else for (const t of piece) out.push({ id: t.id, value: t.value, start: t.start + start, end: t.end + start });
        start = i;
      }
    }
    return out;
  }

  /** Empties the word cache. */
  clearCache(): void {
    this.cache.clear();
  }


  toJSON(): Record<string, unknown> {
    const merges = this.merges
      .entries()
      .sort((x, y) => x[2] - y[2])
      .map(([a, b]) => [this.vocabR[a], this.vocabR[b]]);
    return {
      type: "BPE",
      dropout: this.dropout,
      unk_token: this.unkToken,
      continuing_subword_prefix: this.continuingSubwordPrefix,
      end_of_word_suffix: this.endOfWordSuffix,
      fuse_unk: this.fuseUnk,
      byte_fallback: this.byteFallback,
      ignore_merges: this.ignoreMerges,
      vocab: orderedVocabJSON(this.vocabR),
      merges,
    };
  }
}
