// TemplateProcessing: "[CLS]:0 $A:0 [SEP]:0"-style templates for single inputs and pairs (Rust `processors::template`).
import type { Encoding } from "../encoding.js";
import { type PostProcessor, type SingleWrap, specialEncoding } from "./post-processor.js";

/** One template item: an input sequence or a special token, with its type id. */
export type Piece = { kind: "sequence"; id: "A" | "B"; typeId: number } | { kind: "special"; id: string; typeId: number };

/** A special token of a template: may stand for several ids/tokens. */
export interface TemplateSpecialToken {
  id: string;
  ids: number[];
  tokens: string[];
}

/** Parses "$A", "$B:1", "[CLS]:0" (Rust `Piece::try_from`). */
export function parsePiece(s: string): Piece {
  const parts = s.split(":");
  if (parts.length > 2) throw new Error(`TemplateProcessing: cannot build a piece from ${JSON.stringify(s)}; use "$A", "$B:1" or "[CLS]:0".`);
  let typeId = 0;
  if (parts.length === 2) {
    if (!/^\d+$/.test(parts[1])) throw new Error(`TemplateProcessing: cannot build a piece from ${JSON.stringify(s)}: type id must be an integer.`);
    typeId = Number(parts[1]);
  }
  const id = parts[0];
  if (id.startsWith("$")) {
    const rest = id.slice(1);
    if (rest === "" || rest === "A" || rest === "a") return { kind: "sequence", id: "A", typeId };
    if (rest === "B" || rest === "b") return { kind: "sequence", id: "B", typeId };
    if (/^\d+$/.test(rest)) return { kind: "sequence", id: "A", typeId: parts.length === 2 ? typeId : Number(rest) };
    throw new Error(`TemplateProcessing: cannot build a piece from ${JSON.stringify(s)}.`);
  }
  return { kind: "special", id, typeId };
}

/** A template given as "a b c", a list of piece strings, or parsed pieces. */
export type TemplateInput = string | Array<string | Piece>;

function toPieces(t: TemplateInput): Piece[] {
  const items = typeof t === "string" ? t.split(" ").filter((x) => x.length > 0) : t;
  return items.map((x) => (typeof x === "string" ? parsePiece(x) : x));
}

/**
 * Template post-processor.
 * @example
 * ```ts
 * new TemplateProcessing({
 *   single: "[CLS] $A [SEP]",
 *   pair: "[CLS] $A [SEP] $B:1 [SEP]:1",
 *   specialTokens: [{ id: "[CLS]", ids: [101], tokens: ["[CLS]"] }, { id: "[SEP]", ids: [102], tokens: ["[SEP]"] }],
 * });
 * ```
 */
export class TemplateProcessing implements PostProcessor {
  readonly single: Piece[];
  readonly pair: Piece[];
  readonly specialTokens: Map<string, TemplateSpecialToken>;
  private readonly addedSingle: number;
  private readonly addedPair: number;

  constructor(opts: { single?: TemplateInput; pair?: TemplateInput; specialTokens?: Array<TemplateSpecialToken | [string, number]> }) {
    this.single = toPieces(opts.single ?? "$0");
    this.pair = toPieces(opts.pair ?? "$1");
    this.specialTokens = new Map();
    for (const t of opts.specialTokens ?? []) {
      const st = Array.isArray(t) ? { id: t[0], ids: [t[1]], tokens: [t[0]] } : t;
      if (st.ids.length !== st.tokens.length) throw new Error(`TemplateProcessing: special token ${JSON.stringify(st.id)} has ${st.ids.length} ids but ${st.tokens.length} tokens.`);
      this.specialTokens.set(st.id, st);
    }
    for (const p of [...this.single, ...this.pair]) {
      if (p.kind === "special" && !this.specialTokens.has(p.id)) {
        throw new Error(`TemplateProcessing: missing SpecialToken(s) with id(s) ${JSON.stringify(p.id)}; add it to special_tokens.`);
      }
    }
    const count = (ps: Piece[]): number => ps.reduce((n, p) => n + (p.kind === "special" ? this.specialTokens.get(p.id)!.ids.length : 0), 0);
    this.addedSingle = count(this.single);
    this.addedPair = count(this.pair);
  }

  addedTokens(isPair: boolean): number {
    return isPair ? this.addedPair : this.addedSingle;
  }

  #wrap: SingleWrap | null | undefined = undefined;

  /** Specials around `$A` when the single template is exactly that (one `$A`, the rest special tokens). */
  singleWrap(): SingleWrap | null {
    if (this.#wrap !== undefined) return this.#wrap;
    const seqs = this.single.filter((p) => p.kind === "sequence");
    if (seqs.length !== 1 || seqs[0].id !== "A") return (this.#wrap = null);
    const w: SingleWrap = { beforeIds: [], beforeTokens: [], beforeTypeIds: [], sequenceTypeId: seqs[0].typeId, afterIds: [], afterTokens: [], afterTypeIds: [] };
    let after = false;
    for (const p of this.single) {
      if (p.kind === "sequence") {
        after = true;
        continue;
      }
      const t = this.specialTokens.get(p.id)!;
      for (let i = 0; i < t.ids.length; i++) {
        (after ? w.afterIds : w.beforeIds).push(t.ids[i]);
        (after ? w.afterTokens : w.beforeTokens).push(t.tokens[i]);
        (after ? w.afterTypeIds : w.beforeTypeIds).push(p.typeId);
      }
    }
    return (this.#wrap = w);
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    const template = encodings.length === 2 ? this.pair : this.single;
    const out: Encoding[] = [];
    const used = [false, false];
    for (const p of template) {
      if (p.kind === "sequence") {
        const i = p.id === "A" ? 0 : 1;
        if (!encodings[i]) continue;
        // The inputs are ours to consume; only a sequence the template repeats needs its own copy.
        const e = used[i] ? encodings[i].clone() : encodings[i];
        used[i] = true;
        e.typeIds = new Array(e.ids.length).fill(p.typeId);
        e.setSequenceId(i);
        out.push(e);
      } else if (addSpecialTokens) {
        const t = this.specialTokens.get(p.id)!;
        out.push(specialEncoding(t.ids, t.tokens, p.typeId));
      }
    }
    return out;
  }

  private static pieceJSON(p: Piece): Record<string, unknown> {
    return p.kind === "sequence" ? { Sequence: { id: p.id, type_id: p.typeId } } : { SpecialToken: { id: p.id, type_id: p.typeId } };
  }

  toJSON(): Record<string, unknown> {
    const special: Record<string, unknown> = {};
    for (const [k, v] of this.specialTokens) special[k] = { id: v.id, ids: v.ids, tokens: v.tokens };
    return {
      type: "TemplateProcessing",
      single: this.single.map(TemplateProcessing.pieceJSON),
      pair: this.pair.map(TemplateProcessing.pieceJSON),
      special_tokens: special,
    };
  }
}
