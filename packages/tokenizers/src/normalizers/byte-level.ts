// ByteLevel normalizer: maps text to GPT-2's byte-level alphabet (Rust `normalizers::byte_level`).
import { byteLevelTransform } from "../internal/byte-level-transform.js";
import type { NormalizedString } from "../internal/normalized-string.js";
import type { Normalizer } from "./normalizer.js";

/**
 * Byte-level normalizer.
 * @example
 * ```ts
 * new ByteLevelNormalizer().toJSON(); // { type: "ByteLevel" }
 * ```
 */
export class ByteLevelNormalizer implements Normalizer {
  normalize(ns: NormalizedString): void {
    if (ns.normalized.length > 0) byteLevelTransform(ns);
  }
  toJSON(): Record<string, unknown> {
    return { type: "ByteLevel" };
  }
}
