// BertPreTokenizer: split on whitespace (removed) then on punctuation (isolated) (Rust `pre_tokenizers::bert`).
import { isPunctuation, isWhitespace } from "../internal/char-classes.js";
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import type { NormalizedString } from "../internal/normalized-string.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

/**
 * Both of Rust's passes at once (whitespace removed, then punctuation isolated): runs of other chars become pieces, each
 * punctuation char is a piece, whitespace is dropped. Slicing the piece directly gives the same alignments as slicing
 * the whitespace-split piece again.
 */
function bertPieces(ns: NormalizedString): NormalizedString[] {
  const s = ns.normalized;
  const n = s.length;
  const out: NormalizedString[] = [];
  let start = 0;
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    let cp = c;
    let l = 1;
    if ((c & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      cp = s.codePointAt(i)!;
      l = 2;
    }
    if (isWhitespace(cp)) {
      if (start < i) out.push(ns.slice(start, i));
      start = i + l;
    } else if (isPunctuation(cp)) {
      if (start < i) out.push(ns.slice(start, i));
      out.push(ns.slice(i, i + l));
      start = i + l;
    }
    i += l;
  }
  if (start < n) out.push(ns.slice(start, n));
  return out;
}

/**
 * BERT's pre-tokenizer.
 * @example
 * ```ts
 * new BertPreTokenizer().toJSON(); // { type: "BertPreTokenizer" }
 * ```
 */
export class BertPreTokenizer implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => bertPieces(ns));
  }
  toJSON(): Record<string, unknown> {
    return { type: "BertPreTokenizer" };
  }
}
