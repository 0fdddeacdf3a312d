// BertNormalizer: clean text, space out CJK ideographs, strip accents, lowercase (Rust `normalizers::bert`).
import { isMarkNonspacing, isOther, isWhitespace } from "../internal/char-classes.js";
import { unitsToString } from "../internal/code-units.js";
import type { NormalizedString } from "../internal/normalized-string.js";
import { decompose, hasCombiningClass, normalizeUnicode } from "../internal/unicode-normalize.js";
import { lowercaseInPlace, lowerOf } from "./lowercase.js";
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

/**
 * Rust `is_control`. A lone surrogate (only a JS string can hold one) counts too: it reaches Rust as U+FFFD, which
 * clean text removes as well.
 */
function isBertControl(cp: number): boolean {
  if (cp === 9 || cp === 10 || cp === 13) return false;
  return isOther(cp) || (cp >= 0xd800 && cp <= 0xdfff);
}

/** What all steps together make of one input char: its output chars, and whether its decomposition starts/ends with a char NFD may reorder. */
interface CharPlan {
  out: number[];
  firstMark: boolean;
  lastMark: boolean;
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
    if (this.mergedPass(ns)) return;
    this.stepByStep(ns);
  }

  /** The steps one after the other, as Rust runs them; public for the exactness tests of `mergedPass`. */
  stepByStep(ns: NormalizedString): void {
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
    let controls = false;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x7f || (c < 0x20 && c !== 9 && c !== 10 && c !== 13)) return false;
      if (c < 0x20) controls = true;
    }
    // On ASCII, toLowerCase only maps A-Z: both edits are native string passes.
    let out = this.lowercase ? s.toLowerCase() : s;
    if (controls) out = out.replace(/[\t\n\r]/g, " ");
    if (out !== s) ns.replaceSameShape(out);
    return true;
  }

  private readonly plansBmp: Array<CharPlan | null | undefined> = [];
  private readonly plansAstral = new Map<number, CharPlan | null>();

  /** The plan of `cp`, or null when clean text removes it. */
  private plan(cp: number): CharPlan | null {
    if (cp < 0x10000) {
      let p = this.plansBmp[cp];
      if (p === undefined) {
        p = this.makePlan(cp);
        this.plansBmp[cp] = p;
      }
      return p;
    }
    let p = this.plansAstral.get(cp);
    if (p === undefined) {
      p = this.makePlan(cp);
      this.plansAstral.set(cp, p);
    }
    return p;
  }

  private makePlan(cp: number): CharPlan | null {
    let c = cp;
    if (this.cleanText) {
      if (c === 0 || c === 0xfffd || isBertControl(c)) return null;
      if (c === 9 || c === 10 || c === 13 || isWhitespace(c)) c = 0x20;
    }
    let seq = this.handleChineseChars && isChineseChar(c) ? [0x20, c, 0x20] : [c];
    let firstMark = false;
    let lastMark = false;
    if (this.stripAccents ?? this.lowercase) {
      const d: number[] = [];
      for (const x of seq) for (const y of decompose(x, "NFD")) d.push(y);
      firstMark = hasCombiningClass(d[0]);
      lastMark = hasCombiningClass(d[d.length - 1]);
      seq = d.filter((y) => !isMarkNonspacing(y));
    }
    if (this.lowercase) seq = seq.flatMap((y) => lowerOf(y));
    return { out: seq, firstMark, lastMark };
  }

  private outUnits = new Uint16Array(256);
  private outSrc = new Int32Array(256);

  /**
   * All steps in one pass. Every step edits char by char and gives each output char the span of the char it came
   * from (removed chars leave no span), so the result is each input char's plan with that char's span; the one
   * exception is NFD's canonical reordering, which moves marks between input chars: when two chars that NFD may
   * reorder meet (after clean text), this returns false and the steps run one by one.
   */
  private mergedPass(ns: NormalizedString): boolean {
    const s = ns.normalized;
    const n = s.length;
    let units = this.outUnits;
    let src = this.outSrc;
    let w = 0;
    let changed = false;
    let sameShape = true;
    let prevLastMark = false;
    for (let i = 0; i < n; ) {
      const cp = s.codePointAt(i)!;
      const l = cp >= 0x10000 ? 2 : 1;
      const p = this.plan(cp);
      if (p === null) {
        changed = true;
        sameShape = false;
        i += l;
        continue;
      }
      if (prevLastMark && p.firstMark) return false;
      prevLastMark = p.lastMark;
      const out = p.out;
      if (out.length !== 1 || out[0] !== cp) {
        changed = true;
        if (out.length !== 1 || out[0] >= 0x10000 !== cp >= 0x10000) sameShape = false;
      }
      if (w + out.length * 2 > units.length) {
        const bigger = new Uint16Array(units.length * 2 + out.length * 2);
        bigger.set(units.subarray(0, w));
        units = this.outUnits = bigger;
        const biggerSrc = new Int32Array(bigger.length);
        biggerSrc.set(src.subarray(0, w));
        src = this.outSrc = biggerSrc;
      }
      for (let k = 0; k < out.length; k++) {
        const o = out[k];
        if (o >= 0x10000) {
          units[w] = 0xd800 + ((o - 0x10000) >> 10);
          src[w++] = i;
          units[w] = 0xdc00 + ((o - 0x10000) & 0x3ff);
          src[w++] = i;
        } else {
          units[w] = o;
          src[w++] = i;
        }
      }
      i += l;
    }
    if (!changed) return true;
    const text = unitsToString(units, w);
    if (sameShape) {
      ns.replaceSameShape(text);
      return true;
    }
    const align = new Int32Array(w * 2);
    if (ns.isIdentity) {
      const base = ns.origStart;
      for (let k = 0; k < w; k++) {
        const i = src[k];
        align[k * 2] = base + i;
        align[k * 2 + 1] = base + i + ((s.charCodeAt(i) & 0xfc00) === 0xd800 && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1);
      }
    } else {
      const old = ns.align;
      for (let k = 0; k < w; k++) {
        const i = src[k];
        align[k * 2] = old[i * 2];
        align[k * 2 + 1] = old[i * 2 + 1];
      }
    }
    ns.align = align;
    ns.normalized = text;
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
