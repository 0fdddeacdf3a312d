// Unicode normalization form normalizers NFC, NFD, NFKC, NFKD (Rust `normalizers::unicode`).
import type { NormalizedString } from "../internal/normalized-string.js";
import { normalizeUnicode } from "../internal/unicode-normalize.js";
import type { Normalizer } from "./normalizer.js";

/**
 * NFD normalizer (canonical decomposition).
 * @example
 * ```ts
 * new NFD().toJSON(); // { type: "NFD" }
 * ```
 */
export class NFD implements Normalizer {
  normalize(ns: NormalizedString): void {
    normalizeUnicode(ns, "NFD");
  }
  toJSON(): Record<string, unknown> {
    return { type: "NFD" };
  }
}

/**
 * NFKD normalizer (compatibility decomposition).
 * @example
 * ```ts
 * new NFKD().toJSON(); // { type: "NFKD" }
 * ```
 */
export class NFKD implements Normalizer {
  normalize(ns: NormalizedString): void {
    normalizeUnicode(ns, "NFKD");
  }
  toJSON(): Record<string, unknown> {
    return { type: "NFKD" };
  }
}

/**
 * NFC normalizer (canonical composition).
 * @example
 * ```ts
 * new NFC().toJSON(); // { type: "NFC" }
 * ```
 */
export class NFC implements Normalizer {
  normalize(ns: NormalizedString): void {
    normalizeUnicode(ns, "NFC");
  }
  toJSON(): Record<string, unknown> {
    return { type: "NFC" };
  }
}

/**
 * NFKC normalizer (compatibility composition).
 * @example
 * ```ts
 * new NFKC().toJSON(); // { type: "NFKC" }
 * ```
 */
export class NFKC implements Normalizer {
  normalize(ns: NormalizedString): void {
    normalizeUnicode(ns, "NFKC");
  }
  toJSON(): Record<string, unknown> {
    return { type: "NFKC" };
  }
}
