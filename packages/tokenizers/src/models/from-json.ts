// Builds a Model from its tokenizer.json object (tagged with "type" or the old untagged form), with errors naming the JSON path.
import { JsonObj, TokenizerJSONError, unknownType } from "../internal/json-reader.js";
import { BPE } from "./bpe.js";
import type { Model } from "./model.js";
import { Unigram } from "./unigram.js";
import { vocabFromJSON } from "./vocab.js";
import { WordLevel } from "./wordlevel.js";
import { WordPiece } from "./wordpiece.js";

/** Model `type` values this package reads. */
export const MODEL_TYPES = ["BPE", "WordPiece", "WordLevel", "Unigram"] as const;

function bpeFromJSON(o: JsonObj): BPE {
  const raw = o.array("merges");
  const merges: Array<string | [string, string]> = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const m = raw[i];
    if (typeof m === "string") merges[i] = m;
    else if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") merges[i] = m as [string, string];
    else throw new TokenizerJSONError(`${o.sub("merges")}[${i}]`, `expected "a b" or ["a", "b"], found ${JSON.stringify(m)}.`);
  }
  try {
    return new BPE({
      vocab: vocabFromJSON(o, "vocab"),
      merges,
      dropout: o.optNumber("dropout"),
      unkToken: o.optString("unk_token"),
      continuingSubwordPrefix: o.optString("continuing_subword_prefix"),
      endOfWordSuffix: o.optString("end_of_word_suffix"),
      fuseUnk: o.optBool("fuse_unk") ?? false,
      byteFallback: o.optBool("byte_fallback") ?? false,
      ignoreMerges: o.optBool("ignore_merges") ?? false,
    });
  } catch (e) {
    if (e instanceof TokenizerJSONError) throw e;
    throw new TokenizerJSONError(o.path, (e as Error).message);
  }
}

function unigramFromJSON(o: JsonObj): Unigram {
  const raw = o.array("vocab");
  const vocab: Array<[string, number]> = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const e = raw[i];
    if (!Array.isArray(e) || typeof e[0] !== "string" || typeof e[1] !== "number") {
      throw new TokenizerJSONError(`${o.sub("vocab")}[${i}]`, `expected [piece, score], found ${JSON.stringify(e)}.`);
    }
    vocab[i] = [e[0], e[1]];
  }
  try {
    return new Unigram({ vocab, unkId: o.optNumber("unk_id"), byteFallback: o.optBool("byte_fallback") ?? false, scoresFromJSON: true });
  } catch (e) {
    throw new TokenizerJSONError(o.path, (e as Error).message);
  }
}

/**
 * Reads the `model` object of tokenizer.json.
 * @example
 * ```ts
 * const m = modelFromJSON({ type: "WordLevel", vocab: { a: 0, "<unk>": 1 }, unk_token: "<unk>" });
 * ```
 */
export function modelFromJSON(value: unknown, path = "model"): Model {
  const o = new JsonObj(value, path);
  let type = o.raw("type");
  if (type === undefined) {
    // Old files have no "type": tell the models apart by their fields, in the order the Rust crate tries them.
    if (o.has("merges")) type = "BPE";
    else if (Array.isArray(o.raw("vocab"))) type = "Unigram";
    else if (o.has("continuing_subword_prefix") || o.has("max_input_chars_per_word")) type = "WordPiece";
    else if (o.has("vocab")) type = "WordLevel";
  }
  switch (type) {
    case "BPE":
      return bpeFromJSON(o);
    case "WordPiece":
      return new WordPiece({
        vocab: vocabFromJSON(o, "vocab"),
        unkToken: o.string("unk_token", "[UNK]"),
        continuingSubwordPrefix: o.string("continuing_subword_prefix", "##"),
        maxInputCharsPerWord: o.uint("max_input_chars_per_word", 100),
      });
    case "WordLevel":
      return new WordLevel({ vocab: vocabFromJSON(o, "vocab"), unkToken: o.string("unk_token", "<unk>") });
    case "Unigram":
      return unigramFromJSON(o);
    default:
      return unknownType(path, "model", type, MODEL_TYPES);
  }
}
