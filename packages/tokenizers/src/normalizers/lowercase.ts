// Lowercase normalizer: Rust `char::to_lowercase` per char (no final-sigma context, unlike String.prototype.toLowerCase).
import type { NormalizedString } from "../internal/normalized-string.js";
import type { Normalizer } from "./normalizer.js";

const lowerCache = new Map<number, number[]>();

/** Rust `char::to_lowercase` of one code point (cached). */
export function lowerOf(cp: number): number[] {
  let r = lowerCache.get(cp);
  if (r === undefined) {
    r = [];
    for (const ch of String.fromCodePoint(cp).toLowerCase()) r.push(ch.codePointAt(0)!);
    lowerCache.set(cp, r);
  }
  return r;
}

/** Lowercases every char of `ns`, keeping alignments (a char lowering to several gets the extra ones inserted). */
export function lowercaseInPlace(ns: NormalizedString): void {
  const s = ns.normalized;
  let simple = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      simple = false;
      break;
    }
  }
  if (simple) {
    ns.replaceSameShape(s.toLowerCase());
    return;
  }
  // Most non-ASCII text has nothing to lower (CJK, Thai, already lowercase): check before building arrays.
  let any = false;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp >= 0x10000 ? 2 : 1;
    if (cp < 0x80) {
      if (cp >= 0x41 && cp <= 0x5a) {
        any = true;
        break;
      }
      continue;
    }
    const lo = lowerOf(cp);
    if (lo.length !== 1 || lo[0] !== cp) {
      any = true;
      break;
    }
  }
  if (!any) return;
  const cps: number[] = [];
  const changes: number[] = [];
  let changed = false;
  let shapeKept = true;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp >= 0x10000 ? 2 : 1;
    const lo = cp < 0x80 ? (cp >= 0x41 && cp <= 0x5a ? [cp + 32] : [cp]) : lowerOf(cp);
    for (let k = 0; k < lo.length; k++) {
      cps.push(lo[k]);
      changes.push(k > 0 ? 1 : 0);
    }
    if (lo.length !== 1 || lo[0] !== cp) {
      changed = true;
      if (lo.length !== 1 || lo[0] >= 0x10000 !== cp >= 0x10000) shapeKept = false;
    }
  }
  if (!changed) return;
  if (shapeKept) {
    let out = "";
    for (const c of cps) out += String.fromCodePoint(c);
    ns.replaceSameShape(out);
    return;
  }
  ns.transform(cps, changes, cps.length, 0);
}

/**
 * Lowercase normalizer.
 * @example
 * ```ts
 * const tok = Tokenizer.fromJSON({ ...json, normalizer: new Lowercase().toJSON() });
 * ```
 */
export class Lowercase implements Normalizer {
  normalize(ns: NormalizedString): void {
    lowercaseInPlace(ns);
  }
  toJSON(): Record<string, unknown> {
    return { type: "Lowercase" };
  }
}
