// ByteLevel decoder: maps byte-level chars back to bytes and decodes them as (lossy) UTF-8 (Rust `pre_tokenizers::byte_level` Decoder).
import { CHAR_TO_BYTE } from "../internal/byte-level-alphabet.js";
import { decodeUtf8Lossy, encodeUtf8 } from "../internal/utf8.js";
import type { Decoder } from "./decoder.js";

/**
 * GPT-2 byte-level decoder.
 * @example
 * ```ts
 * new ByteLevelDecoder().decodeChain(["Hello", "Ġworld"]); // ["Hello world"]
 * ```
 */
export class ByteLevelDecoder implements Decoder {
  readonly addPrefixSpace: boolean;
  readonly trimOffsets: boolean;
  readonly useRegex: boolean;
  constructor(opts: { addPrefixSpace?: boolean; trimOffsets?: boolean; useRegex?: boolean } = {}) {
    this.addPrefixSpace = opts.addPrefixSpace ?? true;
    this.trimOffsets = opts.trimOffsets ?? true;
    this.useRegex = opts.useRegex ?? true;
  }
  decodeChain(tokens: string[]): string[] {
    const bytes: number[] = [];
    for (const t of tokens) {
      let ok = true;
      const start = bytes.length;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        const b = c < 0x200 ? CHAR_TO_BYTE[c] : -1;
        if (b < 0) {
          ok = false;
          break;
        }
        bytes.push(b);
      }
      if (!ok) {
        // A token with a char outside the alphabet is kept as its own UTF-8 bytes.
        bytes.length = start;
        for (const b of encodeUtf8(t)) bytes.push(b);
      }
    }
    return [decodeUtf8Lossy(bytes)];
  }
  toJSON(): Record<string, unknown> {
    return { type: "ByteLevel", add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
