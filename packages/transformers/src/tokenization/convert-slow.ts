// Slow tokenizer files → a fast tokenizer, as HF's convert_slow_tokenizer: WordPiece from vocab.txt, byte-level BPE from vocab.json + merges.txt, SentencePiece .model files (T5, XLM-R, Llama, ALBERT; Marian's pair in convert-marian.ts).
import { readFileSync } from "node:fs";
import { Tokenizer, readSentencePieceModel } from "@tsorch/tokenizers";
import type { ModelSource } from "../internal/hub.js";
import { addedTokens, content } from "../internal/slow-tokenizer-json.js";
import { convertMarianSide, marianSpecialTokens } from "./convert-marian.js";
import { convertSentencePiece, MBART_LANGUAGE_CODES } from "./convert-sentencepiece.js";

type Json = Record<string, unknown>;

/** What a conversion gives: the tokenizer, config defaults the slow class implies, and a target tokenizer (Marian). */
export interface Converted {
  tokenizer: Tokenizer;
  defaults: Json;
  target?: Tokenizer;
  /** Files that stand for the tokenizer when it has no tokenizer.json form (Marian): savePretrained writes these back. */
  files?: Record<string, Uint8Array>;
}

/** HF's BertConverter: vocab.txt (one token per line, id = line number) with the slow tokenizer's options. */
export function convertWordPiece(vocabText: string, config: Json, stm: Json = {}): Tokenizer {
  const vocab: Record<string, number> = {};
  vocabText.split(/\r?\n/).forEach((line, i, all) => {
    if (i === all.length - 1 && line === "") return;
    const tok = line.replace(/\r$/, "");
    if (!(tok in vocab)) vocab[tok] = i;
  });
  const role = (r: string, d: string) => content(stm[`${r}_token`] ?? config[`${r}_token`], d);
  const [unk, cls, sep, pad, mask] = [role("unk", "[UNK]"), role("cls", "[CLS]"), role("sep", "[SEP]"), role("pad", "[PAD]"), role("mask", "[MASK]")];
  for (const [name, t] of [["cls", cls], ["sep", sep]] as const)
    if (!(t in vocab)) throw new RangeError(`AutoTokenizer: vocab.txt has no ${name} token ${JSON.stringify(t)}; set ${name}_token in tokenizer_config.json.`);
  const special = (t: string) => ({ id: t, ids: [vocab[t]], tokens: [t] });
  return Tokenizer.fromJSON({
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: addedTokens(vocab, [pad, unk, cls, sep, mask]),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: config.tokenize_chinese_chars !== false,
      strip_accents: typeof config.strip_accents === "boolean" ? config.strip_accents : null,
      lowercase: config.do_lower_case !== false,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: cls, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: sep, type_id: 0 } }],
      pair: [{ SpecialToken: { id: cls, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: sep, type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: sep, type_id: 1 } }],
      special_tokens: { [cls]: special(cls), [sep]: special(sep) },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: unk, continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  });
}

/** HF's GPT2Converter / RobertaConverter: byte-level BPE from vocab.json and merges.txt. */
export function convertByteLevelBpe(vocabJson: string, mergesText: string, config: Json, stm: Json = {}): Tokenizer {
  const vocab = JSON.parse(vocabJson) as Record<string, number>;
  const merges = mergesText.split(/\r?\n/).filter((l, i) => l.trim() !== "" && !(i === 0 && l.startsWith("#version")));
  const addPrefixSpace = config.add_prefix_space === true;
  const cls = String(config.tokenizer_class ?? "");
  const role = (r: string, d: string | null) => {
    const v = stm[`${r}_token`] ?? config[`${r}_token`];
    return v === undefined || v === null ? d : content(v, d ?? "");
  };
  const roberta = /^(Roberta|Bart|Longformer|Blenderbot|Led|Mvp|Markuplm)/.test(cls);
  // The slow RoBERTa-style classes default their special tokens (their __init__ arguments); GPT-2's are <|endoftext|>.
  const defaults: Record<string, string> = roberta
    ? { bos: "<s>", eos: "</s>", sep: "</s>", cls: "<s>", unk: "<unk>", pad: "<pad>", mask: "<mask>" }
    : { bos: "<|endoftext|>", eos: "<|endoftext|>", unk: "<|endoftext|>" };
  const specials = ["unk", "bos", "eos", "pad", "sep", "cls", "mask"].map((r) => role(r, defaults[r] ?? null)).filter((t): t is string => t !== null);
  let post: Json = { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true };
  if (roberta) {
    const sep = role("sep", "</s>")!;
    const c = role("cls", "<s>")!;
    post = { type: "RobertaProcessing", sep: [sep, vocab[sep]], cls: [c, vocab[c]], trim_offsets: true, add_prefix_space: addPrefixSpace };
  } else if (config.add_bos_token === true) {
    const bos = role("bos", "<|endoftext|>")!;
    post = {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
      special_tokens: { [bos]: { id: bos, ids: [vocab[bos]], tokens: [bos] } },
    };
  }
  return Tokenizer.fromJSON({
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: addedTokens(vocab, specials).map((t) => (roberta && t.content === role("mask", "<mask>") ? { ...t, lstrip: true } : t)),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true },
    post_processor: post,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "", fuse_unk: false, byte_fallback: false, vocab, merges },
  });
}

/** MarianTokenizer's files: source.spm, target.spm, vocab.json (and target_vocab.json with `separate_vocabs`). */
async function convertMarianFolder(source: ModelSource, sourceSpm: string, config: Json, stm: Json): Promise<Converted> {
  const need = async (name: string, why: string): Promise<string> => {
    const f = await source.file(name);
    if (!f) throw new Error(`AutoTokenizer: ${source.where} has source.spm (a Marian checkpoint) but no ${name}, which ${why}. Add it, or save a tokenizer.json for the checkpoint.`);
    return f;
  };
  const separate = config.separate_vocabs === true;
  const targetSpm = await need("target.spm", "MarianTokenizer uses for targets");
  const vocab = await need("vocab.json", "maps the SentencePiece pieces to Marian's ids");
  const targetVocab = separate ? await need("target_vocab.json", "separate_vocabs: true in tokenizer_config.json asks for") : vocab;
  const files: Record<string, Uint8Array> = {};
  for (const [name, path] of [["source.spm", sourceSpm], ["target.spm", targetSpm], ["vocab.json", vocab], ...(separate ? [["target_vocab.json", targetVocab]] : [])] as [string, string][])
    files[name] = new Uint8Array(readFileSync(path));
  const text = (name: string) => new TextDecoder().decode(files[name]);
  const sp = marianSpecialTokens(config, stm);
  return {
    tokenizer: convertMarianSide(readSentencePieceModel(files["source.spm"]!, `${source.where}/source.spm`), text("vocab.json"), config, stm, `${source.where}/vocab.json`),
    target: convertMarianSide(readSentencePieceModel(files["target.spm"]!, `${source.where}/target.spm`), text(separate ? "target_vocab.json" : "vocab.json"), config, stm, `${source.where}/${separate ? "target_vocab.json" : "vocab.json"}`),
    defaults: { tokenizer_class: "MarianTokenizer", eos_token: sp.eos, unk_token: sp.unk, pad_token: sp.pad, model_max_length: 512, separate_vocabs: separate },
    files,
  };
}

/** Converts whatever slow files the source has; null when it has none. */
export async function convertSlowTokenizer(source: ModelSource, config: Json, stm: Json): Promise<Converted | null> {
  const vocabTxt = await source.file("vocab.txt");
  if (vocabTxt) return { tokenizer: convertWordPiece(readFileSync(vocabTxt, "utf8"), config, stm), defaults: { tokenizer_class: "BertTokenizerFast" } };
  const vocabJson = await source.file("vocab.json");
  const merges = await source.file("merges.txt");
  if (vocabJson && merges) return { tokenizer: convertByteLevelBpe(readFileSync(vocabJson, "utf8"), readFileSync(merges, "utf8"), config, stm), defaults: { tokenizer_class: "GPT2TokenizerFast" } };
  const sourceSpm = await source.file("source.spm");
  if (sourceSpm) return convertMarianFolder(source, sourceSpm, config, stm);
  for (const name of ["spiece.model", "sentencepiece.bpe.model", "tokenizer.model"]) {
    const file = await source.file(name);
    if (!file) continue;
    const proto = readSentencePieceModel(new Uint8Array(readFileSync(file)), `${source.where}/${name}`);
    const cls = String(config.tokenizer_class ?? "");
    // The slow classes' __init__ defaults for special tokens, so padding and decoding know them.
    const defaults: Json = /^Albert/.test(cls)
      ? { bos_token: "[CLS]", eos_token: "[SEP]", sep_token: "[SEP]", cls_token: "[CLS]", unk_token: "<unk>", pad_token: "<pad>", mask_token: "[MASK]" }
      : /^XLMRoberta|^MBart(Tokenizer|$)/.test(cls)
        ? { bos_token: "<s>", eos_token: "</s>", sep_token: "</s>", cls_token: "<s>", unk_token: "<unk>", pad_token: "<pad>", mask_token: "<mask>", ...(/^MBart/.test(cls) ? { additional_special_tokens: [...MBART_LANGUAGE_CODES] } : {}) }
        : /^(Llama|CodeLlama)/.test(cls) || (!cls && proto.trainerSpec.modelType === 2)
          ? { bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>" }
          : { eos_token: "</s>", unk_token: "<unk>", pad_token: "<pad>" };
    // mBART: targets end with tgt_lang's code instead of src_lang's (MBartTokenizer's target mode).
    const target = /^MBart(Tokenizer|$)/.test(cls) && typeof config.tgt_lang === "string" ? convertSentencePiece(proto, { ...config, src_lang: config.tgt_lang }, stm) : undefined;
    return { tokenizer: convertSentencePiece(proto, config, stm), defaults, ...(target ? { target } : {}) };
  }
  return null;
}
