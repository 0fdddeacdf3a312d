// BertNormalizer: clean text, space out CJK ideographs, strip accents, lowercase (Rust `normalizers::bert`).
import { isMarkNonspacing, isOther, isWhitespace } from "../internal/char-classes.js";
import { unitsToString } from "../internal/code-units.js";
import type { NormalizedString } from "../internal/normalized-string.js";
import { normalizeUnicode } from "../internal/unicode-normalize.js";
import { lowercaseInPlace } from "./lowercase.js";
import type { Normalizer } from "./normalizer.js";

function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isBertControl(cp: number): boolean {
  if (cp === 9 || cp === 10 || cp === 13) return false;
  return isOther(cp);
}

/** Options of BertNormalizer, as in tokenizer.json. */
export interface BertNormalizerOptions {
  cleanText?: boolean;
  handleChineseChars?: boolean;
  stripAccents?: boolean | null;
  lowercase?: boolean;
}

/**
 * BERT's normalizer.
 * @example
 * ```ts
 * const n = new BertNormalizer({ lowercase: true });
 * n.toJSON(); // { type: "BertNormalizer", clean_text: true, ... }
 * ```
 */
export class BertNormalizer implements Normalizer {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  readonly stripAccents: boolean | null;
  readonly lowercase: boolean;

  constructor(opts: BertNormalizerOptions = {}) {
    this.cleanText = opts.cleanText ?? true;
    this.handleChineseChars = opts.handleChineseChars ?? true;
    this.stripAccents = opts.stripAccents ?? null;
    this.lowercase = opts.lowercase ?? true;
  }

  normalize(ns: NormalizedString): void {
    if (this.cleanText && this.asciiFastPath(ns)) return;
    if (this.cleanText) {
      ns.filter((c) => !(c === 0 || c === 0xfffd || isBertControl(c)));
      ns.map((c) => (c === 9 || c === 10 || c === 13 || isWhitespace(c) ? 0x20 : c));
    }
    if (this.handleChineseChars) {
      const s = ns.normalized;
      let any = false;
      for (let i = 0; i < s.length; ) {
        const cp = s.codePointAt(i)!;
        if (isChineseChar(cp)) {
          any = true;
          break;
        }
        i += cp >= 0x10000 ? 2 : 1;
      }
      if (any) {
        const cps: number[] = [];
        const changes: number[] = [];
        for (let i = 0; i < s.length; ) {
          const cp = s.codePointAt(i)!;
          i += cp >= 0x10000 ? 2 : 1;
          if (isChineseChar(cp)) {
            cps.push(0x20, cp, 0x20);
            changes.push(0, 1, 1);
          } else {
            cps.push(cp);
            changes.push(0);
          }
        }
        ns.transform(cps, changes, cps.length, 0);
      }
    }
    if (this.stripAccents ?? this.lowercase) {
      normalizeUnicode(ns, "NFD");
      ns.filter((c) => !isMarkNonspacing(c));
    }
    if (this.lowercase) lowercaseInPlace(ns);
  }

  /**
   * ASCII text without control chars other than \t \n \r loses nothing, has no CJK and nothing to decompose: the steps
   * reduce to \t \n \r -> space and A-Z -> a-z, both one unit for one unit. Returns false when the text needs the full path.
   */
  private asciiFastPath(ns: NormalizedString): boolean {
    const s = ns.normalized;
    const n = s.length;
    let changes = false;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x7f || (c < 0x20 && c !== 9 && c !== 10 && c !== 13)) return false;
      if (c < 0x20 || (this.lowercase && c >= 0x41 && c <= 0x5a)) changes = true;
    }
    if (!changes) return true;
    const units = new Uint16Array(n);
    const lower = this.lowercase;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      units[i] = c < 0x20 ? 0x20 : lower && c >= 0x41 && c <= 0x5a ? c + 32 : c;
    }
    ns.replaceSameShape(unitsToString(units, n));
    return true;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: "BertNormalizer",
      clean_text: this.cleanText,
      handle_chinese_chars: this.handleChineseChars,
      strip_accents: this.stripAccents,
      lowercase: this.lowercase,
    };
  }
}
