// The list of pieces a text is cut into before the model runs (follows the Rust crate's PreTokenizedString).
import { NormalizedString } from "./normalized-string.js";
import type { Token } from "./token.js";

/** One piece: its normalized text and, once the model (or an added token) produced them, its tokens. */
export interface Split {
  normalized: NormalizedString;
  tokens: Token[] | null;
}

/**
 * Pieces of one input sequence. Pre-tokenizers call `split` / `normalizeSplits`; the tokenizer then runs the model on
 * every piece that has no tokens yet.
 */
export class PreTokenizedString {
  original: string;
  splits: Split[];

  constructor(original: string, splits?: Split[]) {
    this.original = original;
    this.splits = splits ?? [{ normalized: NormalizedString.fromOriginal(original), tokens: null }];
  }

  /** Replace every untokenized piece by what `fn` returns, dropping empty results (Rust `split`). */
  split(fn: (index: number, ns: NormalizedString) => Iterable<NormalizedString | Split>): void {
    const out: Split[] = [];
    const splits = this.splits;
    for (let i = 0; i < splits.length; i++) {
      const sp = splits[i];
      if (sp.tokens !== null) {
        out.push(sp);
        continue;
      }
      for (const r of fn(i, sp.normalized)) {
        const piece: Split = r instanceof NormalizedString ? { normalized: r, tokens: null } : r;
        if (piece.normalized.normalized.length > 0) out.push(piece);
      }
    }
    this.splits = out;
  }

  /** Apply `fn` to every untokenized piece in place (Rust `normalize`). */
  normalizeSplits(fn: (ns: NormalizedString) => void): void {
    for (const sp of this.splits) if (sp.tokens === null) fn(sp.normalized);
  }
}
