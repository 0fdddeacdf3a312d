// WordPiece model: greedy longest-match-first with a continuing-subword prefix (Rust `models::wordpiece`).
import type { Token } from "../internal/token.js";
import type { Model } from "./model.js";
import { VocabModel, orderedVocabJSON } from "./vocab.js";

/** Options of the WordPiece model, mirroring tokenizer.json's `model` fields. */
export interface WordPieceOptions {
  vocab: Map<string, number> | Record<string, number>;
  unkToken?: string;
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
}

const CACHE_CAPACITY = 10000;
const MAX_CACHED_LENGTH = 256;

/**
 * WordPiece model (BERT).
 * @example
 * ```ts
 * const wp = new WordPiece({ vocab: { "[UNK]": 0, play: 1, "##ing": 2 } });
 * wp.tokenize("playing").map((t) => t.value); // ["play", "##ing"]
 * ```
 */
export class WordPiece extends VocabModel implements Model {
  readonly unkToken: string;
  readonly continuingSubwordPrefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly maxTokenLength: number;
  /** word -> tokens; filled until CACHE_CAPACITY words, like the BPE cache (results never depend on the cache). */
  private readonly cache = new Map<string, Token[]>();

  constructor(opts: WordPieceOptions) {
    super(opts.vocab);
    this.unkToken = opts.unkToken ?? "[UNK]";
    this.continuingSubwordPrefix = opts.continuingSubwordPrefix ?? "##";
    this.maxInputCharsPerWord = opts.maxInputCharsPerWord ?? 100;
    let m = 0;
    for (const k of this.vocab.keys()) if (k.length > m) m = k.length;
    this.maxTokenLength = m;
  }

  private unk(len: number): Token[] {
    const id = this.vocab.get(this.unkToken);
    if (id === undefined) throw new Error(`WordPiece: unk_token ${JSON.stringify(this.unkToken)} is not in the vocabulary.`);
    return [{ id, value: this.unkToken, start: 0, end: len }];
  }

  tokenize(sequence: string): Token[] {
    const hit = this.cache.get(sequence);
    if (hit !== undefined) return hit;
    const tokens = this.tokenizeWord(sequence);
    if (this.cache.size < CACHE_CAPACITY && sequence.length < MAX_CACHED_LENGTH) this.cache.set(sequence, tokens);
    return tokens;
  }

  private tokenizeWord(sequence: string): Token[] {
    const len = sequence.length;
    let chars = 0;
    for (let i = 0; i < len; i++) {
      const c = sequence.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff || i === 0 || (sequence.charCodeAt(i - 1) & 0xfc00) !== 0xd800) chars++;
    }
    if (chars > this.maxInputCharsPerWord) return this.unk(len);
    const out: Token[] = [];
    const prefix = this.continuingSubwordPrefix;
    let start = 0;
    while (start < len) {
      // No vocabulary entry is longer than maxTokenLength, so longer candidates cannot match.
      let end = Math.min(len, start + this.maxTokenLength);
      if (end < len && (sequence.charCodeAt(end) & 0xfc00) === 0xdc00) end--;
      let found: Token | null = null;
      while (start < end) {
        const sub = start > 0 ? prefix + sequence.slice(start, end) : sequence.slice(start, end);
        const id = this.vocab.get(sub);
        if (id !== undefined) {
          found = { id, value: sub, start, end };
          break;
        }
        end -= end - 2 >= start && (sequence.charCodeAt(end - 1) & 0xfc00) === 0xdc00 && (sequence.charCodeAt(end - 2) & 0xfc00) === 0xd800 ? 2 : 1;
      }
      if (found === null) return this.unk(len);
      out.push(found);
      start = found.end;
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: "WordPiece",
      unk_token: this.unkToken,
      continuing_subword_prefix: this.continuingSubwordPrefix,
      max_input_chars_per_word: this.maxInputCharsPerWord,
      vocab: orderedVocabJSON(this.vocabR),
    };
  }
}
