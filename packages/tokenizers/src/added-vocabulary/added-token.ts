// AddedToken: a token matched in raw text before the model runs (Rust `tokenizer::added_vocabulary::AddedToken`).

/** Options of an added token; defaults follow the Rust crate (`normalized` defaults to `!special`). */
export interface AddedTokenOptions {
  singleWord?: boolean;
  lstrip?: boolean;
  rstrip?: boolean;
  normalized?: boolean;
  special?: boolean;
}

/**
 * A token added to the vocabulary.
 * @example
 * ```ts
 * tokenizer.addTokens([new AddedToken("<tool>", { special: true })]);
 * ```
 */
export class AddedToken {
  readonly content: string;
  readonly singleWord: boolean;
  readonly lstrip: boolean;
  readonly rstrip: boolean;
  readonly normalized: boolean;
  readonly special: boolean;

  constructor(content: string, opts: AddedTokenOptions = {}) {
    this.content = content;
    this.special = opts.special ?? false;
    this.singleWord = opts.singleWord ?? false;
    this.lstrip = opts.lstrip ?? false;
    this.rstrip = opts.rstrip ?? false;
    this.normalized = opts.normalized ?? !this.special;
  }

  equals(o: AddedToken): boolean {
    return (
      this.content === o.content &&
      this.singleWord === o.singleWord &&
      this.lstrip === o.lstrip &&
      this.rstrip === o.rstrip &&
      this.normalized === o.normalized &&
      this.special === o.special
    );
  }

  /** tokenizer.json form, with its id. */
  toJSON(id: number): Record<string, unknown> {
    return {
      id,
      content: this.content,
      single_word: this.singleWord,
      lstrip: this.lstrip,
      rstrip: this.rstrip,
      normalized: this.normalized,
      special: this.special,
    };
  }
}
