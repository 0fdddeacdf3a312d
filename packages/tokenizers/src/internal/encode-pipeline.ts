// One input sequence through added-token extraction, normalization, pre-tokenization and the model, into an Encoding with code-point offsets.
import type { AddedVocabulary } from "../added-vocabulary/added-vocabulary.js";
import { Encoding } from "../encoding.js";
import type { Model } from "../models/model.js";
import type { Normalizer } from "../normalizers/normalizer.js";
import type { PreTokenizer } from "../pre-tokenizers/pre-tokenizer.js";
import type { Direction } from "../encoding.js";
import type { PreTokenizedString } from "./pre-tokenized-string.js";

/** The stages an input sequence goes through before post-processing. */
export interface PipelineParts {
  added: AddedVocabulary;
  normalizer: Normalizer | null;
  preTokenizer: PreTokenizer | null;
  model: Model;
}

/** UTF-16 index -> code point index table, or null when the text has no surrogate pairs (then they are equal). */
function cpIndexTable(text: string): Int32Array | null {
  let astral = false;
  for (let i = 0; i < text.length; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800) {
      astral = true;
      break;
    }
  }
  if (!astral) return null;
  const t = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; ) {
    const l = (text.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    t[i] = cp;
    if (l === 2) t[i + 1] = cp + 1;
    i += l;
    cp++;
  }
  t[text.length] = cp;
  return t;
}

/** Runs the model on every untokenized piece, stopping early once `limit` tokens exist (Rust `tokenize_with_limit`). */
function tokenizePieces(pts: PreTokenizedString, model: Model, limit: number | null, direction: Direction): void {
  const splits = pts.splits;
  if (limit === null) {
    for (const sp of splits) if (sp.tokens === null) sp.tokens = model.tokenize(sp.normalized.normalized);
    return;
  }
  let total = 0;
  if (direction === "right") {
    let last = 0;
    for (let i = 0; i < splits.length; i++) {
      const sp = splits[i];
      if (sp.tokens === null) sp.tokens = model.tokenize(sp.normalized.normalized);
      else {
        total += sp.tokens.length;
        last = i + 1;
        continue;
      }
      total += sp.tokens.length;
      last = i + 1;
      if (total >= limit) break;
    }
    pts.splits = splits.slice(0, last);
  } else {
    let first = splits.length;
    for (let i = splits.length - 1; i >= 0; i--) {
      const sp = splits[i];
      if (sp.tokens !== null) {
        total += sp.tokens.length;
        first = i;
        continue;
      }
      sp.tokens = model.tokenize(sp.normalized.normalized);
      total += sp.tokens.length;
      first = i;
      if (total >= limit) break;
    }
    pts.splits = splits.slice(first);
  }
}

/** Encodes one sequence; `wordIdx` is set for pre-tokenized input (every token gets that word id). */
export function encodeSequence(
  parts: PipelineParts,
  text: string,
  typeId: number,
  wordIdx: number | null,
  limit: number | null,
  direction: Direction,
): Encoding {
  const pts = parts.added.extractAndNormalize(parts.normalizer, text);
  parts.preTokenizer?.preTokenize(pts);
  tokenizePieces(pts, parts.model, limit, direction);
  const enc = new Encoding();
  const cpt = cpIndexTable(text);
  const splits = pts.splits;
  let total = 0;
  for (let si = 0; si < splits.length; si++) total += splits[si].tokens!.length;
  // Arrays of the final size, every slot written below: no growth, no fill pass; the constant fields are one fill each.
  const ids: number[] = new Array(total);
  const tokens: string[] = new Array(total);
  // Packed [start, end] in a plain array (small typed arrays cost far more to allocate in V8).
  const offsets: number[] = new Array(total * 2);
  const wordIds: Array<number | null> = new Array(total);
  let w = 0;
  for (let si = 0; si < splits.length; si++) {
    const sp = splits[si];
    const ns = sp.normalized;
    const word = wordIdx ?? si;
    const nLen = ns.normalized.length;
    const toks = sp.tokens!;
    for (let ti = 0; ti < toks.length; ti++) {
      const t = toks[ti];
      let s: number;
      let e: number;
      if (t.start === t.end) {
        s = ns.origStart + t.start;
        e = s;
      } else if (t.start > t.end || t.end > nLen) {
        s = t.start;
        e = t.end;
      } else {
        s = ns.originalStart(t.start);
        e = ns.originalEnd(t.end);
      }
      if (cpt !== null) {
        s = cpt[Math.min(s, text.length)];
        e = cpt[Math.min(e, text.length)];
      }
      ids[w] = t.id;
      tokens[w] = t.value;
      offsets[w * 2] = s;
      offsets[w * 2 + 1] = e;
      wordIds[w] = word;
      w++;
    }
  }
  enc.ids = ids;
  enc.tokens = tokens;
  enc.setPackedOffsets(offsets);
  enc.wordIds = wordIds;
  enc.typeIds = new Array(total).fill(typeId);
  enc.specialTokensMask = new Array(total).fill(0);
  enc.attentionMask = new Array(total).fill(1);
  return enc;
}
