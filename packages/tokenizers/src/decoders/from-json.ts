// Builds a Decoder from its tokenizer.json object, with errors naming the JSON path and the supported types.
import { JsonObj, unknownType } from "../internal/json-reader.js";
import { StringOrRegex } from "../internal/string-pattern.js";
import { metaspaceFromJSON } from "../pre-tokenizers/from-json.js";
import { BPEDecoder } from "./bpe.js";
import { ByteFallback } from "./byte-fallback.js";
import { ByteLevelDecoder } from "./byte-level.js";
import { CTC } from "./ctc.js";
import type { Decoder } from "./decoder.js";
import { Fuse } from "./fuse.js";
import { MetaspaceDecoder } from "./metaspace.js";
import { ReplaceDecoder } from "./replace.js";
import { DecoderSequence } from "./sequence.js";
import { StripDecoder } from "./strip.js";
import { WordPieceDecoder } from "./wordpiece.js";

/** Decoder `type` values this package reads. */
export const DECODER_TYPES = ["BPEDecoder", "ByteLevel", "WordPiece", "Metaspace", "CTC", "Sequence", "Replace", "Fuse", "Strip", "ByteFallback"] as const;

/**
 * Reads a decoder object of tokenizer.json (`null` gives `null`).
 * @example
 * ```ts
 * const d = decoderFromJSON({ type: "WordPiece", prefix: "##", cleanup: true });
 * ```
 */
export function decoderFromJSON(value: unknown, path = "decoder"): Decoder | null {
  if (value === null || value === undefined) return null;
  const o = new JsonObj(value, path);
  const type = o.raw("type");
  switch (type) {
    case "BPEDecoder":
      return new BPEDecoder(o.string("suffix", "</w>"));
    case "ByteLevel":
      return new ByteLevelDecoder({ addPrefixSpace: o.bool("add_prefix_space", true), trimOffsets: o.bool("trim_offsets", true), useRegex: o.bool("use_regex", true) });
    case "WordPiece":
      return new WordPieceDecoder(o.string("prefix", "##"), o.bool("cleanup", true));
    case "Metaspace": {
      const m = metaspaceFromJSON(o);
      return new MetaspaceDecoder(m.replacement, m.prependScheme, m.split);
    }
    case "CTC":
      return new CTC(o.string("pad_token", "<pad>"), o.string("word_delimiter_token", "|"), o.bool("cleanup", true));
    case "Replace": {
      const p = StringOrRegex.fromJSON(o, "pattern", `Replace decoder at ${path}`);
      return new ReplaceDecoder(p.spec, o.string("content"));
    }
    case "Fuse":
      return new Fuse();
    case "Strip":
      return new StripDecoder(o.char("content"), o.uint("start"), o.uint("stop"));
    case "ByteFallback":
      return new ByteFallback();
    case "Sequence": {
      const arr = o.array("decoders");
      return new DecoderSequence(arr.map((d, i) => decoderFromJSON(d, `${path}.decoders[${i}]`)).filter((d): d is Decoder => d !== null));
    }
    default:
      return unknownType(path, "decoder", type, DECODER_TYPES);
  }
}
