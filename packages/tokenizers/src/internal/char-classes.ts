// Unicode character predicates used by the pipeline, matching the Rust crate's `char` methods (White_Space, P, N, C, M, Mn).

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

const punct = cachedClass(/^\p{P}$/u);
/** Rust `is_ascii_punctuation || is_punctuation` (general category P*), as used by BertPreTokenizer and Punctuation. */
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

/** Unicode general category C* (Cc, Cf, Cs, Co, Cn): `unicode_categories::is_other`. */
export const isOther = cachedClass(/^\p{C}$/u);
/** General category Mn: `is_mark_nonspacing`. */
export const isMarkNonspacing = cachedClass(/^\p{Mn}$/u);
/** General category M*: `is_combining_mark`. */
export const isCombiningMark = cachedClass(/^\p{M}$/u);

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
