// Builds a PostProcessor from its tokenizer.json object, with errors naming the JSON path and the supported types.
import { JsonObj, TokenizerJSONError, unknownType } from "../internal/json-reader.js";
import { BertProcessing } from "./bert.js";
import { ByteLevelPostProcessor } from "./byte-level.js";
import type { PostProcessor } from "./post-processor.js";
import { RobertaProcessing } from "./roberta.js";
import { PostProcessorSequence } from "./sequence.js";
import { type Piece, type TemplateSpecialToken, TemplateProcessing, parsePiece } from "./template.js";

/** Post-processor `type` values this package reads. */
export const POST_PROCESSOR_TYPES = ["TemplateProcessing", "BertProcessing", "RobertaProcessing", "ByteLevel", "Sequence"] as const;

function tokenPair(o: JsonObj, key: string, def: [string, number]): [string, number] {
  const v = o.raw(key);
  if (v === undefined) return def;
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== "string" || typeof v[1] !== "number") {
    throw new TokenizerJSONError(o.sub(key), `expected ["token", id], found ${JSON.stringify(v)}.`);
  }
  return [v[0], v[1]];
}

function templateFromJSON(v: unknown, path: string): Piece[] {
  if (typeof v === "string") return v.split(" ").filter((x) => x).map(parsePiece);
  if (!Array.isArray(v)) throw new TokenizerJSONError(path, "expected a list of template pieces.");
  return v.map((p, i) => {
    if (typeof p === "string") return parsePiece(p);
    const po = new JsonObj(p, `${path}[${i}]`);
    if (po.has("Sequence")) {
      const s = po.child("Sequence");
      return { kind: "sequence", id: s.oneOf("id", ["A", "B"]), typeId: s.uint("type_id", 0) };
    }
    if (po.has("SpecialToken")) {
      const s = po.child("SpecialToken");
      return { kind: "special", id: s.string("id"), typeId: s.uint("type_id", 0) };
    }
    throw new TokenizerJSONError(po.path, 'expected {"Sequence": {...}} or {"SpecialToken": {...}}.');
  });
}

/**
 * Reads a post_processor object of tokenizer.json (`null` gives `null`).
 * @example
 * ```ts
 * const p = postProcessorFromJSON({ type: "BertProcessing", sep: ["[SEP]", 102], cls: ["[CLS]", 101] });
 * ```
 */
export function postProcessorFromJSON(value: unknown, path = "post_processor"): PostProcessor | null {
  if (value === null || value === undefined) return null;
  const o = new JsonObj(value, path);
  const type = o.raw("type");
  switch (type) {
    case "BertProcessing":
      return new BertProcessing(tokenPair(o, "sep", ["[SEP]", 102]), tokenPair(o, "cls", ["[CLS]", 101]));
    case "RobertaProcessing":
      return new RobertaProcessing(tokenPair(o, "sep", ["</s>", 2]), tokenPair(o, "cls", ["<s>", 0]), o.bool("trim_offsets", true), o.bool("add_prefix_space", true));
    case "ByteLevel":
      return new ByteLevelPostProcessor({ addPrefixSpace: o.bool("add_prefix_space", true), trimOffsets: o.bool("trim_offsets", true), useRegex: o.bool("use_regex", true) });
    case "TemplateProcessing": {
      const special: TemplateSpecialToken[] = [];
      const st = o.child("special_tokens");
      for (const k of Object.keys(st.obj)) {
        const t = st.child(k);
        const ids = t.array("ids");
        const tokens = t.array("tokens");
        if (!ids.every((x) => typeof x === "number")) throw new TokenizerJSONError(t.sub("ids"), "expected a list of integer ids.");
        if (!tokens.every((x) => typeof x === "string")) throw new TokenizerJSONError(t.sub("tokens"), "expected a list of strings.");
        special.push({ id: t.string("id"), ids: ids as number[], tokens: tokens as string[] });
      }
      try {
        return new TemplateProcessing({ single: templateFromJSON(o.raw("single"), o.sub("single")), pair: templateFromJSON(o.raw("pair"), o.sub("pair")), specialTokens: special });
      } catch (e) {
        if (e instanceof TokenizerJSONError) throw e;
        throw new TokenizerJSONError(o.path, (e as Error).message);
      }
    }
    case "Sequence": {
      const arr = o.array("processors");
      return new PostProcessorSequence(arr.map((p, i) => postProcessorFromJSON(p, `${path}.processors[${i}]`)).filter((p): p is PostProcessor => p !== null));
    }
    default:
      return unknownType(path, "post-processor", type, POST_PROCESSOR_TYPES);
  }
}
