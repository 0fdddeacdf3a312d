// Marian's slow tokenizer (source.spm / target.spm + vocab.json) as fast tokenizers, following HF's MarianTokenizer rules (there is no HF fast Marian).
import { AddedToken, PreTokenizerSequence, TemplateProcessing, Tokenizer, type Decoder, type Model, type NormalizedString, type PreTokenizedString, type PreTokenizer, type SentencePieceModel, type Token } from "@tsorch/tokenizers";
import { convertSentencePiece } from "./convert-sentencepiece.js";

type Json = Record<string, unknown>;
const PIECE = "\u2581";
const content = (v: unknown): string | null => (typeof v === "string" ? v : v && typeof v === "object" && typeof (v as Json).content === "string" ? ((v as Json).content as string) : null);

/**
 * SentencePiece segmentation with Marian's own ids: the spm model segments (as `spm.encode(text, out_type=str)`),
 * then each piece is looked up in vocab.json, a piece missing there giving the unk id (MarianTokenizer's `_convert_token_to_id`).
 */
class MarianVocabModel implements Model {
  private readonly byId = new Map<number, string>();

  constructor(
    private readonly spm: Model,
    private readonly vocab: Map<string, number>,
    private readonly unkId: number,
  ) {
    for (const [t, i] of vocab) if (!this.byId.has(i)) this.byId.set(i, t);
  }

  tokenize(sequence: string): Token[] {
    return this.spm.tokenize(sequence).map((t) => ({ id: this.vocab.get(t.value) ?? this.unkId, value: t.value, start: t.start, end: t.end }));
  }
  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }
  idToToken(id: number): string | undefined {
    return this.byId.get(id);
  }
  getVocab(): Map<string, number> {
    return new Map(this.vocab);
  }
  getVocabSize(): number {
    return this.vocab.size;
  }
  /** Descriptive only: Marian has no tokenizer.json form (savePretrained writes the spm files and vocab.json instead). */
  toJSON(): Record<string, unknown> {
    return { type: "MarianVocab", sentencepiece: this.spm.toJSON(), vocab_size: this.vocab.size };
  }
}

/**
 * MarianTokenizer's `remove_language_code`: a piece of text (the whole text, or a stretch between special tokens) that
 * starts with `>>` and holds `<<` gives its `>>…<<` prefix as one token (the vocabulary's id, else unk); the rest
 * goes on to SentencePiece.
 */
class MarianLanguageCode implements PreTokenizer {
  constructor(
    private readonly vocab: Map<string, number>,
    private readonly unkId: number,
  ) {}

  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns: NormalizedString) => {
      const s = ns.normalized;
      const end = s.startsWith(">>") ? s.indexOf("<<") : -1;
      if (end === -1) return [ns];
      const code = s.slice(0, end + 2);
      const token: Token = { id: this.vocab.get(code) ?? this.unkId, value: code, start: 0, end: code.length };
      return [{ normalized: ns.slice(0, code.length), tokens: [token] }, ns.slice(code.length, s.length)];
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: "MarianLanguageCode" };
  }
}

/**
 * MarianTokenizer's `convert_tokens_to_string`: special tokens are written as they are followed by a space, each run
 * of other pieces goes through SentencePiece's `decode_pieces` (below), then `▁` becomes a space and the text is stripped.
 */
class MarianDecoder implements Decoder {
  private readonly known: Map<string, number>;
  private readonly unkPiece: string | undefined;

  constructor(
    private readonly specials: Set<string>,
    spm: SentencePieceModel,
  ) {
    this.known = new Map(spm.pieces.map((p) => [p.piece, p.type]));
    this.unkPiece = spm.pieces[spm.trainerSpec.unkId]?.piece;
  }

  /**
   * sentencepiece's DecodePieces: a piece the model lacks is kept as it is, control pieces vanish, the unk piece reads
   * " ⁇ ", and the leading `▁` of the first piece is dropped while nothing has been written yet.
   */
  private spmDecode(pieces: string[]): string {
    let out = "";
    for (const p of pieces) {
      const type = this.known.get(p);
      if (type === undefined) out += p;
      else if (type === 3) continue;
      else if (type === 2 || p === this.unkPiece) out += " \u2047 ";
      else out += (out === "" && p.startsWith(PIECE) ? p.slice(1) : p).replaceAll(PIECE, " ");
    }
    return out;
  }

  decodeChain(tokens: string[]): string[] {
    let out = "";
    let run: string[] = [];
    for (const t of tokens) {
      if (!this.specials.has(t)) {
        run.push(t);
        continue;
      }
      out += `${this.spmDecode(run)}${t} `;
      run = [];
    }
    out += this.spmDecode(run);
    return [out.replaceAll(PIECE, " ").trim()];
  }
  toJSON(): Record<string, unknown> {
    return { type: "MarianDecoder" };
  }
}

/**
 * Marian's special tokens by role: tokenizer_config.json / special_tokens_map.json, else MarianTokenizer's `__init__` defaults.
 *
 * @example
 * ```ts
 * marianSpecialTokens({}); // { eos: "</s>", unk: "<unk>", pad: "<pad>", additional: [] }
 * ```
 */
export function marianSpecialTokens(config: Json, stm: Json = {}): { eos: string; unk: string; pad: string; additional: string[] } {
  const role = (r: string, d: string) => content(stm[`${r}_token`]) ?? content(config[`${r}_token`]) ?? d;
  const extra = (stm.additional_special_tokens ?? config.additional_special_tokens) as unknown[] | undefined;
  return { eos: role("eos", "</s>"), unk: role("unk", "<unk>"), pad: role("pad", "<pad>"), additional: Array.isArray(extra) ? extra.map(content).filter((x): x is string => x !== null) : [] };
}

/**
 * One side of a Marian tokenizer: `proto` (source.spm or target.spm) segments, `vocabJson` (vocab.json, or
 * target_vocab.json with `separate_vocabs`) gives the ids, `</s>` is appended, a language code such as `>>fr<<` at
 * the start stays one token, and decoding follows MarianTokenizer's rules.
 *
 * @example
 * ```ts
 * const src = convertMarianSide(readSentencePieceModel(bytes), readFileSync("vocab.json", "utf8"), {});
 * src.encode(">>de<< Hello world").ids; // [id(">>de<<"), id("▁Hello"), id("▁world"), id("</s>")]
 * ```
 */
export function convertMarianSide(proto: SentencePieceModel, vocabJson: string, config: Json, stm: Json = {}, where = "vocab.json"): Tokenizer {
  if (proto.trainerSpec.modelType !== 1)
    throw new Error(`AutoTokenizer: Marian's SentencePiece model for ${where} is of type ${proto.trainerSpec.modelType}, not Unigram (1); MarianTokenizer checkpoints use Unigram models. Save a tokenizer.json for it instead.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(vocabJson);
  } catch (e) {
    throw new Error(`AutoTokenizer: ${where} is not valid JSON (${(e as Error).message}); Marian's vocab.json maps pieces to ids.`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`AutoTokenizer: ${where} must be a JSON object of piece → id, as Marian's vocab.json is.`);
  const vocab = new Map<string, number>();
  for (const [t, i] of Object.entries(parsed as Json)) {
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0) throw new Error(`AutoTokenizer: ${where} gives ${JSON.stringify(t)} the id ${JSON.stringify(i)}; ids must be non-negative integers.`);
    vocab.set(t, i);
  }
  const sp = marianSpecialTokens(config, stm);
  const unkId = vocab.get(sp.unk);
  if (unkId === undefined) throw new Error(`AutoTokenizer: ${where} has no unk token ${JSON.stringify(sp.unk)}; MarianTokenizer needs it in the vocabulary (set unk_token in tokenizer_config.json).`);
  const eosId = vocab.get(sp.eos);
  if (eosId === undefined) throw new Error(`AutoTokenizer: ${where} has no eos token ${JSON.stringify(sp.eos)}, which Marian appends to every text; set eos_token in tokenizer_config.json.`);
  // The spm side of the pipeline is HF's SpmConverter for a Unigram model (charsmap normalizer, WhitespaceSplit + Metaspace), no specials.
  // Its template is not used: eos is set to a piece every model has, so a model without "</s>" converts too.
  const spm = convertSentencePiece(proto, { tokenizer_class: "T5Tokenizer", extra_ids: 0, eos_token: proto.pieces[proto.trainerSpec.unkId]?.piece ?? proto.pieces[0]!.piece });
  const tok = new Tokenizer(new MarianVocabModel(spm.model, vocab, unkId));
  tok.normalizer = spm.normalizer;
  tok.preTokenizer = new PreTokenizerSequence([new MarianLanguageCode(vocab, unkId), ...(spm.preTokenizer ? [spm.preTokenizer] : [])]);
  tok.postProcessor = new TemplateProcessing({ single: `$A:0 ${sp.eos}:0`, pair: `$A:0 $B:0 ${sp.eos}:0`, specialTokens: [[sp.eos, eosId]] });
  const specials = [sp.eos, sp.unk, sp.pad, ...sp.additional].filter((t) => vocab.has(t));
  tok.decoder = new MarianDecoder(new Set(specials), proto);
  tok.addSpecialTokens(specials.map((t) => new AddedToken(t, { special: true, normalized: false })));
  return tok;
}
