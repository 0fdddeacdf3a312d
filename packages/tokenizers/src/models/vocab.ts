// Vocabulary helpers shared by the models: reading {token: id} objects, serialising them in id order (Rust OrderedVocabIter), and the token/id accessors.
import { JsonObj, TokenizerJSONError } from "../internal/json-reader.js";

/** Reads a `{token: id}` object into a Map, checking every id. */
export function vocabFromJSON(o: JsonObj, key: string): Map<string, number> {
  const v = o.child(key);
  const map = new Map<string, number>();
  for (const tok in v.obj) {
    const id = v.obj[tok];
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
      throw new TokenizerJSONError(`${v.path}[${JSON.stringify(tok)}]`, `expected a non-negative integer id, found ${JSON.stringify(id)}.`);
    }
    map.set(tok, id);
  }
  return map;
}

/** Accepts a Map or a plain object as a vocabulary. */
export function toVocabMap(v: Map<string, number> | Record<string, number>): Map<string, number> {
  return v instanceof Map ? new Map(v) : new Map(Object.entries(v));
}

/** id -> token array (holes stay undefined). */
export function reverseVocab(vocab: Map<string, number>): string[] {
  const r: string[] = [];
  for (const [tok, id] of vocab) r[id] = tok;
  return r;
}

/** `{token: id}` in increasing id order, as the Rust crate writes it. */
export function orderedVocabJSON(vocabR: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < vocabR.length; i++) if (vocabR[i] !== undefined) out[vocabR[i]] = i;
  return out;
}

/**
 * The vocabulary half of a model that keeps a `{token: id}` map (BPE, WordPiece, WordLevel): the map, its reverse,
 * and the `Model` accessors over them, written once.
 * @example
 * ```ts
 * const wl = new WordLevel({ vocab: { "[UNK]": 0, hi: 1 }, unkToken: "[UNK]" });
 * wl.tokenToId("hi"); // 1
 * wl.idToToken(0); // "[UNK]"
 * ```
 */
export abstract class VocabModel {
  readonly vocab: Map<string, number>;
  /** id -> token. */
  readonly vocabR: string[];

  constructor(vocab: Map<string, number> | Record<string, number>) {
    this.vocab = toVocabMap(vocab);
    this.vocabR = reverseVocab(this.vocab);
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }
  idToToken(id: number): string | undefined {
    return this.vocabR[id];
  }
  /** A copy of the token -> id map. */
  getVocab(): Map<string, number> {
    return new Map(this.vocab);
  }
  getVocabSize(): number {
    return this.vocab.size;
  }
}
