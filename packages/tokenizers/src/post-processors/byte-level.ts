// ByteLevel post-processor: trims the offsets of byte-level tokens so they exclude leading/trailing spaces (Rust `processors::byte_level`).
import type { Encoding } from "../encoding.js";
import { isWhitespace } from "../internal/char-classes.js";
import type { PostProcessor } from "./post-processor.js";

const SPACE_CHAR = 0x120; // "Ġ", the byte-level char of " "

function isSpaceLike(cp: number): boolean {
  return cp === SPACE_CHAR || isWhitespace(cp);
}

/** Rust `process_offsets`: moves each token's offsets past its leading/trailing (byte-level) spaces. */
export function trimByteLevelOffsets(encoding: Encoding, addPrefixSpace: boolean): void {
  const { tokens, offsets } = encoding;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // Counted in chars (code points), reading the token in place from both ends.
    let leading = 0;
    let chars = 0;
    for (let k = 0; k < t.length; ) {
      const cp = t.codePointAt(k)!;
      k += cp >= 0x10000 ? 2 : 1;
      chars++;
      if (leading === chars - 1 && isSpaceLike(cp)) leading++;
    }
    let trailing = 0;
    for (let k = t.length; k > 0 && trailing < chars; ) {
      let cp = t.charCodeAt(k - 1);
      let l = 1;
      if ((cp & 0xfc00) === 0xdc00 && k >= 2 && (t.charCodeAt(k - 2) & 0xfc00) === 0xd800) {
        cp = t.codePointAt(k - 2)!;
        l = 2;
      }
      if (!isSpaceLike(cp)) break;
      trailing++;
      k -= l;
    }
    if (leading === 0 && trailing === 0) continue;
    const o = offsets[i];
    if (leading > 0) {
      const isFirst = i === 0 || o[0] === 0;
      if (isFirst && addPrefixSpace && leading === 1) leading = 0;
      o[0] = Math.min(o[0] + leading, o[1]);
    }
    if (trailing > 0 && o[1] >= trailing) o[1] = Math.max(o[1] - trailing, o[0]);
  }
}

/**
 * Byte-level post-processor (GPT-2): offset trimming only, adds no tokens.
 * @example
 * ```ts
 * new ByteLevelPostProcessor({ trimOffsets: true }).toJSON();
 * ```
 */
export class ByteLevelPostProcessor implements PostProcessor {
  readonly addPrefixSpace: boolean;
  readonly trimOffsets: boolean;
  readonly useRegex: boolean;
  constructor(opts: { addPrefixSpace?: boolean; trimOffsets?: boolean; useRegex?: boolean } = {}) {
    this.addPrefixSpace = opts.addPrefixSpace ?? true;
    this.trimOffsets = opts.trimOffsets ?? true;
    this.useRegex = opts.useRegex ?? true;
  }
  addedTokens(): number {
    return 0;
  }
  processEncodings(encodings: Encoding[]): Encoding[] {
    if (this.trimOffsets) {
      for (const e of encodings) {
        trimByteLevelOffsets(e, this.addPrefixSpace);
        for (const o of e.overflowing) trimByteLevelOffsets(o, this.addPrefixSpace);
      }
    }
    encodings.forEach((e, i) => e.setSequenceId(i));
    return encodings;
  }
  toJSON(): Record<string, unknown> {
    return { type: "ByteLevel", add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
