// Encodings packed into a few typed arrays (transferable between worker threads) and rebuilt on the other side, in order.
import { Encoding } from "../../encoding.js";

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
  /** Tokens that are not the vocabulary's token of their id (`idToToken`), as [token index, token] pairs; the rest are looked up. */
  tokenExceptions: Array<[number, string]>;
  /** Per encoding: the number of ranges, then [sequence, start, end] for each. */
  ranges: Int32Array;
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
    tokenExceptions: [],
    ranges: new Int32Array(nRanges),
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
      if (e.tokens[i] !== idToToken(id)) p.tokenExceptions.push([t, e.tokens[i]]);
    }
    p.ranges[r++] = e.sequenceRanges.size;
    for (const [seq, [s, en]] of e.sequenceRanges) {
      p.ranges[r++] = seq;
      p.ranges[r++] = s;
      p.ranges[r++] = en;
    }
    if (e.overflowing.length > 0) p.overflow.push([k, packEncodings(e.overflowing, transfer, idToToken)]);
  });
  for (const a of [p.lens, p.ids, p.typeIds, p.offsets, p.wordIds, p.specialTokensMask, p.attentionMask, p.ranges]) transfer.push(a.buffer as ArrayBuffer);
  return p;
}

/** `n` numbers of `a` from `start` as a plain array (a loop: `Array.from` on a typed array is much slower). */
function plain(a: Int32Array | Uint8Array, start: number, n: number): number[] {
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = a[start + i];
  return out;
}

/** Rebuilds the encodings of a pack; `sources[k]` are the input texts of encoding k (for `offsetsUtf16`). */
export function unpackEncodings(p: PackedEncodings, sources: ReadonlyArray<Array<string | string[]>>, idToToken: IdToToken): Encoding[] {
  const tokens: string[] = new Array(p.ids.length);
  for (let t = 0; t < tokens.length; t++) tokens[t] = idToToken(p.ids[t]) ?? "";
  for (const [t, tok] of p.tokenExceptions) tokens[t] = tok;
  const out: Encoding[] = new Array(p.lens.length);
  let t = 0;
  let r = 0;
  for (let k = 0; k < p.lens.length; k++) {
    const n = p.lens[k];
    const e = new Encoding();
    e.ids = plain(p.ids, t, n);
    e.typeIds = plain(p.typeIds, t, n);
    e.setPackedOffsets(p.offsets.subarray(t * 2, (t + n) * 2));
    const w: Array<number | null> = new Array(n);
    for (let i = 0; i < n; i++) w[i] = p.wordIds[t + i] === -1 ? null : p.wordIds[t + i];
    e.wordIds = w;
    e.specialTokensMask = plain(p.specialTokensMask, t, n);
    e.attentionMask = plain(p.attentionMask, t, n);
    e.tokens = tokens.slice(t, t + n);
    const nr = p.ranges[r++];
    for (let i = 0; i < nr; i++, r += 3) e.sequenceRanges.set(p.ranges[r], [p.ranges[r + 1], p.ranges[r + 2]]);
    e.sources = sources[k];
    t += n;
    out[k] = e;
  }
  for (const [k, sub] of p.overflow) out[k].overflowing = unpackEncodings(sub, new Array(sub.lens.length).fill(out[k].sources), idToToken);
  return out;
}
