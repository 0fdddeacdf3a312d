// The Encoding returned by encode: ids, tokens, offsets, masks, word/sequence ids and overflowing parts (follows the Rust crate's Encoding).
import type { LazyEncodingSource } from "./internal/lazy-encoding-source.js";

/** Direction used by truncation and padding. */
export type Direction = "left" | "right";

/**
 * Output of `Tokenizer.encode`. Offsets are `[start, end)` in Unicode code points of the original text, as the
 * Rust library reports them; `offsetsUtf16` gives the same spans as JavaScript string indices.
 * @example
 * ```ts
 * const enc = tokenizer.encode("Hello 👋 world");
 * enc.tokens; enc.offsets; enc.offsetsUtf16;
 * ```
 */
export class Encoding {
  // Every per-token field is kept privately and built on first read when a `LazyEncodingSource` stands behind the
  // encoding (TokenizerPool's transferred typed arrays); encodings made here start with empty arrays as before.
  #ids: number[] | null = null;
  #typeIds: number[] | null = null;
  #tokens: string[] | null = null;
  #wordIds: Array<number | null> | null = null;
  #specialTokensMask: number[] | null = null;
  #attentionMask: number[] | null = null;
  #overflowing: Encoding[] | null = null;
  #sequenceRanges: Map<number, [number, number]> | null = null;
  /** Offsets as [start, end] pairs, built on first read when the encoder stored them packed (see `setPackedOffsets`). */
  #offsets: Array<[number, number]> | null = null;
  /** `[start0, end0, start1, end1, ...]` while `offsets` has not been read: most callers only want ids. */
  #packed: ArrayLike<number> | null = null;
  /** Where fields not built yet come from (null: they start empty). */
  #src: LazyEncodingSource<Encoding> | null = null;
  /** Original text of each sequence (or its words, for pre-tokenized input), for UTF-16 offsets. */
  sources: Array<string | string[]> = [];

  /**
   * An encoding whose fields are built from `src` on first read (each field on its own), then behave as usual.
   * @internal
   * @example
   * ```ts
   * const e = Encoding.lazy(src, ["Hello"]); // e.ids calls src.ids() once
   * ```
   */
  static lazy(src: LazyEncodingSource<Encoding>, sources: Array<string | string[]>): Encoding {
    const e = new Encoding();
    e.#src = src;
    e.sources = sources;
    return e;
  }

  /** Token ids. */
  get ids(): number[] {
    return (this.#ids ??= this.#src === null ? [] : this.#src.ids());
  }
  set ids(v: number[]) {
    this.#ids = v;
  }
  /** Type (segment) id of every token. */
  get typeIds(): number[] {
    return (this.#typeIds ??= this.#src === null ? [] : this.#src.typeIds());
  }
  set typeIds(v: number[]) {
    this.#typeIds = v;
  }
  /** Token strings. */
  get tokens(): string[] {
    return (this.#tokens ??= this.#src === null ? [] : this.#src.tokens());
  }
  set tokens(v: string[]) {
    this.#tokens = v;
  }
  /** Index of the word each token comes from (null for special tokens and padding). */
  get wordIds(): Array<number | null> {
    return (this.#wordIds ??= this.#src === null ? [] : this.#src.wordIds());
  }
  set wordIds(v: Array<number | null>) {
    this.#wordIds = v;
  }
  /** 1 for tokens added by the post-processor and padding, else 0. */
  get specialTokensMask(): number[] {
    return (this.#specialTokensMask ??= this.#src === null ? [] : this.#src.specialTokensMask());
  }
  set specialTokensMask(v: number[]) {
    this.#specialTokensMask = v;
  }
  /** 0 for padding, else 1. */
  get attentionMask(): number[] {
    return (this.#attentionMask ??= this.#src === null ? [] : this.#src.attentionMask());
  }
  set attentionMask(v: number[]) {
    this.#attentionMask = v;
  }
  /** Parts cut off by truncation, each an encoding of its own. */
  get overflowing(): Encoding[] {
    return (this.#overflowing ??= this.#src === null ? [] : this.#src.overflowing());
  }
  set overflowing(v: Encoding[]) {
    this.#overflowing = v;
  }
  /** sequence id -> [start, end) token range. */
  get sequenceRanges(): Map<number, [number, number]> {
    return (this.#sequenceRanges ??= this.#src === null ? new Map() : this.#src.sequenceRanges());
  }
  set sequenceRanges(v: Map<number, [number, number]>) {
    this.#sequenceRanges = v;
  }

  /** The packed offsets, or null when they are held as pairs. */
  #packedOffsets(): ArrayLike<number> | null {
    if (this.#offsets !== null) return null;
    return (this.#packed ??= this.#src === null ? [] : this.#src.packedOffsets());
  }

  /** `[start, end)` of every token, in code points of the original text. */
  get offsets(): Array<[number, number]> {
    const p = this.#packedOffsets();
    if (p !== null) {
      const n = p.length >> 1;
      const out: Array<[number, number]> = new Array(n);
      for (let i = 0; i < n; i++) out[i] = [p[i * 2], p[i * 2 + 1]];
      this.#offsets = out;
      this.#packed = null;
    }
    return this.#offsets!;
  }

  set offsets(v: Array<[number, number]>) {
    this.#offsets = v;
    this.#packed = null;
  }

  /**
   * Stores the offsets packed (`[start0, end0, start1, end1, ...]`, a plain array or a typed one, taken over, not
   * copied); `offsets` builds the pairs on first read.
   * @internal
   * @example
   * ```ts
   * enc.setPackedOffsets([0, 5, 6, 11]);
   * enc.offsets; // [[0, 5], [6, 11]]
   * ```
   */
  setPackedOffsets(p: ArrayLike<number>): void {
    this.#packed = p;
    this.#offsets = null;
  }

  /** Copies every field of `o` into this encoding (what `Object.assign` did before the private offset fields). */
  private assignFrom(o: Encoding): void {
    this.#ids = o.#ids;
    this.#typeIds = o.#typeIds;
    this.#tokens = o.#tokens;
    this.#wordIds = o.#wordIds;
    this.#offsets = o.#offsets;
    this.#packed = o.#packed;
    this.#specialTokensMask = o.#specialTokensMask;
    this.#attentionMask = o.#attentionMask;
    this.#overflowing = o.#overflowing;
    this.#sequenceRanges = o.#sequenceRanges;
    this.#src = o.#src;
    this.sources = o.sources;
  }

  /**
   * Writes this encoding's offsets into `out` from pair index `at` (`[start, end]` flat), without building pairs;
   * returns how many. Used to merge encodings and to pack them for another thread.
   * @internal
   * @example
   * ```ts
   * const flat = new Int32Array(enc.length * 2);
   * enc.writeOffsets(flat, 0);
   * ```
   */
  writeOffsets(out: { [i: number]: number }, at: number): number {
    const p = this.#packedOffsets();
    if (p !== null) {
      for (let i = 0, w = at * 2; i < p.length; i++) out[w + i] = p[i];
      return p.length >> 1;
    }
    const list = this.#offsets!;
    for (let i = 0; i < list.length; i++) {
      out[(at + i) * 2] = list[i][0];
      out[(at + i) * 2 + 1] = list[i][1];
    }
    return list.length;
  }

  get length(): number {
    return this.#ids !== null ? this.#ids.length : this.#src !== null ? this.#src.length : 0;
  }

  /** Number of input sequences merged in this encoding. */
  get nSequences(): number {
    return this.sequenceRanges.size === 0 ? 1 : this.sequenceRanges.size;
  }

  /** Sequence index of every token (null for tokens added by the post-processor outside any sequence, and padding). */
  get sequenceIds(): Array<number | null> {
    const out: Array<number | null> = new Array(this.ids.length).fill(null);
    for (let s = 0; s < this.nSequences; s++) {
      const r = this.sequenceRanges.get(s) ?? [0, this.ids.length];
      for (let i = r[0]; i < r[1]; i++) out[i] = s;
    }
    return out;
  }

  /**
   * The public fields as a plain object, so `JSON.stringify(encoding)` keeps `offsets` (a getter) and the overflow.
   * @example JSON.stringify(tok.encode("Hello")) // {"ids":[...],"typeIds":[...],"tokens":[...],"offsets":[[0,5]],...}
   */
  toJSON(): {
    ids: number[];
    typeIds: number[];
    tokens: string[];
    offsets: Array<[number, number]>;
    attentionMask: number[];
    specialTokensMask: number[];
    wordIds: Array<number | null>;
    sequenceIds: Array<number | null>;
    overflowing: ReturnType<Encoding["toJSON"]>[];
  } {
    return {
      ids: this.ids,
      typeIds: this.typeIds,
      tokens: this.tokens,
      offsets: this.offsets,
      attentionMask: this.attentionMask,
      specialTokensMask: this.specialTokensMask,
      wordIds: this.wordIds,
      sequenceIds: this.sequenceIds,
      overflowing: this.overflowing.map((o) => o.toJSON()),
    };
  }

  /** Offsets as UTF-16 indices of the original JavaScript strings (what `String.prototype.slice` wants). */
  get offsetsUtf16(): Array<[number, number]> {
    const seqIds = this.sequenceIds;
    const maps = new Map<string, Int32Array>();
    const mapFor = (text: string): Int32Array => {
      let m = maps.get(text);
      if (!m) {
        // cp index -> utf16 index, plus one entry for the end.
        const arr: number[] = [];
        for (let i = 0; i < text.length; ) {
          arr.push(i);
          i += text.codePointAt(i)! >= 0x10000 ? 2 : 1;
        }
        arr.push(text.length);
        m = Int32Array.from(arr);
        maps.set(text, m);
      }
      return m;
    };
    return this.offsets.map(([s, e], i) => {
      const seq = seqIds[i];
      if (seq === null || (s === 0 && e === 0)) return [s, e];
      const src = this.sources[seq];
      if (src === undefined) return [s, e];
      const text = typeof src === "string" ? src : src[this.wordIds[i] ?? 0] ?? "";
      const m = mapFor(text);
      return [m[Math.min(s, m.length - 1)], m[Math.min(e, m.length - 1)]];
    });
  }

  /** Marks the whole encoding as sequence `id` (Rust `set_sequence_id`). */
  setSequenceId(id: number): void {
    this.sequenceRanges.set(id, [0, this.ids.length]);
  }

  /** A deep copy. */
  clone(): Encoding {
    const e = new Encoding();
    e.ids = this.ids.slice();
    e.typeIds = this.typeIds.slice();
    e.tokens = this.tokens.slice();
    e.wordIds = this.wordIds.slice();
    const p = this.#packedOffsets();
    if (p !== null) e.setPackedOffsets(Array.from(p));
    else e.offsets = this.offsets.map((o) => [o[0], o[1]]);
    e.specialTokensMask = this.specialTokensMask.slice();
    e.attentionMask = this.attentionMask.slice();
    e.overflowing = this.overflowing.map((o) => o.clone());
    e.sequenceRanges = new Map([...this.sequenceRanges].map(([k, v]) => [k, [v[0], v[1]]]));
    e.sources = this.sources.slice();
    return e;
  }

  /** Tokens `[start, stop)` as a new encoding without overflowing parts. */
  private part(start: number, stop: number): Encoding {
    const e = new Encoding();
    e.ids = this.ids.slice(start, stop);
    e.typeIds = this.typeIds.slice(start, stop);
    e.tokens = this.tokens.slice(start, stop);
    e.wordIds = this.wordIds.slice(start, stop);
    e.offsets = this.offsets.slice(start, stop);
    e.specialTokensMask = this.specialTokensMask.slice(start, stop);
    e.attentionMask = this.attentionMask.slice(start, stop);
    e.sources = this.sources;
    return e;
  }

  /** Keeps `maxLen` tokens; the rest goes to `overflowing` in windows overlapping by `stride` (Rust `truncate`). */
  truncate(maxLen: number, stride: number, direction: Direction): void {
    const len = this.ids.length;
    if (maxLen >= len) return;
    if (maxLen === 0) {
      const o = this.clone();
      const empty = new Encoding();
      empty.sources = this.sources;
      this.assignFrom(empty);
      this.overflowing = [o];
      return;
    }
    if (stride >= maxLen) throw new Error(`Encoding.truncate: stride (${stride}) must be strictly less than max_len (${maxLen}), which already excludes the special tokens the post-processor adds.`);
    this.sequenceRanges.clear();
    const step = maxLen - stride;
    const ranges: Array<[number, number]> = [];
    if (direction === "right") {
      for (let start = 0; start < len; start += step) {
        const stop = Math.min(start + maxLen, len);
        ranges.push([start, stop]);
        if (stop === len) break;
      }
    } else {
      for (let s = len - 1; s >= 0; s -= step) {
        const stop = s + 1;
        const start = Math.max(0, stop - maxLen);
        ranges.push([start, stop]);
        if (start === 0) break;
      }
    }
    const parts = ranges.map(([a, b]) => this.part(a, b));
    const first = parts[0];
    first.overflowing = parts.slice(1);
    this.assignFrom(first);
  }

  /** Appends `pair` (Rust `merge_with`), combining overflowing parts pairwise. */
  mergeWith(pair: Encoding, growingOffsets: boolean): void {
    const overflowings: Encoding[] = [];
    for (const selfO of this.overflowing) {
      const a = selfO.clone();
      a.mergeWith(pair.clone(), growingOffsets);
      overflowings.push(a);
      for (const otherO of pair.overflowing) {
        const b = selfO.clone();
        b.mergeWith(otherO.clone(), growingOffsets);
        overflowings.push(b);
      }
    }
    for (const otherO of pair.overflowing) {
      const c = this.clone();
      c.mergeWith(otherO.clone(), growingOffsets);
      overflowings.push(c);
    }
    const n = this.ids.length;
    for (const [seq, r] of pair.sequenceRanges) this.sequenceRanges.set(seq, [n + r[0], n + r[1]]);
    for (const x of pair.ids) this.ids.push(x);
    for (const x of pair.typeIds) this.typeIds.push(x);
    for (const x of pair.tokens) this.tokens.push(x);
    for (const x of pair.wordIds) this.wordIds.push(x);
    const shift = growingOffsets && this.offsets.length > 0 ? this.offsets[this.offsets.length - 1][1] : 0;
    for (const o of pair.offsets) this.offsets.push([o[0] + shift, o[1] + shift]);
    for (const x of pair.specialTokensMask) this.specialTokensMask.push(x);
    for (const x of pair.attentionMask) this.attentionMask.push(x);
    this.overflowing = overflowings;
    if (pair.sources.length > this.sources.length) this.sources = pair.sources;
  }

  /** Concatenation of `encodings` (Rust `Encoding::merge`); with `consume`, the result may share arrays with the inputs, which must not be used again. */
  static merge(encodings: Encoding[], growingOffsets: boolean, consume = false): Encoding {
    // Merging one encoding into an empty one reproduces it (overflowing parts included): skip the copies.
    if (encodings.length === 1) return encodings[0];
    const out = new Encoding();
    if (!growingOffsets && encodings.every((e) => e.overflowing.length === 0)) {
      // Without overflowing parts, merging is plain concatenation (what mergeWith does one element at a time).
      let n = 0;
      for (const e of encodings) {
        for (const [seq, r] of e.sequenceRanges) out.sequenceRanges.set(seq, [n + r[0], n + r[1]]);
        n += e.ids.length;
        if (e.sources.length > out.sources.length) out.sources = e.sources;
      }
      const cat = <T>(get: (e: Encoding) => T[]): T[] => {
        const out: T[] = new Array<T>(n);
        let w = 0;
        for (const e of encodings) {
          const a = get(e);
          for (let i = 0; i < a.length; i++) out[w++] = a[i];
        }
        return out;
      };
      out.ids = cat((e) => e.ids);
      out.typeIds = cat((e) => e.typeIds);
      out.tokens = cat((e) => e.tokens);
      out.wordIds = cat((e) => e.wordIds);
      out.specialTokensMask = cat((e) => e.specialTokensMask);
      out.attentionMask = cat((e) => e.attentionMask);
      // Packed: no pair is built unless someone reads `offsets`, and nothing is shared with the inputs.
      // A plain array: small typed arrays cost far more to allocate in V8.
      const packed: number[] = new Array(n * 2);
      let w = 0;
      for (const e of encodings) w += e.writeOffsets(packed, w);
      out.setPackedOffsets(packed);
      return out;
    }
    for (const e of encodings) out.mergeWith(e, growingOffsets);
    return out;
  }

  /** Pads to `targetLength` (Rust `pad`), overflowing parts included. */
  pad(targetLength: number, padId: number, padTypeId: number, padToken: string, direction: Direction): void {
    for (const o of this.overflowing) o.pad(targetLength, padId, padTypeId, padToken, direction);
    const len = this.ids.length;
    if (len >= targetLength) return;
    const n = targetLength - len;
    const fill = <T>(v: T): T[] => new Array<T>(n).fill(v);
    if (direction === "left") {
      this.ids = fill(padId).concat(this.ids);
      this.typeIds = fill(padTypeId).concat(this.typeIds);
      this.tokens = fill(padToken).concat(this.tokens);
      this.wordIds = fill<number | null>(null).concat(this.wordIds);
      this.attentionMask = fill(0).concat(this.attentionMask);
      this.specialTokensMask = fill(1).concat(this.specialTokensMask);
      this.offsets = Array.from({ length: n }, (): [number, number] => [0, 0]).concat(this.offsets);
      for (const r of this.sequenceRanges.values()) {
        r[0] += n;
        r[1] += n;
      }
    } else {
      for (let i = 0; i < n; i++) {
        this.ids.push(padId);
        this.typeIds.push(padTypeId);
        this.tokens.push(padToken);
        this.wordIds.push(null);
        this.attentionMask.push(0);
        this.specialTokensMask.push(1);
        this.offsets.push([0, 0]);
      }
    }
  }
}

