// Slow tokenizer files → a fast tokenizer, as HF's convert_slow_tokenizer: WordPiece from vocab.txt, byte-level BPE from vocab.json + merges.txt.
import { readFileSync } from "node:fs";
import { Tokenizer } from "@tsorch/tokenizers";
import type { ModelSource } from "../internal/hub.js";

type Json = Record<string, unknown>;

/** What a conversion gives: the tokenizer, config defaults the slow class implies, and a target tokenizer (Marian). */
export interface Converted {
  tokenizer: Tokenizer;
  defaults: Json;
  target?: Tokenizer;
}

const content = (v: unknown, fallback: string): string => (typeof v === "string" ? v : v && typeof v === "object" && typeof (v as Json).content === "string" ? ((v as Json).content as string) : fallback);

function addedTokens(vocab: Record<string, number>, tokens: string[]): Json[] {
  const seen = new Set<string>();
  return tokens
    .filter((t) => t in vocab && !seen.has(t) && seen.add(t))
    .map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }))
    .sort((a, b) => (a.id as number) - (b.id as number));
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

/** Converts whatever slow files the source has; null when it has none. */
export async function convertSlowTokenizer(source: ModelSource, config: Json, stm: Json): Promise<Converted | null> {
  const vocabTxt = await source.file("vocab.txt");
  if (vocabTxt) return { tokenizer: convertWordPiece(readFileSync(vocabTxt, "utf8"), config, stm), defaults: { tokenizer_class: "BertTokenizerFast" } };
  const vocabJson = await source.file("vocab.json");
  const merges = await source.file("merges.txt");
  if (vocabJson && merges) return { tokenizer: convertByteLevelBpe(readFileSync(vocabJson, "utf8"), readFileSync(merges, "utf8"), config, stm), defaults: { tokenizer_class: "GPT2TokenizerFast" } };
  for (const name of ["spiece.model", "sentencepiece.bpe.model", "tokenizer.model", "source.spm"])
    if (await source.file(name))
      throw new Error(
        `AutoTokenizer: ${source.where} has only the SentencePiece file ${name} and no tokenizer.json; converting SentencePiece models is not supported yet. Save a tokenizer.json for it (Python: AutoTokenizer.from_pretrained(...).save_pretrained(dir)).`,
      );
  return null;
}
