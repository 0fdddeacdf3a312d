// Sequence normalizer: runs several normalizers in order (Rust `normalizers::utils::Sequence`).
import type { NormalizedString } from "../internal/normalized-string.js";
import type { Normalizer } from "./normalizer.js";

/**
 * Runs `normalizers` one after the other.
 * @example
 * ```ts
 * new NormalizerSequence([new NFD(), new Lowercase()]).toJSON();
 * ```
 */
export class NormalizerSequence implements Normalizer {
  constructor(readonly normalizers: Normalizer[]) {}
  normalize(ns: NormalizedString): void {
    for (const n of this.normalizers) n.normalize(ns);
  }
  toJSON(): Record<string, unknown> {
    return { type: "Sequence", normalizers: this.normalizers.map((n) => n.toJSON()) };
  }
}
