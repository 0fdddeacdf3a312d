// Encodings packed into a few typed arrays (transferable between worker threads) and, on the other side, Encodings that build each field from them on first read.
import { Encoding } from "../../encoding.js";
import type { LazyEncodingSource } from "../../internal/lazy-encoding-source.js";

/** Encodings of one chunk: per-token typed arrays back to back, `lens[k]` tokens for encoding k. */
export interface PackedEncodings {
  lens: Int32Array;
  ids: Int32Array;
  typeIds: Int32Array;
  offsets: Int32Array;
  /** -1 stands for null. */
  wordIds: Int32Array;
  specialTokensMask: Uint8Array;
  attentionMask: Uint8Array;
  /** Token indices (ascending) whose token is not the vocabulary's token of their id (`idToToken`); the rest are looked up. */
  exceptionAt: number[];
  /** The tokens at `exceptionAt`. */
  exceptionTokens: string[];
  /** Per encoding: the number of ranges, then [sequence, start, end] for each. */
  ranges: Int32Array;
  /** Where encoding k's entry in `ranges` begins. */
  rangeAt: Int32Array;
  /** Overflowing parts of encoding k, packed the same way. */
  overflow: Array<[number, PackedEncodings]>;
}

/** Token text of an id, as the tokenizer on both sides of the pack gives it. */
export type IdToToken = (id: number) => string | undefined;

/** Packs encodings; `transfer` receives the buffers to hand over with postMessage. */
export function packEncodings(encs: Encoding[], transfer: ArrayBuffer[], idToToken: IdToToken): PackedEncodings {
  let total = 0;
  let nRanges = 0;
  for (const e of encs) {
    total += e.ids.length;
    nRanges += 1 + 3 * e.sequenceRanges.size;
  }
  const p: PackedEncodings = {
    lens: new Int32Array(encs.length),
    ids: new Int32Array(total),
    typeIds: new Int32Array(total),
    offsets: new Int32Array(total * 2),
    wordIds: new Int32Array(total),
    specialTokensMask: new Uint8Array(total),
    attentionMask: new Uint8Array(total),
    exceptionAt: [],
    exceptionTokens: [],
    ranges: new Int32Array(nRanges),
    rangeAt: new Int32Array(encs.length),
    overflow: [],
  };
  let t = 0;
  let r = 0;
  encs.forEach((e, k) => {
    const n = e.ids.length;
    p.lens[k] = n;
    e.writeOffsets(p.offsets, t);
    for (let i = 0; i < n; i++, t++) {
      const id = e.ids[i];
      p.ids[t] = id;
      p.typeIds[t] = e.typeIds[i];
      p.wordIds[t] = e.wordIds[i] ?? -1;
      p.specialTokensMask[t] = e.specialTokensMask[i];
      p.attentionMask[t] = e.attentionMask[i];
      // Strings are copied one by one between threads: send only those the vocabulary does not give.
      if (e.tokens[i] !== idToToken(id)) {
        p.exceptionAt.push(t);
        p.exceptionTokens.push(e.tokens[i]);
      }
    }
    p.rangeAt[k] = r;
    p.ranges[r++] = e.sequenceRanges.size;
    for (const [seq, [s, en]] of e.sequenceRanges) {
      p.ranges[r++] = seq;
      p.ranges[r++] = s;
      p.ranges[r++] = en;
    }
    if (e.overflowing.length > 0) p.overflow.push([k, packEncodings(e.overflowing, transfer, idToToken)]);
  });
  for (const a of [p.lens, p.ids, p.typeIds, p.offsets, p.wordIds, p.specialTokensMask, p.attentionMask, p.ranges, p.rangeAt]) transfer.push(a.buffer as ArrayBuffer);
  return p;
}

/** One received pack: what the lazy encodings of its chunk share. */
class ReceivedPack {
  /** Token index where encoding k starts (k = 0..n). */
  readonly starts: Int32Array;
  #overflow: Map<number, PackedEncodings> | null = null;

  constructor(
    readonly p: PackedEncodings,
    readonly idToToken: IdToToken,
  ) {
    const lens = p.lens;
    this.starts = new Int32Array(lens.length + 1);
    for (let k = 0; k < lens.length; k++) this.starts[k + 1] = this.starts[k] + lens[k];
  }

  overflowOf(k: number): PackedEncodings | undefined {
    if (this.p.overflow.length === 0) return undefined;
    this.#overflow ??= new Map(this.p.overflow);
    return this.#overflow.get(k);
  }
}

/** The fields of encoding `k` of a received pack, built on demand (each once, by the Encoding that holds it). */
class PackedSlice implements LazyEncodingSource<Encoding> {
  constructor(
    private readonly pack: ReceivedPack,
    private readonly k: number,
    private readonly sources: Array<string | string[]>,
  ) {}

  get length(): number {
    return this.pack.p.lens[this.k];
  }

  /** The numbers of one per-token array of this encoding, as a plain array (a loop: `Array.from` on a typed array is much slower). */
  private plain(a: Int32Array | Uint8Array): number[] {
    const start = this.pack.starts[this.k];
    const n = this.pack.p.lens[this.k];
    const out: number[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = a[start + i];
    return out;
  }

  ids(): number[] {
    return this.plain(this.pack.p.ids);
  }
  typeIds(): number[] {
    return this.plain(this.pack.p.typeIds);
  }
  specialTokensMask(): number[] {
    return this.plain(this.pack.p.specialTokensMask);
  }
  attentionMask(): number[] {
    return this.plain(this.pack.p.attentionMask);
  }
  wordIds(): Array<number | null> {
    const w = this.pack.p.wordIds;
    const start = this.pack.starts[this.k];
    const n = this.pack.p.lens[this.k];
    const out: Array<number | null> = new Array(n);
    for (let i = 0; i < n; i++) out[i] = w[start + i] === -1 ? null : w[start + i];
    return out;
  }
  tokens(): string[] {
    const { p, idToToken, starts } = this.pack;
    const start = starts[this.k];
    const end = starts[this.k + 1];
    const out: string[] = new Array(end - start);
    for (let t = start; t < end; t++) out[t - start] = idToToken(p.ids[t]) ?? "";
    // The exceptions are sorted: find the first one of this encoding.
    const at = p.exceptionAt;
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    for (let x = lo; x < at.length && at[x] < end; x++) out[at[x] - start] = p.exceptionTokens[x];
    return out;
  }
  packedOffsets(): ArrayLike<number> {
    const start = this.pack.starts[this.k];
    return this.pack.p.offsets.subarray(start * 2, this.pack.starts[this.k + 1] * 2);
  }
  sequenceRanges(): Map<number, [number, number]> {
    const r = this.pack.p.ranges;
    const m = new Map<number, [number, number]>();
    let at = this.pack.p.rangeAt[this.k];
    const nr = r[at++];
    for (let i = 0; i < nr; i++, at += 3) m.set(r[at], [r[at + 1], r[at + 2]]);
    return m;
  }
  overflowing(): Encoding[] {
    const sub = this.pack.overflowOf(this.k);
    return sub === undefined ? [] : unpackEncodings(sub, () => this.sources, this.pack.idToToken);
  }
}

/**
 * The encodings of a pack, in order: each field is built from the typed arrays on its first read (nothing is built
 * for a field never read); `sourcesOf(k)` gives the input texts of encoding k (for `offsetsUtf16`).
 */
export function unpackEncodings(p: PackedEncodings, sourcesOf: (k: number) => Array<string | string[]>, idToToken: IdToToken): Encoding[] {
  const pack = new ReceivedPack(p, idToToken);
  const out: Encoding[] = new Array(p.lens.length);
  for (let k = 0; k < out.length; k++) {
    const sources = sourcesOf(k);
    out[k] = Encoding.lazy(new PackedSlice(pack, k, sources), sources);
  }
  return out;
}
