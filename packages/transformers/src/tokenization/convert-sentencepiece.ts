// HF's SpmConverter family for SentencePiece `.model` files: T5, XLM-R, mBART, Llama (legacy and not) and ALBERT rules over a decoded ModelProto.
import { Tokenizer, type SentencePieceModel } from "@tsorch/tokenizers";
import { addedTokens, content } from "../internal/slow-tokenizer-json.js";

type Json = Record<string, unknown>;

const PIECE = "\u2581";
const template = (first: string | null, last: string | null, pairTypeB: number, pairMid: string[]): { single: Json[]; pair: Json[] } => {
  const sp = (id: string, t: number) => ({ SpecialToken: { id, type_id: t } });
  const seq = (id: string, t: number) => ({ Sequence: { id, type_id: t } });
  const single = [...(first ? [sp(first, 0)] : []), seq("A", 0), ...(last ? [sp(last, 0)] : [])];
  const pair = [...single, ...pairMid.map((t) => sp(t, pairTypeB)), seq("B", pairTypeB), ...(last ? [sp(last, pairTypeB)] : [])];
  return { single, pair };
};

/** fairseq's mBART-25 language codes, in dictionary order (HF's FAIRSEQ_LANGUAGE_CODES of MBartTokenizer). */
export const MBART_LANGUAGE_CODES: readonly string[] = "ar_AR cs_CZ de_DE en_XX es_XX et_EE fi_FI fr_XX gu_IN hi_IN it_IT ja_XX kk_KZ ko_KR lt_LT lv_LV my_MM ne_NP nl_XX ro_RO ru_RU si_LK tr_TR vi_VN zh_CN".split(" ");

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
 * XLMRobertaConverter (fairseq ids: `<s> <pad> </s> <unk>` first, `<mask>` last), MBartConverter (the same ids with
 * the 25 language codes before `<mask>`, `$A </s> <src_lang>`), LlamaConverter (BPE with byte fallback;
 * `legacy: false` gives the Metaspace "first" pre-tokenizer) and AlbertConverter (`[CLS] $A [SEP]`, accents, case),
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
  if (cls && !/^(T5|MT5|XLMRoberta|Llama|CodeLlama|Albert|MBart(Tokenizer|$))/.test(cls))
    throw new Error(`AutoTokenizer: no SentencePiece converter for ${cls} yet (T5, XLM-R, mBART, Llama and ALBERT rules exist, Marian's source.spm/target.spm pair too; others differ). Save a tokenizer.json for it (Python: AutoTokenizer.from_pretrained(...).save_pretrained(dir)).`);
  if (/^Albert/.test(cls)) return convertAlbert(proto, config, stm);
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
  const mbart = /^MBart(Tokenizer|$)/.test(cls);
  if (/^XLMRoberta/.test(cls) || mbart) {
    // fairseq's dictionary: <s> <pad> </s> <unk> then the spm pieces from id 3 on, (mBART's language codes,) <mask> last.
    vocab = [["<s>", 0], ["<pad>", 0], ["</s>", 0], ["<unk>", 0], ...vocab.slice(3), ...(mbart ? MBART_LANGUAGE_CODES.map((c): [string, number] => [c, 0]) : []), ["<mask>", 0]];
    unkId = 3;
    if (mbart) {
      // MBartTokenizer: no prefix, `</s> <src_lang>` after the text (and after the pair, which is joined without a separator).
      const lang = typeof config.src_lang === "string" ? config.src_lang : "en_XX";
      if (!MBART_LANGUAGE_CODES.includes(lang)) throw new RangeError(`AutoTokenizer: MBartTokenizer src_lang ${JSON.stringify(lang)} is not one of mBART's language codes (${MBART_LANGUAGE_CODES.join(", ")}).`);
      const sp = (id: string) => ({ SpecialToken: { id, type_id: 0 } });
      const seq = (id: string) => ({ Sequence: { id, type_id: 0 } });
      tpl = { single: [seq("A"), sp("</s>"), sp(lang)], pair: [seq("A"), seq("B"), sp("</s>"), sp(lang)] };
      specialNames = ["</s>", lang];
    } else {
      tpl = template("<s>", "</s>", 0, ["</s>"]);
      specialNames = ["<s>", "</s>"];
    }
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
    // XLM-R's and mBART's mask token is AddedToken("<mask>", lstrip=True): "a <mask>" takes the space before it.
    added_tokens: addedTokens(ids, [...controls, ...(/^XLMRoberta/.test(cls) || mbart ? ["<s>", "<pad>", "</s>", "<unk>", ...(mbart ? MBART_LANGUAGE_CODES : []), "<mask>"] : []), ...extraIds]).map((t) =>
      t.content === "<mask>" && (/^XLMRoberta/.test(cls) || mbart) ? { ...t, lstrip: true } : t,
    ),
    normalizer: precompiled,
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, metaspace] },
    post_processor: { type: "TemplateProcessing", ...tpl, special_tokens: specials },
    decoder: metaspace,
    model: { type: "Unigram", unk_id: unkId, vocab, byte_fallback: proto.trainerSpec.byteFallback },
  });
}

/** A piece ending in a digit and a comma ("▁1999,"): AlbertConverter lowers its score by 100 so "1999" and "," win, as the slow AlbertTokenizer splits them. */
const digitComma = (piece: string): boolean => piece.length >= 2 && piece.endsWith(",") && /\p{Nd}/u.test(Array.from(piece).at(-2)!);

/** HF's AlbertConverter: Unigram with digit-comma pieces penalized, ALBERT's normalizer, WhitespaceSplit + Metaspace, `[CLS] $A [SEP]` / `$B:1 [SEP]:1`. */
function convertAlbert(proto: SentencePieceModel, config: Json, stm: Json): Tokenizer {
  if (proto.trainerSpec.modelType !== 1) throw new Error(`AutoTokenizer: AlbertTokenizer needs a Unigram SentencePiece model (trainer_spec.model_type = 1), got ${proto.trainerSpec.modelType}.`);
  const role = (r: string, d: string) => content(stm[`${r}_token`] ?? config[`${r}_token`], d);
  const vocab: [string, number][] = proto.pieces.map((p) => [p.piece, digitComma(p.piece) ? p.score - 100 : p.score]);
  const ids: Record<string, number> = Object.create(null) as Record<string, number>;
  vocab.forEach(([t], i) => {
    if (!Object.hasOwn(ids, t)) ids[t] = i;
  });
  const [cls, sep, unk, pad, mask] = [role("cls", "[CLS]"), role("sep", "[SEP]"), role("unk", "<unk>"), role("pad", "<pad>"), role("mask", "[MASK]")];
  for (const [name, t] of [["cls", cls], ["sep", sep]] as const)
    if (!Object.hasOwn(ids, t)) throw new RangeError(`AutoTokenizer: ALBERT's spiece.model has no ${name} token ${JSON.stringify(t)}; set ${name}_token in tokenizer_config.json.`);
  const charsmap = proto.normalizerSpec.precompiledCharsmap;
  const normalizers: Json[] = [
    { type: "Replace", pattern: { String: "``" }, content: '"' },
    { type: "Replace", pattern: { String: "''" }, content: '"' },
    ...(config.keep_accents === true ? [] : [{ type: "NFKD" }, { type: "StripAccents" }]),
    ...(config.do_lower_case === false ? [] : [{ type: "Lowercase" }]),
    ...(charsmap.length ? [{ type: "Precompiled", precompiled_charsmap: Buffer.from(charsmap).toString("base64") }] : []),
  ];
  // As the converter that wrote the published ALBERT tokenizer.json files (albert-base-v2 and kin): WhitespaceSplit
  // then Metaspace, so spaces are dropped and every word gets its "▁" (later converters use a " {2,}" → " " normalizer
  // and Metaspace alone, which keeps a final "▁" after trailing spaces and moves each "▁" offset onto its space).
  const metaspace = { type: "Metaspace", replacement: PIECE, str_rep: PIECE, add_prefix_space: true };
  const controls = proto.pieces.filter((p) => p.type === 2 || p.type === 3).map((p) => p.piece);
  const special = (t: string) => ({ id: t, ids: [ids[t]], tokens: [t] });
  return Tokenizer.fromJSON({
    version: "1.0",
    truncation: null,
    padding: null,
    // AlbertTokenizer's mask token is AddedToken("[MASK]", lstrip=True): "a [MASK]" takes the space before it.
    added_tokens: addedTokens(ids, [...controls, pad, unk, cls, sep, mask]).map((t) => (t.content === mask ? { ...t, lstrip: true } : t)),
    normalizer: { type: "Sequence", normalizers },
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, metaspace] },
    post_processor: { type: "TemplateProcessing", ...template(cls, sep, 1, []), special_tokens: { [cls]: special(cls), [sep]: special(sep) } },
    decoder: metaspace,
    model: { type: "Unigram", unk_id: proto.trainerSpec.unkId, vocab, byte_fallback: proto.trainerSpec.byteFallback },
  });
}

/**
 * MBartTokenizer's target mode on a loaded tokenizer: a copy whose template ends with `</s> <tgtLang>` instead of the
 * source language code (what `text_target` uses), or null when `tok` has no mBART language-code template.
 *
 * @example
 * ```ts
 * const target = mbartTargetTokenizer(tok, "de_DE"); // target!.encode("Hallo").ids ends with [2, id("de_DE")]
 * ```
 */
export function mbartTargetTokenizer(tok: Tokenizer, tgtLang: string): Tokenizer | null {
  const json = JSON.parse(tok.toString()) as Json;
  const post = json.post_processor as { type?: string; single?: { SpecialToken?: { id: string } }[] } | null;
  const last = post?.type === "TemplateProcessing" ? post.single?.at(-1)?.SpecialToken?.id : undefined;
  const id = tok.tokenToId(tgtLang);
  if (!last || !MBART_LANGUAGE_CODES.includes(last) || id === undefined) return null;
  const sp = (t: string) => ({ SpecialToken: { id: t, type_id: 0 } });
  const seq = (t: string) => ({ Sequence: { id: t, type_id: 0 } });
  const eos = { id: "</s>", ids: [tok.tokenToId("</s>")], tokens: ["</s>"] };
  json.post_processor = { type: "TemplateProcessing", single: [seq("A"), sp("</s>"), sp(tgtLang)], pair: [seq("A"), seq("B"), sp("</s>"), sp(tgtLang)], special_tokens: { "</s>": eos, [tgtLang]: { id: tgtLang, ids: [id], tokens: [tgtLang] } } };
  return Tokenizer.fromJSON(json);
}
