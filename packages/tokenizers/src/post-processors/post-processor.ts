// The PostProcessor interface (adds special tokens, sets type ids) and the Rust crate's default `process` around it.
import { Encoding } from "../encoding.js";

/** A post-processing step (Rust `PostProcessor`). */
export interface PostProcessor {
  /** How many tokens this processor adds to a single sequence or a pair. */
  addedTokens(isPair: boolean): number;
  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[];
  /** The tokenizer.json object of this post-processor. */
  toJSON(): Record<string, unknown>;
  /**
   * When this processor only puts special tokens around a single input (no overflow), what it puts: lets
   * `runPostProcessor` build the result in one pass instead of merging encodings. Absent or null: the general path.
   */
  singleWrap?(): SingleWrap | null;
}

/** The special tokens before and after the one sequence of a single input, and the type id of each part. */
export interface SingleWrap {
  beforeIds: number[];
  beforeTokens: string[];
  beforeTypeIds: number[];
  sequenceTypeId: number;
  afterIds: number[];
  afterTokens: string[];
  afterTypeIds: number[];
}

/**
 * What the general path gives for one input without overflowing parts when the processor only adds `w`'s special
 * tokens around it (sequence id 0, offsets [0, 0] and masks 1 for the specials), built in one pass.
 */
function wrapSingle(enc: Encoding, w: SingleWrap): Encoding {
  const nb = w.beforeIds.length;
  const n = enc.length;
  const total = nb + n + w.afterIds.length;
  const ids: number[] = new Array(total);
  const tokens: string[] = new Array(total);
  const typeIds: number[] = new Array(total);
  const wordIds: Array<number | null> = new Array(total);
  const special: number[] = new Array(total);
  const attention: number[] = new Array(total);
  const packed: number[] = new Array(total * 2);
  // The special tokens' slots: word id null, special and attention mask 1, offsets [0, 0].
  const putSpecials = (from: number, specialIds: number[], specialTokens: string[], specialTypeIds: number[]) => {
    for (let i = 0, k = from; i < specialIds.length; i++, k++) {
      ids[k] = specialIds[i];
      tokens[k] = specialTokens[i];
      typeIds[k] = specialTypeIds[i];
      wordIds[k] = null;
      special[k] = 1;
      attention[k] = 1;
      packed[k * 2] = 0;
      packed[k * 2 + 1] = 0;
    }
  };
  putSpecials(0, w.beforeIds, w.beforeTokens, w.beforeTypeIds);
  const eIds = enc.ids;
  const eTokens = enc.tokens;
  const eWords = enc.wordIds;
  const eSpecial = enc.specialTokensMask;
  const eAttention = enc.attentionMask;
  for (let i = 0; i < n; i++) {
    const k = nb + i;
    ids[k] = eIds[i];
    tokens[k] = eTokens[i];
    typeIds[k] = w.sequenceTypeId;
    wordIds[k] = eWords[i];
    special[k] = eSpecial[i];
    attention[k] = eAttention[i];
  }
  enc.writeOffsets(packed, nb);
  putSpecials(nb + n, w.afterIds, w.afterTokens, w.afterTypeIds);
  const out = new Encoding();
  out.ids = ids;
  out.tokens = tokens;
  out.typeIds = typeIds;
  out.wordIds = wordIds;
  out.specialTokensMask = special;
  out.attentionMask = attention;
  out.setPackedOffsets(packed);
  enc.setSequenceId(0);
  const ranges = new Map<number, [number, number]>();
  for (const [seq, r] of enc.sequenceRanges) ranges.set(seq, [r[0] + nb, r[1] + nb]);
  out.sequenceRanges = ranges;
  out.sources = enc.sources;
  return out;
}

/** Rust `PostProcessor::process`: sets sequence and type ids, runs the processor, merges the results. */
export function runPostProcessor(pp: PostProcessor, enc: Encoding, pair: Encoding | null, addSpecialTokens: boolean): Encoding {
  if (pair === null && addSpecialTokens && pp.singleWrap !== undefined && enc.overflowing.length === 0) {
    const w = pp.singleWrap();
    if (w !== null) return wrapSingle(enc, w);
  }
  const encodings = pair ? [enc, pair] : [enc];
  encodings.forEach((e, i) => {
    e.setSequenceId(i);
    for (const o of e.overflowing) o.setSequenceId(i);
    e.typeIds = new Array(e.ids.length).fill(i);
  });
  // Like Rust's post_process, which takes the encodings by value: they are consumed here.
  return Encoding.merge(pp.processEncodings(encodings, addSpecialTokens), false, true);
}

/** An encoding made only of special tokens (post-processor insertions: offsets [0, 0], mask 1). */
export function specialEncoding(ids: number[], tokens: string[], typeId: number): Encoding {
  const e = new Encoding();
  e.ids = ids.slice();
  e.tokens = tokens.slice();
  e.typeIds = ids.map(() => typeId);
  e.wordIds = ids.map(() => null);
  e.setPackedOffsets(new Array<number>(ids.length * 2).fill(0));
  e.specialTokensMask = ids.map(() => 1);
  e.attentionMask = ids.map(() => 1);
  return e;
}
