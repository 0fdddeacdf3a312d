// The character classes follow the Rust crates tokenizers uses (unicode_categories 0.1.1, unicode-normalization-alignments 0.1.12), not today's Unicode.
import { describe, expect, it } from "vitest";
import { isCombiningMark, isMarkNonspacing, isOther, isPunctuation, isWhitespace } from "./char-classes.js";

describe("Rust's character classes", () => {
  it("is_other is Cc, Cf and private use only: noncharacters, surrogates and unassigned code points are kept", () => {
    for (const cp of [0xfffe, 0xffff, 0x1fffe, 0x10ffff, 0xd800, 0x0378, 0xe0080]) expect(isOther(cp), cp.toString(16)).toBe(false);
    for (const cp of [0x00, 0x1f, 0x7f, 0x9f, 0xad, 0x200b, 0xfeff, 0xe000, 0xf8ff, 0xf0000, 0x10fffd, 0xe0001]) expect(isOther(cp), cp.toString(16)).toBe(true);
  });
  it("uses the crates' 2016 tables: code points categorized later keep their old (unassigned) class", () => {
    expect(isOther(0x0890)).toBe(false); // Cf since Unicode 14
    expect(isPunctuation(0x2e4f)).toBe(false); // Po since Unicode 11
    expect(isMarkNonspacing(0x07fd)).toBe(false); // Mn since Unicode 11
    expect(isCombiningMark(0x0898)).toBe(false); // Mn since Unicode 14
    expect(isPunctuation(0x2e42)).toBe(true);
    expect(isMarkNonspacing(0x0301)).toBe(true);
    expect(isCombiningMark(0x0903)).toBe(true); // Mc
  });
  it("every code point of each table range agrees with the current Unicode category where that has not changed", () => {
    // Most code points kept their category since 2016: the tables must agree with \p{..} on nearly all of the BMP.
    let differ = 0;
    for (let cp = 0; cp < 0x10000; cp++) {
      const ch = String.fromCharCode(cp);
      if (isPunctuation(cp) !== (/\p{P}/u.test(ch) || (cp < 0x80 && /[$+<=>^`|~]/.test(ch)))) differ++;
      if (isMarkNonspacing(cp) !== /\p{Mn}/u.test(ch)) differ++;
    }
    expect(differ).toBeLessThan(300);
  });
  it("whitespace is White_Space (U+0085 yes, U+200B and U+FEFF no)", () => {
    for (const cp of [0x09, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x200a, 0x2028, 0x202f, 0x3000]) expect(isWhitespace(cp)).toBe(true);
    for (const cp of [0x1c, 0x200b, 0xfeff, 0x180e]) expect(isWhitespace(cp)).toBe(false);
  });
});
