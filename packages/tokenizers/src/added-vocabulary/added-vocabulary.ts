// AddedVocabulary: ids of added tokens and their extraction from raw and normalized text (follows the Rust crate's AddedVocabulary).
import { isRustWordChar, isWhitespace } from "../internal/char-classes.js";
import { NormalizedString } from "../internal/normalized-string.js";
import { PreTokenizedString, type Split } from "../internal/pre-tokenized-string.js";
import type { Model } from "../models/model.js";
import type { Normalizer } from "../normalizers/normalizer.js";
import { AddedToken } from "./added-token.js";
import { TokenTrie } from "./token-trie.js";

function lastCp(s: string, end: number): number {
  if (end <= 0) return -1;
  const c = s.charCodeAt(end - 1);
  if ((c & 0xfc00) === 0xdc00 && end >= 2 && (s.charCodeAt(end - 2) & 0xfc00) === 0xd800) return s.codePointAt(end - 2)!;
  return c;
}

/** Tokens added on top of the model's vocabulary, and how they are cut out of the input. */
export class AddedVocabulary {
  /** content -> id */
  readonly map = new Map<string, number>();
  /** id -> token */
  readonly mapR = new Map<number, AddedToken>();
  readonly specialSet = new Set<string>();
  /** id -> normalized content, when normalizing changes it (0.23 returns this from idToToken/decode). */
  readonly normalizedCache = new Map<number, string>();
  private trie: TokenTrie | null = null;
  private normalizedTrie: TokenTrie | null = null;
  encodeSpecialTokens = false;

  get size(): number {
    return this.map.size;
  }

  tokenToId(token: string, model: Model): number | undefined {
    return this.map.get(token) ?? model.tokenToId(token);
  }

  /** Rust `simple_id_to_token`: the normalized form when there is one. */
  idToToken(id: number): string | undefined {
    const t = this.mapR.get(id);
    if (!t) return undefined;
    return this.normalizedCache.get(id) ?? t.content;
  }

  isSpecialToken(token: string): boolean {
    return this.specialSet.has(token);
  }

  private normalizeContent(t: AddedToken, id: number, normalizer: Normalizer | null): void {
    if (!t.normalized || !normalizer) return;
    const ns = NormalizedString.fromOriginal(t.content);
    normalizer.normalize(ns);
    if (ns.normalized !== t.content) this.normalizedCache.set(id, ns.normalized);
  }

  /** Rust `add_tokens`: returns how many were added. */
  addTokens(tokens: AddedToken[], model: Model, normalizer: Normalizer | null): number {
    let ignored = 0;
    const vocabSize = model.getVocabSize();
    let maxId = -1;
    for (const id of this.mapR.keys()) if (id > maxId) maxId = id;
    let nextId = maxId < 0 ? vocabSize : maxId >= vocabSize || vocabSize === 0 ? maxId + 1 : vocabSize;
    for (const t of tokens) {
      if (t.content.length === 0) {
        ignored++;
        continue;
      }
      const existing = this.map.get(t.content);
      if (existing !== undefined && this.mapR.get(existing)?.equals(t)) {
        ignored++;
        continue;
      }
      let id = this.tokenToId(t.content, model);
      if (id === undefined) id = nextId++;
      this.normalizeContent(t, id, normalizer);
      this.map.set(t.content, id);
      if (t.special) this.specialSet.add(t.content);
      this.mapR.set(id, t);
    }
    this.refresh();
    return tokens.length - ignored;
  }

  /** Rust `refresh_normalized_tokens`: after the normalizer changed. */
  refreshNormalized(normalizer: Normalizer | null): void {
    this.normalizedCache.clear();
    for (const [id, t] of this.mapR) this.normalizeContent(t, id, normalizer);
    this.refresh();
  }

  private refresh(): void {
    const norm: Array<[string, number]> = [];
    const raw: Array<[string, number]> = [];
    for (const [id, t] of this.mapR) {
      if (t.normalized) norm.push([this.normalizedCache.get(id) ?? t.content, id]);
      else raw.push([t.content, id]);
    }
    this.trie = raw.length > 0 ? new TokenTrie(raw) : null;
    this.normalizedTrie = norm.length > 0 ? new TokenTrie(norm) : null;
  }

  /** Rust `find_matches`: pieces of `s` as `[start, end, id or -1]` triples, with single_word/lstrip/rstrip rules. */
  private findMatches(s: string, trie: TokenTrie | null): number[] {
    if (s.length === 0) return [0, 0, -1];
    if (trie === null) return [0, s.length, -1];
    const out: number[] = [];
    const found = trie.findAll(s);
    let startOffset = 0;
    for (let k = 0; k < found.length; k += 3) {
      let start = found[k];
      let stop = found[k + 1];
      const id = found[k + 2];
      const tok = this.mapR.get(id)!;
      if (this.encodeSpecialTokens && this.specialSet.has(tok.content)) continue;
      if (tok.singleWord) {
        const startSpace = start === 0 || !isRustWordChar(lastCp(s, start));
        const stopSpace = stop === s.length || !isRustWordChar(s.codePointAt(stop)!);
        if (!startSpace || !stopSpace) continue;
      }
      if (tok.lstrip) {
        let ns = start;
        while (ns > 0) {
          const cp = lastCp(s, ns);
          if (!isWhitespace(cp)) break;
          ns -= cp >= 0x10000 ? 2 : 1;
        }
        start = Math.max(ns, startOffset);
      }
      if (tok.rstrip) {
        while (stop < s.length) {
          const cp = s.codePointAt(stop)!;
          if (!isWhitespace(cp)) break;
          stop += cp >= 0x10000 ? 2 : 1;
        }
      }
      if (startOffset < start) out.push(startOffset, start, -1);
      out.push(start, stop, id);
      startOffset = stop;
    }
    if (startOffset !== s.length) out.push(startOffset, s.length, -1);
    return out;
  }

  private splitWithIndices(ns: NormalizedString, trie: TokenTrie | null): Split[] {
    const m = this.findMatches(ns.normalized, trie);
    const out: Split[] = [];
    for (let k = 0; k < m.length; k += 3) {
      const slice = ns.slice(m[k], m[k + 1]);
      const id = m[k + 2];
      out.push({ normalized: slice, tokens: id >= 0 ? [{ id, value: slice.normalized, start: 0, end: slice.normalized.length }] : null });
    }
    return out;
  }

  /** Rust `extract_and_normalize`: cuts out non-normalized added tokens, normalizes the rest, cuts out normalized ones. */
  extractAndNormalize(normalizer: Normalizer | null, sequence: string): PreTokenizedString {
    const pts = new PreTokenizedString(sequence);
    pts.split((_, ns) => this.splitWithIndices(ns, this.trie));
    pts.split((_, ns) => {
      normalizer?.normalize(ns);
      return this.splitWithIndices(ns, this.normalizedTrie);
    });
    return pts;
  }

  /** tokenizer.json `added_tokens`, sorted by id. */
  toJSON(): Array<Record<string, unknown>> {
    return [...this.mapR.entries()].sort((a, b) => a[0] - b[0]).map(([id, t]) => t.toJSON(id));
  }
}
