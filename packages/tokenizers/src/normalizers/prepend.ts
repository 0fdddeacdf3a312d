// Prepend normalizer: puts a string in front of non-empty text (Rust `normalizers::prepend`).
import type { NormalizedString } from "../internal/normalized-string.js";
import type { Normalizer } from "./normalizer.js";

/**
 * Prepends `prepend` to any non-empty text (Llama uses "▁").
 * @example
 * ```ts
 * new Prepend("▁").toJSON(); // { type: "Prepend", prepend: "▁" }
 * ```
 */
export class Prepend implements Normalizer {
  constructor(readonly prepend: string) {}
  normalize(ns: NormalizedString): void {
    if (ns.normalized.length > 0) ns.prepend(this.prepend);
  }
  toJSON(): Record<string, unknown> {
    return { type: "Prepend", prepend: this.prepend };
  }
}
