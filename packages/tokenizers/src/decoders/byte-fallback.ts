// ByteFallback decoder: runs of <0xNN> tokens become the UTF-8 text they encode, or one U+FFFD per byte if invalid (Rust `decoders::byte_fallback`).
import { decodeUtf8Strict } from "../internal/utf8.js";
import type { Decoder } from "./decoder.js";

function byteOf(t: string): number {
  if (t.length !== 6 || !t.startsWith("<0x") || t[5] !== ">") return -1;
  const hex = t.slice(3, 5);
  return /^[0-9a-fA-F]{2}$/.test(hex) ? parseInt(hex, 16) : -1;
}

/**
 * Byte-fallback decoder.
 * @example
 * ```ts
 * new ByteFallback().decodeChain(["<0xE2>", "<0x96>", "<0x81>"]); // ["▁"]
 * ```
 */
export class ByteFallback implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let bytes: number[] = [];
    const flush = (): void => {
      if (bytes.length === 0) return;
      const s = decodeUtf8Strict(bytes);
      if (s !== null) out.push(s);
      else for (let i = 0; i < bytes.length; i++) out.push("\ufffd");
      bytes = [];
    };
    for (const t of tokens) {
      const b = byteOf(t);
      if (b >= 0) bytes.push(b);
      else {
        flush();
        out.push(t);
      }
    }
    flush();
    return out;
  }
  toJSON(): Record<string, unknown> {
    return { type: "ByteFallback" };
  }
}
