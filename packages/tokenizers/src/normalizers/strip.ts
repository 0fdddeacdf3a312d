// Strip (whitespace at the ends) and StripAccents (combining marks) normalizers (Rust `normalizers::strip`).
import { isCombiningMark } from "../internal/char-classes.js";
import type { NormalizedString } from "../internal/normalized-string.js";
import type { Normalizer } from "./normalizer.js";

/**
 * Removes whitespace at the start and/or end.
 * @example
 * ```ts
 * new Strip(true, true).toJSON(); // { type: "Strip", strip_left: true, strip_right: true }
 * ```
 */
export class Strip implements Normalizer {
  constructor(
    readonly stripLeft = true,
    readonly stripRight = true,
  ) {}
  normalize(ns: NormalizedString): void {
    if (this.stripLeft && this.stripRight) ns.strip(true, true);
    else {
      if (this.stripLeft) ns.strip(true, false);
      if (this.stripRight) ns.strip(false, true);
    }
  }
  toJSON(): Record<string, unknown> {
    return { type: "Strip", strip_left: this.stripLeft, strip_right: this.stripRight };
  }
}

/**
 * Removes combining marks (use after NFD/NFKD).
 * @example
 * ```ts
 * new StripAccents().toJSON(); // { type: "StripAccents" }
 * ```
 */
export class StripAccents implements Normalizer {
  normalize(ns: NormalizedString): void {
    ns.filter((c) => !isCombiningMark(c));
  }
  toJSON(): Record<string, unknown> {
    return { type: "StripAccents" };
  }
}
