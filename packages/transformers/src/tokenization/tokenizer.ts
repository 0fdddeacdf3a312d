// PreTrainedTokenizer and AutoTokenizer: HF's fast tokenizer wrapper (tokenizer_config.json, special tokens, padding, truncation, chat templates).
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { Tokenizer, type Encoding, type TruncationStrategy } from "@tsorch/tokenizers";
import { tensor, type Tensor } from "@tsorch/tensor";
import { writeFileAtomic } from "@tsorch/tensor/node";
import { openModelSource, HubFileNotFoundError, type HubOptions } from "../internal/hub.js";
import { BatchEncoding } from "./batch-encoding.js";
import { convertSlowTokenizer } from "./convert-slow.js";
import { mbartTargetTokenizer } from "./convert-sentencepiece.js";

/** Special-token roles, as HF's SPECIAL_TOKENS_ATTRIBUTES. */
export const SPECIAL_ROLES = ["bos", "eos", "unk", "sep", "pad", "cls", "mask"] as const;
export type SpecialRole = (typeof SPECIAL_ROLES)[number];

/** Options of calling a tokenizer, HF's names camelCased. */
export interface TokenizeOptions {
  padding?: boolean | "longest" | "max_length" | "do_not_pad";
  truncation?: boolean | "longest_first" | "only_first" | "only_second" | "do_not_truncate";
  maxLength?: number;
  stride?: number;
  padToMultipleOf?: number;
  returnOverflowingTokens?: boolean;
  returnOffsetsMapping?: boolean;
  returnSpecialTokensMask?: boolean;
  returnTokenTypeIds?: boolean;
  isSplitIntoWords?: boolean;
  addSpecialTokens?: boolean;
  /** The second texts of pairs (question answering, NLI). */
  textPair?: string | string[] | string[][];
  /** Tokenize these texts as seq2seq labels (with the target vocabulary where there is one). */
  textTarget?: string | string[];
}

/** A chat message for `applyChatTemplate`. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** Tokenizer classes whose models take `token_type_ids` (HF's model_input_names). */
const WITH_TOKEN_TYPES = /^(Bert|Albert|Electra|Deberta|DebertaV2|XLNet|Funnel|LayoutLM|ConvBert|MobileBert|SqueezeBert|RemBert|Splinter|Lxmert|RoFormer|Nezha|MPNet_)/;

type Json = Record<string, unknown>;

const tokenContent = (v: unknown): string | null => (typeof v === "string" ? v : v && typeof v === "object" && typeof (v as Json).content === "string" ? ((v as Json).content as string) : null);

function readJson(path: string): Json {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Json;
  } catch (e) {
    throw new Error(`AutoTokenizer: ${path} is not valid JSON (${(e as Error).message}).`);
  }
}

function writeAtomic(path: string, text: string | Uint8Array): void {
  writeFileAtomic(path, text, "savePretrained");
}

/**
 * A Hugging Face tokenizer as Python's `PreTrainedTokenizerFast`: the `@tsorch/tokenizers` pipeline plus
 * tokenizer_config.json (special tokens, `model_max_length`, padding and truncation sides, chat template).
 * Call it with `tok.call(texts, options)` (or `tok(texts)` through `asCallable`).
 * @example
 * const tok = await AutoTokenizer.fromPretrained("./bert-base-uncased");
 * const batch = tok.call(["Hello world", "Hi"], { padding: true, returnTensors: "pt" });
 * tok.decode(batch.inputIds[0], { skipSpecialTokens: true });
 */
export class PreTrainedTokenizer {
  modelMaxLength: number;
  paddingSide: "left" | "right";
  truncationSide: "left" | "right";
  chatTemplate: string | null;
  cleanUpTokenizationSpaces: boolean;
  modelInputNames: string[];
  readonly specialTokens: Partial<Record<SpecialRole, string>> = {};
  additionalSpecialTokens: string[] = [];
  /** tokenizer_config.json as read, for writing back. */
  readonly config: Json;
  /** A second tokenizer for targets (Marian's target vocabulary), when the checkpoint has one. */
  targetTokenizer: Tokenizer | null = null;
  /**
   * The slow files that stand for this tokenizer when it has no tokenizer.json form (Marian's source.spm, target.spm,
   * vocab.json): savePretrained writes them back instead of a tokenizer.json.
   */
  slowFiles: Record<string, Uint8Array> | null = null;

  constructor(readonly backend: Tokenizer, config: Json = {}, specialTokensMap: Json = {}) {
    this.config = { ...config };
    const mml = Number(config.model_max_length);
    this.modelMaxLength = Number.isFinite(mml) && mml > 0 && mml < 1e12 ? mml : 1e30;
    this.paddingSide = config.padding_side === "left" ? "left" : "right";
    this.truncationSide = config.truncation_side === "left" ? "left" : "right";
    this.chatTemplate = typeof config.chat_template === "string" ? config.chat_template : null;
    this.cleanUpTokenizationSpaces = config.clean_up_tokenization_spaces !== false;
    const cls = String(config.tokenizer_class ?? "");
    this.modelInputNames = Array.isArray(config.model_input_names)
      ? (config.model_input_names as string[])
      : WITH_TOKEN_TYPES.test(cls) && !/^DistilBert/.test(cls)
        ? ["input_ids", "token_type_ids", "attention_mask"]
        : ["input_ids", "attention_mask"];
    for (const role of SPECIAL_ROLES) {
      const v = tokenContent(specialTokensMap[`${role}_token`]) ?? tokenContent(config[`${role}_token`]);
      if (v !== null) this.specialTokens[role] = v;
    }
    const extra = (specialTokensMap.additional_special_tokens ?? config.additional_special_tokens) as unknown[] | undefined;
    if (Array.isArray(extra)) this.additionalSpecialTokens = extra.map(tokenContent).filter((x): x is string => x !== null);
  }

  /** A tokenizer around a `@tsorch/tokenizers` Tokenizer (e.g. one you trained), with special tokens by role. @example PreTrainedTokenizer.fromTokenizer(tok, { padToken: "[PAD]", clsToken: "[CLS]" }) */
  static fromTokenizer(backend: Tokenizer, opts: { modelMaxLength?: number; tokenizerClass?: string; paddingSide?: "left" | "right" } & Partial<Record<`${SpecialRole}Token`, string>> = {}): PreTrainedTokenizer {
    const config: Json = { model_max_length: opts.modelMaxLength ?? 512, tokenizer_class: opts.tokenizerClass ?? "PreTrainedTokenizerFast", padding_side: opts.paddingSide ?? "right" };
    for (const role of SPECIAL_ROLES) if (opts[`${role}Token`]) config[`${role}_token`] = opts[`${role}Token`];
    return new PreTrainedTokenizer(backend, config);
  }

  /**
   * Loads a tokenizer as `AutoTokenizer.from_pretrained`: tokenizer.json when present, else converted from the slow
   * files (vocab.txt, vocab.json + merges.txt, SentencePiece .model) as HF's converters do.
   * @example const tok = await PreTrainedTokenizer.fromPretrained("./gpt2");
   */
  static async fromPretrained(nameOrPath: string, opts: HubOptions = {}): Promise<PreTrainedTokenizer> {
    const source = openModelSource(nameOrPath, opts);
    const cfgPath = await source.file("tokenizer_config.json");
    const config = cfgPath ? readJson(cfgPath) : {};
    const stmPath = await source.file("special_tokens_map.json");
    const stm = stmPath ? readJson(stmPath) : {};
    const tjPath = await source.file("tokenizer.json");
    let backend: Tokenizer;
    if (tjPath) backend = Tokenizer.fromString(readFileSync(tjPath, "utf8"));
    else {
      const converted = await convertSlowTokenizer(source, config, stm);
      if (!converted)
        throw new HubFileNotFoundError(
          `AutoTokenizer: ${source.where} has no tokenizer: looked for tokenizer.json, vocab.txt, vocab.json + merges.txt and SentencePiece files (spiece.model, sentencepiece.bpe.model, tokenizer.model, source.spm). Save one with tokenizer.savePretrained.`,
        );
      backend = converted.tokenizer;
      const tok = new PreTrainedTokenizer(backend, { ...converted.defaults, ...config }, stm);
      tok.targetTokenizer = converted.target ?? null;
      tok.slowFiles = converted.files ?? null;
      return tok;
    }
    const tok = new PreTrainedTokenizer(backend, config, stm);
    // mBART's tokenizer.json holds the source-language template; targets end with tgt_lang's code (its target mode).
    if (/^MBart(Tokenizer|$)/.test(String(config.tokenizer_class ?? "")) && typeof config.tgt_lang === "string") tok.targetTokenizer = mbartTargetTokenizer(backend, config.tgt_lang);
    return tok;
  }

  // ---- special tokens -------------------------------------------------------------------------------------------

  #id(role: SpecialRole): number | null {
    const t = this.specialTokens[role];
    return t === undefined ? null : (this.backend.tokenToId(t) ?? null);
  }
  get padToken(): string | null { return this.specialTokens.pad ?? null; }
  get padTokenId(): number | null { return this.#id("pad"); }
  get eosTokenId(): number | null { return this.#id("eos"); }
  get bosTokenId(): number | null { return this.#id("bos"); }
  get unkTokenId(): number | null { return this.#id("unk"); }
  get sepTokenId(): number | null { return this.#id("sep"); }
  get clsTokenId(): number | null { return this.#id("cls"); }
  get maskToken(): string | null { return this.specialTokens.mask ?? null; }
  get maskTokenId(): number | null { return this.#id("mask"); }
  /** Every special token's id (roles and additional ones). */
  get allSpecialIds(): number[] {
    const toks = [...Object.values(this.specialTokens), ...this.additionalSpecialTokens];
    return [...new Set(toks.map((t) => this.backend.tokenToId(t!)).filter((x): x is number => x !== undefined))];
  }
  /** The vocabulary size including added tokens, as `len(tokenizer)`. */
  get length(): number {
    return this.backend.getVocabSize(true);
  }

  /** Sets the pad token (e.g. to the EOS token for GPT-2-style models), as `tokenizer.pad_token = …`. @example tok.setPadToken(tok.specialTokens.eos!) */
  setPadToken(token: string): void {
    if (this.backend.tokenToId(token) === undefined) throw new RangeError(`setPadToken: ${JSON.stringify(token)} is not in the vocabulary; add it with backend.addSpecialTokens first.`);
    this.specialTokens.pad = token;
  }

  // ---- encoding -------------------------------------------------------------------------------------------------

  /**
   * Tokenizes one text or a batch (with optional pairs), as calling a Python tokenizer: padding, truncation,
   * overflowing windows with a stride, offsets, pre-split words; `returnTensors: "pt"` gives int64 tensors. With
   * `textTarget` the targets are tokenized too (Marian: with `target.spm`) and returned as `labels`; with `textTarget`
   * and no text (`undefined`), the targets' own encoding is returned.
   * @example tok.call(["a question"], { textPair: ["its context"], truncation: "only_second", maxLength: 384, stride: 128, returnOverflowingTokens: true, returnOffsetsMapping: true })
   */
  call(text: string | string[] | string[][] | undefined, opts: TokenizeOptions = {}): BatchEncoding {
    const batched = Array.isArray(text) && (!opts.isSplitIntoWords || Array.isArray(text[0]));
    const texts = (batched ? text : [text]) as (string | string[])[];
    if (opts.textTarget !== undefined && text === undefined) return this.callTarget(opts.textTarget, opts);
    const pairsIn = opts.textPair === undefined ? null : ((batched ? opts.textPair : [opts.textPair]) as (string | string[])[]);
    if (pairsIn && pairsIn.length !== texts.length) throw new RangeError(`tokenizer: ${texts.length} texts but ${pairsIn.length} textPair entries; give one pair per text.`);
    for (const [i, t] of texts.entries())
      if (typeof t !== "string" && !Array.isArray(t)) throw new TypeError(`tokenizer: input ${i} must be a string (or a list of words with isSplitIntoWords), got ${t === null ? "null" : typeof t}.`);
    const enc = this.#encode(this.backend, texts, pairsIn, opts);
    // As HF: with both texts and targets, the targets' ids come back as `labels` (padded and truncated the same way).
    if (opts.textTarget !== undefined) {
      const targets = Array.isArray(opts.textTarget) ? opts.textTarget : [opts.textTarget];
      if (targets.length !== texts.length) throw new RangeError(`tokenizer: ${texts.length} texts but ${targets.length} textTarget entries; give one target per text.`);
      enc.labels = this.callTarget(targets, { ...opts, textPair: undefined, textTarget: undefined, returnOverflowingTokens: false }).inputIds;
    }
    return enc;
  }

  /** Tokenizes seq2seq targets (labels), with the target vocabulary where the checkpoint has one (Marian). @example tok.callTarget(["Hallo Welt"]).inputIds */
  callTarget(text: string | string[], opts: TokenizeOptions = {}): BatchEncoding {
    const texts = Array.isArray(text) ? text : [text];
    return this.#encode(this.targetTokenizer ?? this.backend, texts, null, opts);
  }

  #encode(backend: Tokenizer, texts: (string | string[])[], pairs: (string | string[])[] | null, opts: TokenizeOptions): BatchEncoding {
    const padding = opts.padding === true ? "longest" : opts.padding === false || opts.padding === undefined || opts.padding === "do_not_pad" ? null : opts.padding;
    const truncation: TruncationStrategy | null =
      opts.truncation === true ? "longest_first" : opts.truncation === false || opts.truncation === undefined || opts.truncation === "do_not_truncate" ? null : opts.truncation;
    let maxLength = opts.maxLength;
    if (maxLength === undefined && (truncation || padding === "max_length")) {
      if (this.modelMaxLength >= 1e29) throw new RangeError("tokenizer: truncation or max_length padding needs maxLength: this tokenizer has no model_max_length.");
      maxLength = this.modelMaxLength;
    }
    if (opts.returnOverflowingTokens && !truncation) throw new RangeError("tokenizer: returnOverflowingTokens needs truncation (e.g. truncation: \"only_second\" with maxLength and stride).");
    const savedT = backend.truncation;
    const savedP = backend.padding;
    try {
      if (truncation) backend.setTruncation({ maxLength: maxLength!, stride: opts.stride ?? 0, strategy: truncation, direction: this.truncationSide });
      else backend.noTruncation();
      if (padding) {
        // The pad id in the vocabulary of the side being encoded (Marian's target vocabulary may number it otherwise).
        const pid = this.padToken === null ? null : (backend.tokenToId(this.padToken) ?? null);
        if (pid === null) throw new RangeError("tokenizer: padding needs a pad token, and this tokenizer has none; set one with setPadToken (e.g. the EOS token) or pass padding: false.");
        backend.setPadding({ length: padding === "max_length" ? maxLength! : null, direction: this.paddingSide, padId: pid, padToken: this.padToken!, padToMultipleOf: opts.padToMultipleOf ?? null });
      } else backend.noPadding();
      const inputs = pairs ? texts.map((t, i) => [t, pairs[i]] as [string | string[], string | string[]]) : texts;
      const encs = backend.encodeBatch(inputs as never, { addSpecialTokens: opts.addSpecialTokens ?? true, isPretokenized: !!opts.isSplitIntoWords });
      let rows: Encoding[] = encs;
      let overflowToSample: number[] | undefined;
      if (opts.returnOverflowingTokens) {
        rows = [];
        overflowToSample = [];
        encs.forEach((e, i) => {
          for (const r of [e, ...e.overflowing]) (rows.push(r), overflowToSample!.push(i));
        });
      }
      const wantTypes = opts.returnTokenTypeIds ?? this.modelInputNames.includes("token_type_ids");
      return new BatchEncoding(rows, { tokenTypeIds: wantTypes, offsets: !!opts.returnOffsetsMapping, specialTokensMask: !!opts.returnSpecialTokensMask, overflowToSample });
    } finally {
      if (savedT) backend.setTruncation(savedT);
      else backend.noTruncation();
      if (savedP) backend.setPadding(savedP);
      else backend.noPadding();
    }
  }

  /** The ids of one text, as `tokenizer.encode`. @example tok.encode("Hello") // [101, 7592, 102] */
  encode(text: string, opts: { addSpecialTokens?: boolean; textPair?: string } = {}): number[] {
    return [...this.backend.encode(text, opts.textPair ?? null, { addSpecialTokens: opts.addSpecialTokens ?? true }).ids];
  }

  /** Tokens of one text without special tokens, as `tokenizer.tokenize`. @example tok.tokenize("Hello world") */
  tokenize(text: string): string[] {
    return [...this.backend.encode(text, null, { addSpecialTokens: false }).tokens];
  }

  // ---- decoding -------------------------------------------------------------------------------------------------

  /**
   * Text of ids, as `tokenizer.decode` (HF's `clean_up_tokenization_spaces` applied when the config asks for it).
   * @example tok.decode([101, 7592, 102], { skipSpecialTokens: true }) // "hello"
   */
  decode(ids: ArrayLike<number> | Tensor, opts: { skipSpecialTokens?: boolean; cleanUpTokenizationSpaces?: boolean; useSourceTokenizer?: boolean } = {}): string {
    const list = isTensor(ids) ? (Array.from(ids.to("int64").contiguous().dataSync() as BigInt64Array, Number) as number[]) : Array.from(ids);
    let text = this.#decoding(opts.useSourceTokenizer).decode(list, { skipSpecialTokens: opts.skipSpecialTokens ?? false });
    if (opts.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces) text = cleanUp(text);
    return text;
  }

  /** Texts of a batch of ids, as `batch_decode`. @example tok.batchDecode(out, { skipSpecialTokens: true }) */
  batchDecode(batch: ArrayLike<number>[] | Tensor, opts: { skipSpecialTokens?: boolean; cleanUpTokenizationSpaces?: boolean; useSourceTokenizer?: boolean } = {}): string[] {
    if (isTensor(batch)) {
      const [b, l] = batch.shape;
      const d = Array.from(batch.to("int64").contiguous().dataSync() as BigInt64Array, Number);
      return Array.from({ length: b }, (_, i) => this.decode(d.slice(i * l, (i + 1) * l), opts));
    }
    return batch.map((ids) => this.decode(ids, opts));
  }

  /** Joins token strings with the tokenizer's decoder, as a fast tokenizer's `convert_tokens_to_string`. @example tok.convertTokensToString(["pa", "##ris"]) // "paris" */
  convertTokensToString(tokens: string[]): string {
    const d = this.backend.decoder;
    return d ? d.decodeChain(tokens).join("") : tokens.join(" ");
  }

  /** `convert_ids_to_tokens` (target ids with Marian's separate vocabularies, as decode reads them). @example tok.convertIdsToTokens([101, 102]) // ["[CLS]", "[SEP]"] */
  convertIdsToTokens(ids: number[]): (string | null)[] {
    const backend = this.#decoding();
    return ids.map((i) => backend.idToToken(i) ?? null);
  }

  /** The pipeline that reads ids back: as MarianTokenizer, ids are target ids when source and target vocabularies are separate. */
  #decoding(useSourceTokenizer?: boolean): Tokenizer {
    const useSource = useSourceTokenizer ?? this.config.separate_vocabs !== true;
    return useSource || !this.targetTokenizer ? this.backend : this.targetTokenizer;
  }

  /** `convert_tokens_to_ids` (unknown tokens give the unk id, or null without one). @example tok.convertTokensToIds(["[CLS]"]) */
  convertTokensToIds(tokens: string[]): (number | null)[] {
    return tokens.map((t) => this.backend.tokenToId(t) ?? this.unkTokenId);
  }

  // ---- chat ------------------------------------------------------------------------------------------------------

  /**
   * Renders messages with the tokenizer's Jinja chat template (run by `@huggingface/jinja`), as `apply_chat_template`.
   * @example tok.applyChatTemplate([{ role: "user", content: "Hi" }], { addGenerationPrompt: true, tokenize: false })
   */
  applyChatTemplate(messages: ChatMessage[], opts: { addGenerationPrompt?: boolean; tokenize?: boolean; chatTemplate?: string } = {}): string | number[] {
    const tpl = opts.chatTemplate ?? this.chatTemplate;
    if (!tpl) throw new RangeError("applyChatTemplate: this tokenizer has no chat_template (tokenizer_config.json); pass { chatTemplate } explicitly.");
    const text = new Template(tpl).render({
      messages,
      add_generation_prompt: !!opts.addGenerationPrompt,
      bos_token: this.specialTokens.bos ?? "",
      eos_token: this.specialTokens.eos ?? "",
      unk_token: this.specialTokens.unk ?? "",
      pad_token: this.specialTokens.pad ?? "",
    });
    return opts.tokenize === false ? text : this.encode(text, { addSpecialTokens: false });
  }

  // ---- saving ----------------------------------------------------------------------------------------------------

  /**
   * Writes tokenizer.json, tokenizer_config.json and special_tokens_map.json, which Python's AutoTokenizer loads
   * (a Marian tokenizer writes source.spm, target.spm and vocab.json instead of tokenizer.json, as MarianTokenizer does).
   * @example await tok.savePretrained("out/my-model");
   */
  async savePretrained(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    if (this.slowFiles) for (const [name, bytes] of Object.entries(this.slowFiles)) writeAtomic(join(dir, name), bytes);
    else writeAtomic(join(dir, "tokenizer.json"), this.backend.toString(true));
    const cfg: Json = { ...this.config, model_max_length: this.modelMaxLength >= 1e29 ? 1e30 : this.modelMaxLength, padding_side: this.paddingSide, truncation_side: this.truncationSide, clean_up_tokenization_spaces: this.cleanUpTokenizationSpaces };
    const map: Json = {};
    for (const [role, tok] of Object.entries(this.specialTokens)) (cfg[`${role}_token`] = tok), (map[`${role}_token`] = tok);
    if (this.additionalSpecialTokens.length) map.additional_special_tokens = cfg.additional_special_tokens = this.additionalSpecialTokens;
    if (this.chatTemplate) cfg.chat_template = this.chatTemplate;
    if (!cfg.tokenizer_class) cfg.tokenizer_class = "PreTrainedTokenizerFast";
    writeAtomic(join(dir, "tokenizer_config.json"), `${JSON.stringify(cfg, null, 2)}\n`);
    writeAtomic(join(dir, "special_tokens_map.json"), `${JSON.stringify(map, null, 2)}\n`);
  }
}

function isTensor(x: unknown): x is Tensor {
  return !!x && typeof x === "object" && "shape" in x && "dtype" in x && typeof (x as Tensor).dataSync === "function";
}

/** HF's `clean_up_tokenization`: removes spaces before punctuation and contractions. */
export function cleanUp(s: string): string {
  return s
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/**
 * Loads the tokenizer of a checkpoint, as `AutoTokenizer.from_pretrained`.
 * @example const tok = await AutoTokenizer.fromPretrained("bert-base-uncased", { localFilesOnly: true });
 */
export class AutoTokenizer {
  static fromPretrained(nameOrPath: string, opts: HubOptions = {}): Promise<PreTrainedTokenizer> {
    return PreTrainedTokenizer.fromPretrained(nameOrPath, opts);
  }
}

/** Int64 tensor of rows (helper for pipelines and collators). */
export function idsTensor(rows: number[][]): Tensor {
  return tensor(rows, { dtype: "int64" });
}

