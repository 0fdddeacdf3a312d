// Nmt normalizer: drops control characters and maps odd spaces to a space (Rust `normalizers::unicode::Nmt`).
import type { NormalizedString } from "../internal/normalized-string.js";
import type { Normalizer } from "./normalizer.js";

/**
 * The NMT normalizer of SentencePiece.
 * @example
 * ```ts
 * new Nmt().toJSON(); // { type: "Nmt" }
 * ```
 */
export class Nmt implements Normalizer {
  normalize(ns: NormalizedString): void {
    ns.filter(
      (c) => !((c >= 0x1 && c <= 0x8) || c === 0xb || (c >= 0xe && c <= 0x1f) || c === 0x7f || c === 0x8f || c === 0x9f),
    );
    ns.map((c) =>
      c === 0x9 || c === 0xa || c === 0xc || c === 0xd || c === 0x1680 || (c >= 0x200b && c <= 0x200f) || c === 0x2028 || c === 0x2029 || c === 0x2581 || c === 0xfeff || c === 0xfffd
        ? 0x20
        : c,
    );
  }
  toJSON(): Record<string, unknown> {
    return { type: "Nmt" };
  }
}
