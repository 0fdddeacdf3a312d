// UnicodeScripts pre-tokenizer: splits where the Unicode script changes, Hiragana/Katakana counted as Han (Rust `pre_tokenizers::unicode_scripts`).
import type { NormalizedString } from "../internal/normalized-string.js";
import type { PreTokenizedString } from "../internal/pre-tokenized-string.js";
import type { PreTokenizer } from "./pre-tokenizer.js";

const SCRIPTS = (
  "Common Latin Greek Cyrillic Armenian Hebrew Arabic Syriac Thaana Devanagari Bengali Gurmukhi Gujarati Oriya Tamil Telugu " +
  "Kannada Malayalam Sinhala Thai Lao Tibetan Myanmar Georgian Hangul Ethiopic Cherokee Canadian_Aboriginal Ogham Runic Khmer " +
  "Mongolian Hiragana Katakana Bopomofo Han Yi Old_Italic Gothic Deseret Inherited Tagalog Hanunoo Buhid Tagbanwa Limbu Tai_Le " +
  "Linear_B Ugaritic Shavian Osmanya Cypriot Braille Buginese Coptic New_Tai_Lue Glagolitic Tifinagh Syloti_Nagri Old_Persian " +
  "Kharoshthi Balinese Cuneiform Phoenician Phags_Pa Nko Sundanese Lepcha Ol_Chiki Vai Saurashtra Kayah_Li Rejang Lycian Carian " +
  "Lydian Cham Tai_Tham Tai_Viet Avestan Egyptian_Hieroglyphs Samaritan Lisu Bamum Javanese Meetei_Mayek Imperial_Aramaic " +
  "Old_South_Arabian Inscriptional_Parthian Inscriptional_Pahlavi Old_Turkic Kaithi Batak Brahmi Mandaic Chakma Meroitic_Cursive " +
  "Meroitic_Hieroglyphs Miao Sharada Sora_Sompeng Takri Caucasian_Albanian Bassa_Vah Duployan Elbasan Grantha Pahawh_Hmong Khojki " +
  "Linear_A Mahajani Manichaean Mende_Kikakui Modi Mro Old_North_Arabian Nabataean Palmyrene Pau_Cin_Hau Old_Permic Psalter_Pahlavi " +
  "Siddham Khudawadi Tirhuta Warang_Citi Ahom Anatolian_Hieroglyphs Hatran Multani Old_Hungarian SignWriting Adlam Bhaiksuki " +
  "Marchen Newa Osage Tangut Masaram_Gondi Nushu Soyombo Zanabazar_Square"
).split(" ");

const ANY = -1;
const HAN = SCRIPTS.indexOf("Han");
const HIRAGANA = SCRIPTS.indexOf("Hiragana");
const KATAKANA = SCRIPTS.indexOf("Katakana");
let testers: RegExp[] | undefined;
const cache = new Map<number, number>();

function rawScript(cp: number): number {
  let r = cache.get(cp);
  if (r !== undefined) return r;
  testers ??= SCRIPTS.map((s) => {
    try {
      return new RegExp(`^\\p{Script=${s}}$`, "u");
    } catch {
      return /$^/;
    }
  });
  const ch = String.fromCodePoint(cp);
  r = ANY;
  for (let i = 0; i < testers.length; i++) {
    if (testers[i].test(ch)) {
      r = i;
      break;
    }
  }
  cache.set(cp, r);
  return r;
}

function fixedScript(cp: number): number {
  if (cp === 0x30fc) return HAN;
  if (cp === 0x20) return ANY;
  const s = rawScript(cp);
  return s === HIRAGANA || s === KATAKANA ? HAN : s;
}

/**
 * Splits text where the script changes (spaces and unassigned chars join either side).
 * @example
 * ```ts
 * new UnicodeScripts().toJSON(); // { type: "UnicodeScripts" }
 * ```
 */
export class UnicodeScripts implements PreTokenizer {
  preTokenize(pts: PreTokenizedString): void {
    pts.split((_, ns) => {
      const s = ns.normalized;
      const cuts: number[] = [];
      let last: number | null = null;
      for (let i = 0; i < s.length; ) {
        const cp = s.codePointAt(i)!;
        const script = fixedScript(cp);
        if (script !== ANY && last !== ANY && last !== script) cuts.push(i);
        if (script !== ANY) last = script;
        i += cp >= 0x10000 ? 2 : 1;
      }
      cuts.push(s.length);
      const out: NormalizedString[] = [];
      for (let k = 0; k + 1 < cuts.length; k++) out.push(ns.slice(cuts[k], cuts[k + 1]));
      return out;
    });
  }
  toJSON(): Record<string, unknown> {
    return { type: "UnicodeScripts" };
  }
}
