// CTC decoder: collapses repeats, drops the pad token, turns the word delimiter into spaces (Rust `decoders::ctc`).
import type { Decoder } from "./decoder.js";
import { cleanupTokenizationSpaces } from "./wordpiece.js";

/**
 * CTC decoder (wav2vec2).
 * @example
 * ```ts
 * new CTC().decodeChain(["h", "h", "<pad>", "i"]).join(""); // "hi"
 * ```
 */
export class CTC implements Decoder {
  constructor(
    readonly padToken = "<pad>",
    readonly wordDelimiterToken = "|",
    readonly cleanup = true,
  ) {}
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let prev: string | undefined;
    for (const t of tokens) {
      if (t === prev) continue;
      prev = t;
      let r = t.replaceAll(this.padToken, "");
      if (this.cleanup) r = cleanupTokenizationSpaces(r).replaceAll(this.wordDelimiterToken, " ");
      if (r.length > 0) out.push(r);
    }
    return out;
  }
  toJSON(): Record<string, unknown> {
    return { type: "CTC", pad_token: this.padToken, word_delimiter_token: this.wordDelimiterToken, cleanup: this.cleanup };
  }
}
