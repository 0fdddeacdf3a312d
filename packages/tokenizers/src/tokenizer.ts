// Tokenizer: the full Hugging Face pipeline (added tokens, normalizer, pre-tokenizer, model, post-processor, decoder, padding, truncation), API shaped like the Python binding.
import { AddedToken } from "./added-vocabulary/added-token.js";
import { AddedVocabulary } from "./added-vocabulary/added-vocabulary.js";
import type { Decoder } from "./decoders/decoder.js";
import { decoderFromJSON } from "./decoders/from-json.js";
import { Encoding } from "./encoding.js";
import { encodeSequence } from "./internal/encode-pipeline.js";
import { readTokenizerFile } from "./internal/file-reader.js";
import { JsonObj, TokenizerJSONError } from "./internal/json-reader.js";
import { modelFromJSON } from "./models/from-json.js";
import type { Model } from "./models/model.js";
import { normalizerFromJSON } from "./normalizers/from-json.js";
import type { Normalizer } from "./normalizers/normalizer.js";
import { type PaddingOptions, type PaddingParams, padEncodings, paddingFromJSON, paddingToJSON, resolvePadding } from "./padding.js";
import { runPostProcessor, type PostProcessor } from "./post-processors/post-processor.js";
import { postProcessorFromJSON } from "./post-processors/from-json.js";
import { preTokenizerFromJSON } from "./pre-tokenizers/from-json.js";
import type { PreTokenizer } from "./pre-tokenizers/pre-tokenizer.js";
import { type TruncationOptions, type TruncationParams, resolveTruncation, truncateEncodings, truncationFromJSON, truncationToJSON } from "./truncation.js";

/** Input of `encode`: a text, or a list of words when `isPretokenized` is set. */
export type InputSequence = string | string[];

/** Options of `encode` / `encodeBatch`. */
export interface EncodeOptions {
  /** Run the post-processor's special tokens (default true). */
  addSpecialTokens?: boolean;
  /** The input is already split into words (arrays of strings). */
  isPretokenized?: boolean;
}

/** Options of `decode` / `decodeBatch`. */
export interface DecodeOptions {
  skipSpecialTokens?: boolean;
}

/** JS strings may hold lone surrogates; the Rust library only sees valid UTF-8 (they arrive as U+FFFD). */
function wellFormed(s: string): string {
  const f = (s as { toWellFormed?: () => string }).toWellFormed;
  if (typeof f === "function") return f.call(s);
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/**
 * A tokenizer loaded from a Hugging Face tokenizer.json.
 * @example
 * ```ts
 * const tok = Tokenizer.fromString(jsonText);
 * const enc = tok.encode("Hello world!");
 * enc.ids; enc.tokens; enc.offsets;
 * tok.decode(enc.ids, { skipSpecialTokens: true });
 * ```
 */
export class Tokenizer {
  normalizer: Normalizer | null = null;
  preTokenizer: PreTokenizer | null = null;
  model: Model;
  postProcessor: PostProcessor | null = null;
  decoder: Decoder | null = null;
  readonly addedVocabulary = new AddedVocabulary();
  truncation: TruncationParams | null = null;
  padding: PaddingParams | null = null;

  constructor(model: Model) {
    this.model = model;
  }

  /** Parses a tokenizer.json text. */
  static fromString(json: string): Tokenizer {
    let obj: unknown;
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new TokenizerJSONError("$", `not valid JSON (${(e as Error).message}); pass the content of a tokenizer.json file.`);
    }
    return Tokenizer.fromJSON(obj);
  }

  /**
   * Loads a tokenizer.json (or tokenizer.json.gz) file, like the Hugging Face Node binding's `Tokenizer.fromFile`.
   * Node only (the core entry imports no node: module: it finds Node's fs at run time); in a browser use `fromString`.
   * @example
   * ```ts
   * const tok = Tokenizer.fromFile("tokenizer.json");
   * tok.encode("Hello").ids;
   * ```
   */
  static fromFile(path: string): Tokenizer {
    return Tokenizer.fromString(readTokenizerFile(path, "Tokenizer.fromFile"));
  }

  /** Builds a tokenizer from a parsed tokenizer.json object. */
  static fromJSON(value: unknown): Tokenizer {
    const o = new JsonObj(value, "$");
    const version = o.raw("version");
    if (version !== undefined && version !== "1.0") throw new TokenizerJSONError("$.version", `unknown tokenizer version ${JSON.stringify(version)}; expected "1.0".`);
    if (!o.has("model")) throw new TokenizerJSONError("$.model", "missing; a tokenizer.json needs a model.");
    const tok = new Tokenizer(modelFromJSON(o.raw("model"), "$.model"));
    tok.normalizer = normalizerFromJSON(o.raw("normalizer"), "$.normalizer");
    tok.preTokenizer = preTokenizerFromJSON(o.raw("pre_tokenizer"), "$.pre_tokenizer");
    tok.postProcessor = postProcessorFromJSON(o.raw("post_processor"), "$.post_processor");
    tok.decoder = decoderFromJSON(o.raw("decoder"), "$.decoder");
    tok.truncation = truncationFromJSON(o.raw("truncation"), "$.truncation");
    tok.padding = paddingFromJSON(o.raw("padding"), "$.padding");
    const added: AddedToken[] = [];
    if (o.has("added_tokens")) {
      o.array("added_tokens").forEach((t, i) => {
        const a = new JsonObj(t, `$.added_tokens[${i}]`);
        const special = a.bool("special", false);
        added.push(
          new AddedToken(a.string("content"), {
            special,
            singleWord: a.bool("single_word", false),
            lstrip: a.bool("lstrip", false),
            rstrip: a.bool("rstrip", false),
            normalized: a.bool("normalized", !special),
          }),
        );
      });
    }
    tok.addedVocabulary.addTokens(added, tok.model, tok.normalizer);
    return tok;
  }

  /** Replaces the normalizer (added tokens are re-normalized, as in the Rust crate). */
  setNormalizer(n: Normalizer | null): void {
    this.normalizer = n;
    this.addedVocabulary.refreshNormalized(n);
  }

  private encodeInput(seq: InputSequence, typeId: number, isPretokenized: boolean): Encoding {
    const t = this.truncation;
    const limit = t && (t.strategy !== "only_second" || typeId !== 0) ? t.maxLength : null;
    const dir = t ? t.direction : "right";
    const parts = { added: this.addedVocabulary, normalizer: this.normalizer, preTokenizer: this.preTokenizer, model: this.model };
    if (isPretokenized || Array.isArray(seq)) {
      const words = (Array.isArray(seq) ? seq : [seq]).map(wellFormed);
      const enc = Encoding.merge(
        words.map((w, i) => encodeSequence(parts, w, typeId, i, limit, dir)),
        false,
      );
      enc.sources = [words];
      return enc;
    }
    const text = wellFormed(seq);
    const enc = encodeSequence(parts, text, typeId, null, limit, dir);
    enc.sources = [text];
    return enc;
  }

  /** Truncation, post-processor (special tokens) and padding of one (pair of) encoding(s) (Rust `post_process`). */
  postProcess(enc: Encoding, pair: Encoding | null, addSpecialTokens = true): Encoding {
    const t = this.truncation;
    if (t) {
      const n = this.postProcessor ? this.postProcessor.addedTokens(pair !== null) : 0;
      const params = addSpecialTokens && n > 0 ? { ...t, maxLength: t.maxLength - n } : t;
      truncateEncodings(enc, pair, params);
    }
    let out: Encoding;
    if (this.postProcessor) out = runPostProcessor(this.postProcessor, enc, pair, addSpecialTokens);
    else if (pair) {
      out = new Encoding();
      enc.setSequenceId(0);
      out.mergeWith(enc, false);
      pair.setSequenceId(1);
      out.mergeWith(pair, false);
    } else out = enc;
    out.sources = pair ? [enc.sources[0], pair.sources[0]] : [enc.sources[0]];
    for (const o of out.overflowing) o.sources = out.sources;
    if (this.padding) padEncodings([out], this.padding);
    return out;
  }

  /**
   * Encodes a text (or a pair of texts). With `isPretokenized`, inputs are arrays of words.
   * @example
   * ```ts
   * tok.encode("Hello", "World").typeIds;
   * ```
   */
  encode(text: InputSequence, pair: InputSequence | null = null, options: EncodeOptions = {}): Encoding {
    const add = options.addSpecialTokens ?? true;
    const pre = options.isPretokenized ?? false;
    const a = this.encodeInput(text, 0, pre);
    const b = pair === null || pair === undefined ? null : this.encodeInput(pair, 1, pre);
    return this.postProcess(a, b, add);
  }

  /** Encodes many inputs (texts or `[text, pair]`), padding them together when padding is set. */
  encodeBatch(inputs: Array<InputSequence | [InputSequence, InputSequence]>, options: EncodeOptions = {}): Encoding[] {
    const pre = options.isPretokenized ?? false;
    const out = inputs.map((inp) => {
      const isPair = Array.isArray(inp) && inp.length === 2 && (pre ? Array.isArray(inp[0]) : typeof inp[0] === "string" && !pre);
      if (isPair) return this.encode(inp[0] as InputSequence, inp[1] as InputSequence, options);
      return this.encode(inp as InputSequence, null, options);
    });
    if (this.padding) padEncodings(out, this.padding);
    return out;
  }

  /** Text of `ids` (Rust `decode`); special tokens are dropped with `skipSpecialTokens`. */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? false;
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const tok = this.addedVocabulary.idToToken(ids[i]) ?? this.model.idToToken(ids[i]);
      if (tok === undefined) continue;
      if (skip && this.addedVocabulary.isSpecialToken(tok)) continue;
      tokens.push(tok);
    }
    return this.decoder ? this.decoder.decodeChain(tokens).join("") : tokens.join(" ");
  }

  decodeBatch(sentences: Array<ArrayLike<number>>, options: DecodeOptions = {}): string[] {
    return sentences.map((s) => this.decode(s, options));
  }

  setTruncation(options: TruncationOptions): void {
    const p = resolveTruncation(options);
    const n = this.postProcessor ? this.postProcessor.addedTokens(false) : 0;
    if (p.maxLength - n < p.stride) {
      throw new Error(`setTruncation: stride ${p.stride} is greater than the effective max length ${p.maxLength - n} (= ${p.maxLength} - ${n} special tokens); lower the stride or raise maxLength.`);
    }
    this.truncation = p;
  }
  noTruncation(): void {
    this.truncation = null;
  }
  setPadding(options: PaddingOptions = {}): void {
    this.padding = resolvePadding(options);
  }
  noPadding(): void {
    this.padding = null;
  }

  /** Token -> id, added tokens included by default. */
  getVocab(withAddedTokens = true): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.model.getVocab()) out[k] = v;
    if (withAddedTokens) for (const [k, v] of this.addedVocabulary.map) out[k] = v;
    return out;
  }
  getVocabSize(withAddedTokens = true): number {
    const base = this.model.getVocabSize();
    if (!withAddedTokens) return base;
    let extra = 0;
    for (const k of this.addedVocabulary.map.keys()) if (this.model.tokenToId(k) === undefined) extra++;
    return base + extra;
  }
  tokenToId(token: string): number | undefined {
    return this.addedVocabulary.tokenToId(token, this.model);
  }
  idToToken(id: number): string | undefined {
    return this.addedVocabulary.idToToken(id) ?? this.model.idToToken(id);
  }
  /** Added tokens by id. */
  getAddedTokensDecoder(): Map<number, AddedToken> {
    return new Map(this.addedVocabulary.mapR);
  }

  /** Adds tokens (strings become non-special tokens); returns how many are new. */
  addTokens(tokens: Array<string | AddedToken>): number {
    const list = tokens.map((t) => (typeof t === "string" ? new AddedToken(t) : t));
    return this.addedVocabulary.addTokens(list, this.model, this.normalizer);
  }
  /** Adds special tokens (strings become special tokens); returns how many are new. */
  addSpecialTokens(tokens: Array<string | AddedToken>): number {
    const list = tokens.map((t) => (typeof t === "string" ? new AddedToken(t, { special: true }) : t));
    return this.addedVocabulary.addTokens(list, this.model, this.normalizer);
  }

  /** The tokenizer.json object (same meaning as the loaded file; the Rust library loads it back). */
  toJSON(): Record<string, unknown> {
    return {
      version: "1.0",
      truncation: this.truncation ? truncationToJSON(this.truncation) : null,
      padding: this.padding ? paddingToJSON(this.padding) : null,
      added_tokens: this.addedVocabulary.toJSON(),
      normalizer: this.normalizer ? this.normalizer.toJSON() : null,
      pre_tokenizer: this.preTokenizer ? this.preTokenizer.toJSON() : null,
      post_processor: this.postProcessor ? this.postProcessor.toJSON() : null,
      decoder: this.decoder ? this.decoder.toJSON() : null,
      model: this.model.toJSON(),
    };
  }

  /** tokenizer.json text; `pretty` indents it. */
  toString(pretty = false): string {
    return JSON.stringify(this.toJSON(), null, pretty ? 2 : undefined);
  }
}
