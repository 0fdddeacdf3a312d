// Slow tokenizer files → a fast tokenizer, as HF's convert_slow_tokenizer: WordPiece from vocab.txt, byte-level BPE from vocab.json + merges.txt, SentencePiece .model files (T5, XLM-R, Llama).
import { readFileSync } from "node:fs";
import { Tokenizer, readSentencePieceModel, type SentencePieceModel } from "@tsorch/tokenizers";
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

const PIECE = "\u2581";
const template = (first: string | null, last: string | null, pairTypeB: number, pairMid: string[]): { single: Json[]; pair: Json[] } => {
  const sp = (id: string, t: number) => ({ SpecialToken: { id, type_id: t } });
  const seq = (id: string, t: number) => ({ Sequence: { id, type_id: t } });
  const single = [...(first ? [sp(first, 0)] : []), seq("A", 0), ...(last ? [sp(last, 0)] : [])];
  const pair = [...single, ...pairMid.map((t) => sp(t, pairTypeB)), seq("B", pairTypeB), ...(last ? [sp(last, pairTypeB)] : [])];
  return { single, pair };
};

/** HF's SentencePieceExtractor: BPE merges recovered from the vocabulary, ordered by the merged piece's score (highest first). */
export function sentencePieceMerges(pieces: { piece: string; score: number }[], vocab: Record<string, number>): [string, string][] {
  const merges: [string, string, number][] = [];
  for (const { piece, score } of pieces) {
    const cps = Array.from(piece);
    const local: [string, string, number][] = [];
    for (let i = 1; i < cps.length; i++) {
      const l = cps.slice(0, i).join("");
      const r = cps.slice(i).join("");
      if (Object.hasOwn(vocab, l) && Object.hasOwn(vocab, r)) local.push([l, r, score]);
    }
    local.sort((a, b) => vocab[a[0]]! - vocab[b[0]]! || vocab[a[1]]! - vocab[b[1]]!);
    merges.push(...local);
  }
  merges.sort((a, b) => b[2] - a[2]);
  return merges.map(([l, r]) => [l, r]);
}

/**
 * HF's SpmConverter family for a decoded `.model`: T5Converter (Unigram, `</s>` appended, `<extra_id_*>`),
 * XLMRobertaConverter (fairseq ids: `<s> <pad> </s> <unk>` first, `<mask>` last) and LlamaConverter (BPE with byte fallback),
 * chosen by `tokenizer_class` in tokenizer_config.json, else by the model type (BPE → Llama, Unigram → T5 rules).
 *
 * @example
 * ```ts
 * const tok = convertSentencePiece(readSentencePieceModel(bytes), { tokenizer_class: "T5Tokenizer" });
 * tok.encode("Hello world").ids;
 * ```
 */
export function convertSentencePiece(proto: SentencePieceModel, config: Json, stm: Json = {}): Tokenizer {
  const cls = String(config.tokenizer_class ?? "");
  const charsmap = proto.normalizerSpec.precompiledCharsmap;
  const precompiled = charsmap.length ? { type: "Precompiled", precompiled_charsmap: Buffer.from(charsmap).toString("base64") } : null;
  const metaspace = { type: "Metaspace", replacement: PIECE, str_rep: PIECE, add_prefix_space: proto.normalizerSpec.addDummyPrefix };
  const role = (r: string, d: string) => content(stm[`${r}_token`] ?? config[`${r}_token`], d);
  const base = { version: "1.0", truncation: null, padding: null };
  if (cls && !/^(T5|MT5|XLMRoberta|Llama|CodeLlama)/.test(cls))
    throw new Error(`AutoTokenizer: no SentencePiece converter for ${cls} yet (T5, XLM-R and Llama rules exist; ALBERT, Marian and others differ). Save a tokenizer.json for it (Python: AutoTokenizer.from_pretrained(...).save_pretrained(dir)).`);
  if (/^Llama|^CodeLlama/.test(cls) || (!cls && proto.trainerSpec.modelType === 2)) {
    if (proto.trainerSpec.modelType !== 2) throw new Error(`AutoTokenizer: ${cls || "this"} SentencePiece model is Unigram but the Llama converter needs a BPE model (trainer_spec.model_type = 2).`);
    const vocab: Record<string, number> = Object.create(null) as Record<string, number>;
    proto.pieces.forEach((p, i) => {
      if (!Object.hasOwn(vocab, p.piece)) vocab[p.piece] = i;
    });
    const unk = proto.pieces[proto.trainerSpec.unkId]?.piece ?? "<unk>";
    const bos = role("bos", "<s>");
    const eos = role("eos", "</s>");
    const addBos = config.add_bos_token !== false;
    const addEos = config.add_eos_token === true;
    const tpl = template(addBos ? bos : null, addEos ? eos : null, 1, addBos ? [bos] : []);
    const specials: Json = {};
    for (const t of [addBos ? bos : null, addEos ? eos : null]) if (t !== null) specials[t] = { id: t, ids: [vocab[t]], tokens: [t] };
    const legacy = config.legacy !== false;
    return Tokenizer.fromJSON({
      ...base,
      // HF 4.37 adds them normalized=false; an AddedToken in tokenizer_config.json (as the slow class would load it) says otherwise.
      added_tokens: addedTokens(vocab, [unk, bos, eos]).map((t) => {
        const r = ["unk", "bos", "eos"].find((k) => content(stm[`${k}_token`] ?? config[`${k}_token`], "") === t.content);
        const given = r ? ((stm[`${r}_token`] ?? config[`${r}_token`]) as Json | string) : undefined;
        return given && typeof given === "object" && typeof given.normalized === "boolean" ? { ...t, normalized: given.normalized } : t;
      }),
      normalizer: legacy ? { type: "Sequence", normalizers: [{ type: "Prepend", prepend: PIECE }, { type: "Replace", pattern: { String: " " }, content: PIECE }] } : null,
      pre_tokenizer: legacy ? null : { type: "Metaspace", replacement: PIECE, prepend_scheme: "first", split: false },
      post_processor: { type: "TemplateProcessing", ...tpl, special_tokens: specials },
      decoder: { type: "Sequence", decoders: [{ type: "Replace", pattern: { String: PIECE }, content: " " }, { type: "ByteFallback" }, { type: "Fuse" }, { type: "Strip", content: " ", start: 1, stop: 0 }] },
      model: { type: "BPE", dropout: null, unk_token: unk, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, vocab, merges: sentencePieceMerges(proto.pieces, vocab) },
    });
  }
  if (proto.trainerSpec.modelType !== 1) throw new Error(`AutoTokenizer: SentencePiece model type ${proto.trainerSpec.modelType} (3 = word, 4 = char) has no converter; HF converts Unigram and BPE models only.`);
  let vocab: [string, number][] = proto.pieces.map((p) => [p.piece, p.score]);
  let unkId = proto.trainerSpec.unkId;
  let tpl: { single: Json[]; pair: Json[] };
  let specialNames: string[];
  if (/^XLMRoberta/.test(cls)) {
    // fairseq's dictionary: <s> <pad> </s> <unk> then the spm pieces from id 3 on, <mask> last.
    vocab = [["<s>", 0], ["<pad>", 0], ["</s>", 0], ["<unk>", 0], ...vocab.slice(3), ["<mask>", 0]];
    unkId = 3;
    tpl = template("<s>", "</s>", 0, ["</s>"]);
    specialNames = ["<s>", "</s>"];
  } else {
    const extra = typeof config.extra_ids === "number" ? config.extra_ids : /^M?T5/.test(cls) || !cls ? 100 : 0; // T5Tokenizer's default extra_ids
    for (let i = extra - 1; i >= 0; i--) vocab.push([`<extra_id_${i}>`, 0]);
    const eos = role("eos", "</s>");
    tpl = template(null, eos, 0, []);
    specialNames = [eos];
  }
  const ids: Record<string, number> = Object.create(null) as Record<string, number>;
  vocab.forEach(([t], i) => {
    if (!Object.hasOwn(ids, t)) ids[t] = i;
  });
  const specials: Json = {};
  for (const t of specialNames) specials[t] = { id: t, ids: [ids[t]], tokens: [t] };
  const controls = proto.pieces.filter((p) => p.type === 2 || p.type === 3).map((p) => p.piece);
  const extraIds = vocab.filter(([t]) => /^<extra_id_\d+>$/.test(t)).map(([t]) => t);
  return Tokenizer.fromJSON({
    ...base,
    added_tokens: addedTokens(ids, [...controls, ...(/^XLMRoberta/.test(cls) ? ["<s>", "<pad>", "</s>", "<unk>", "<mask>"] : []), ...extraIds]),
    normalizer: precompiled,
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, metaspace] },
    post_processor: { type: "TemplateProcessing", ...tpl, special_tokens: specials },
    decoder: metaspace,
    model: { type: "Unigram", unk_id: unkId, vocab, byte_fallback: proto.trainerSpec.byteFallback },
  });
}

/** Converts whatever slow files the source has; null when it has none. */
export async function convertSlowTokenizer(source: ModelSource, config: Json, stm: Json): Promise<Converted | null> {
  const vocabTxt = await source.file("vocab.txt");
  if (vocabTxt) return { tokenizer: convertWordPiece(readFileSync(vocabTxt, "utf8"), config, stm), defaults: { tokenizer_class: "BertTokenizerFast" } };
  const vocabJson = await source.file("vocab.json");
  const merges = await source.file("merges.txt");
  if (vocabJson && merges) return { tokenizer: convertByteLevelBpe(readFileSync(vocabJson, "utf8"), readFileSync(merges, "utf8"), config, stm), defaults: { tokenizer_class: "GPT2TokenizerFast" } };
  for (const name of ["spiece.model", "sentencepiece.bpe.model", "tokenizer.model", "source.spm"]) {
    const file = await source.file(name);
    if (!file) continue;
    if (name === "source.spm")
      throw new Error(`AutoTokenizer: ${source.where} is a Marian checkpoint (source.spm/target.spm) without tokenizer.json; converting Marian's SentencePiece pair is not supported yet. Save a tokenizer.json for it (Python: AutoTokenizer.from_pretrained(...).save_pretrained(dir)).`);
    const proto = readSentencePieceModel(new Uint8Array(readFileSync(file)), `${source.where}/${name}`);
    const cls = String(config.tokenizer_class ?? "");
    // The slow classes' __init__ defaults for special tokens, so padding and decoding know them.
    const defaults: Json = /^XLMRoberta/.test(cls)
      ? { bos_token: "<s>", eos_token: "</s>", sep_token: "</s>", cls_token: "<s>", unk_token: "<unk>", pad_token: "<pad>", mask_token: "<mask>" }
      : /^(Llama|CodeLlama)/.test(cls) || (!cls && proto.trainerSpec.modelType === 2)
        ? { bos_token: "<s>", eos_token: "</s>", unk_token: "<unk>" }
        : { eos_token: "</s>", unk_token: "<unk>", pad_token: "<pad>" };
    return { tokenizer: convertSentencePiece(proto, config, stm), defaults };
  }
  return null;
}
