// Unicode character predicates used by the pipeline, matching the Rust crate's `char` methods (White_Space, P, N, C, M, Mn).
import { COMBINING_MARK_RANGES, CONTROL_RANGES, FORMAT_RANGES, MARK_NONSPACING_RANGES, PUNCTUATION_RANGES } from "./unicode-categories-data.js";

/** Builds a cached code-point predicate from a single-character Unicode regex. */
function cachedClass(re: RegExp): (cp: number) => boolean {
  // 0 = unknown, 1 = false, 2 = true; BMP only, astral code points go through the regex each time.
  const cache = new Uint8Array(0x10000);
  return (cp: number): boolean => {
    if (cp < 0x10000) {
      const v = cache[cp];
      if (v !== 0) return v === 2;
      const r = re.test(String.fromCharCode(cp));
      cache[cp] = r ? 2 : 1;
      return r;
    }
    return re.test(String.fromCodePoint(cp));
  };
}

/** Rust `char::is_whitespace`: the Unicode White_Space property (JS `\s` adds U+FEFF and drops U+0085, so it is not used). */
export function isWhitespace(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** A code-point predicate over sorted inclusive `[start, end]` pairs: a bitmap for the BMP (built on first use), binary search above. */
function rangeClass(ranges: readonly number[]): (cp: number) => boolean {
  let bmp: Uint8Array | undefined;
  const search = (cp: number): boolean => {
    let lo = 0;
    let hi = ranges.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < ranges[mid * 2]) hi = mid - 1;
      else if (cp > ranges[mid * 2 + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  };
  return (cp: number): boolean => {
    if (cp >= 0x10000) return search(cp);
    if (bmp === undefined) {
      bmp = new Uint8Array(0x10000);
      for (let k = 0; k < ranges.length && ranges[k] < 0x10000; k += 2) bmp.fill(1, ranges[k], Math.min(ranges[k + 1], 0xffff) + 1);
    }
    return bmp[cp] === 1;
  };
}

const punct = rangeClass(PUNCTUATION_RANGES);
/**
 * Rust `is_ascii_punctuation || is_punctuation` as used by BertPreTokenizer and Punctuation: `is_punctuation` is the
 * `unicode_categories` crate's (its own 2016 tables of P*, not the current Unicode ones: chars made punctuation since are not).
 */
export function isPunctuation(cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 0x21 && cp <= 0x2f) || (cp >= 0x3a && cp <= 0x40) || (cp >= 0x5b && cp <= 0x60) || (cp >= 0x7b && cp <= 0x7e);
  }
  return punct(cp);
}

const numeric = cachedClass(/^\p{N}$/u);
/** Rust `char::is_numeric` (general category N*). */
export function isNumeric(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return numeric(cp);
}

const control = rangeClass(CONTROL_RANGES);
const format = rangeClass(FORMAT_RANGES);
/**
 * `unicode_categories::is_other` as tokenizers uses it (BertNormalizer's clean text): Cc, Cf (the crate's 2016 table) and
 * the private-use planes, but not Cs nor Cn (so noncharacters like U+FFFE and unassigned code points are kept).
 */
export function isOther(cp: number): boolean {
  return (
    control(cp) ||
    format(cp) ||
    (cp >= 0xe000 && cp <= 0xf8ff) ||
    (cp >= 0xf0000 && cp <= 0xffffd) ||
    (cp >= 0x100000 && cp <= 0x10fffd)
  );
}
/** `unicode_categories::is_mark_nonspacing` (the crate's 2016 table of Mn), used by BertNormalizer's strip accents. */
export const isMarkNonspacing = rangeClass(MARK_NONSPACING_RANGES);
/** `unicode_normalization_alignments::char::is_combining_mark` (M*, Unicode 9), used by StripAccents. */
export const isCombiningMark = rangeClass(COMBINING_MARK_RANGES);

/** Rust regex-crate `\w` (Alphabetic, M, Nd, Pc, Join_Control), used by added tokens' single_word check. */
export const isRustWordChar = cachedClass(/^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u);

/** Length in UTF-16 code units of the code point starting at `i` of `s`. */
export function cpLen(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Number of UTF-8 bytes of a code point (lone surrogates count as 3, as WTF-8 would). */
export function utf8Len(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}
