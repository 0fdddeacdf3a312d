// WordLevel model: each piece is looked up whole, unknown pieces become the unk token (Rust `models::wordlevel`).
import type { Token } from "../internal/token.js";
import type { Model } from "./model.js";
import { VocabModel, orderedVocabJSON } from "./vocab.js";

/** Options of the WordLevel model. */
export interface WordLevelOptions {
  vocab: Map<string, number> | Record<string, number>;
  unkToken?: string;
}

/**
 * Word-level model.
 * @example
 * ```ts
 * const wl = new WordLevel({ vocab: { "[UNK]": 0, hello: 1 }, unkToken: "[UNK]" });
 * wl.tokenize("hello")[0].id; // 1
 * ```
 */
export class WordLevel extends VocabModel implements Model {
  readonly unkToken: string;

  constructor(opts: WordLevelOptions) {
    super(opts.vocab);
    this.unkToken = opts.unkToken ?? "<unk>";
  }

  tokenize(sequence: string): Token[] {
    const id = this.vocab.get(sequence);
    if (id !== undefined) return [{ id, value: sequence, start: 0, end: sequence.length }];
    const unk = this.vocab.get(this.unkToken);
    if (unk === undefined) throw new Error(`WordLevel: ${JSON.stringify(sequence)} is not in the vocabulary and unk_token ${JSON.stringify(this.unkToken)} is missing too.`);
    return [{ id: unk, value: this.unkToken, start: 0, end: sequence.length }];
  }

  toJSON(): Record<string, unknown> {
    return { type: "WordLevel", vocab: orderedVocabJSON(this.vocabR), unk_token: this.unkToken };
  }
}
