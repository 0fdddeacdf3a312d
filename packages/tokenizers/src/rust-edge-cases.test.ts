// Input classes where ids or offsets once differed from the Rust library (npm tokenizers 0.23.2 as the oracle): special code points, ties, dropped bytes, literal patterns.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { fixturesRoot, readTokenizerJSON, tokenizerNames } from "./internal/golden-fixtures.js";
import { Tokenizer } from "./tokenizer.js";

interface RustEncoding {
  getIds(): number[];
  getOffsets(): number[][];
}
interface RustTokenizer {
  encodeBatch(texts: string[]): Promise<RustEncoding[]>;
}
let rust: { Tokenizer: { fromString(s: string): RustTokenizer } } | null = null;
let why = "";
try {
  rust = createRequire(import.meta.url)("tokenizers");
} catch (e) {
  why = `npm tokenizers@0.23.2 (the Rust oracle) unavailable: ${(e as Error).message.split("\n")[0]}`;
}
const fx = fixturesRoot();
const names = fx.root ? tokenizerNames(fx.root) : [];
if (rust === null) console.warn(`[tokenizers rust-edge-cases] SKIPPED: ${why}`);
if (fx.root === null) console.warn(`[tokenizers rust-edge-cases] fixture tokenizers SKIPPED: ${fx.reason}`);

/**
 * Encodes every text with both libraries; returns the texts whose ids or offsets differ (with both results). Padding
 * is switched off in both: Rust's encodeBatch would pad each batch to its longest text.
 */
async function mismatches(file: string, texts: string[]): Promise<string[]> {
  const json = JSON.stringify({ ...(JSON.parse(file) as Record<string, unknown>), padding: null });
  const ours = Tokenizer.fromString(json);
  const theirs = rust!.Tokenizer.fromString(json);
  const bad: string[] = [];
  for (let i = 0; i < texts.length; i += 2048) {
    const chunk = texts.slice(i, i + 2048);
    const r = await theirs.encodeBatch(chunk);
    chunk.forEach((t, k) => {
      const o = ours.encode(t);
      const a = JSON.stringify([o.ids, o.offsets]);
      const b = JSON.stringify([r[k].getIds(), r[k].getOffsets()]);
      if (a !== b) bad.push(`${JSON.stringify(t)}: ours ${a}, rust ${b}`);
    });
  }
  return bad;
}

/** Every code point of the BMP and plane 1 (no surrogates), and every 97th above. */
function allCodePoints(): string[] {
  const out: string[] = [];
  for (let c = 0; c < 0x20000; c++) if (c < 0xd800 || c > 0xdfff) out.push(String.fromCodePoint(c));
  for (let c = 0x20000; c < 0x110000; c += 97) out.push(String.fromCodePoint(c));
  return out;
}

const WHITESPACE = ["\t", "\v", "\f", "\r", "\n", " ", "\u0085", "\u00a0", "\u1680", "\u2000", "\u2003", "\u200a", "\u200b", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"];

/** Controls and unusual whitespace alone, in runs, between letters, and every Latin-1 char in a few settings. */
function controlAndSpaceTexts(): string[] {
  let controls = "";
  for (let c = 1; c < 0x20; c++) controls += String.fromCharCode(c);
  const out = [controls, `a${controls}b`, WHITESPACE.join(""), `x${WHITESPACE.join("")}y`, WHITESPACE.join("ab")];
  for (const a of WHITESPACE) for (const b of WHITESPACE) out.push(a + b, `w${a}${b}w`, `${a}w${b}`, a + a + a + "w");
  for (let c = 0; c < 0x100; c++) {
    const ch = String.fromCharCode(c);
    out.push(ch, `a${ch}b`, `a ${ch} b`, ch + ch + ch, ` ${ch}  a`, `${controls.slice(c % 31)}${ch}z`);
  }
  return out;
}

/** Runs of one char (several segmentations of equal score), bare and inside a Markdown table line. */
function repeatedCharTexts(): string[] {
  const out: string[] = [];
  for (const ch of ["-", "=", "_", "*", "#", ".", "~", "a", "0", "|", ":", "!", "ー", "…"]) {
    for (let n = 1; n <= 20; n++) out.push(ch.repeat(n), `| ${ch.repeat(n)} |`, `x${ch.repeat(n)}y`);
  }
  return out;
}

describe.skipIf(rust === null || fx.root === null)("fixture tokenizers agree with Rust on edge-case inputs", () => {
  const bertLike = ["bert-base-uncased", "bert-wiki-quicktour"].filter((n) => names.includes(n));
  for (const name of bertLike) {
    it(`${name}: every code point alone (clean text, control/whitespace/punctuation/accent classes, CJK ranges)`, async () => {
      const texts = allCodePoints();
      const bad = await mismatches(readTokenizerJSON(fx.root!, name), texts);
      console.log(`[tokenizers rust-edge-cases] ${name}: ${texts.length} single code points, ${bad.length} differ`);
      expect(bad.slice(0, 5)).toEqual([]);
    }, 120_000);
  }

  it("every tokenizer: control characters and unusual whitespace, ids and offsets", async () => {
    const texts = controlAndSpaceTexts();
    let checked = 0;
    for (const name of names) {
      const bad = await mismatches(readTokenizerJSON(fx.root!, name), texts);
      checked += texts.length;
      expect(bad.slice(0, 3), name).toEqual([]);
    }
    console.log(`[tokenizers rust-edge-cases] ${names.length} tokenizers x ${texts.length} control/whitespace texts = ${checked} encodings equal`);
  }, 120_000);

  it("every tokenizer: runs of one repeated char (ties between segmentations)", async () => {
    const texts = repeatedCharTexts();
    for (const name of names) {
      const bad = await mismatches(readTokenizerJSON(fx.root!, name), texts);
      expect(bad.slice(0, 3), name).toEqual([]);
    }
    console.log(`[tokenizers rust-edge-cases] ${names.length} tokenizers x ${texts.length} repeated-char texts equal`);
  }, 120_000);
});

/** A WordLevel tokenizer of single chars whose pipeline is a Replace and a Split with literal (String) patterns. */
function literalPatternJSON(pattern: string, replaceFrom: string): string {
  const vocab: Record<string, number> = { "[UNK]": 0 };
  for (const ch of new Set([..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ abcxyz0123456789", ...pattern, "§", "😀", "𝔘"])) vocab[ch] ??= Object.keys(vocab).length;
  return JSON.stringify({
    version: "1.0",
    added_tokens: [],
    normalizer: { type: "Replace", pattern: { String: replaceFrom }, content: "§" },
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        { type: "Split", pattern: { String: pattern }, behavior: "Isolated", invert: false },
        { type: "Split", pattern: { String: "" }, behavior: "Isolated", invert: false },
        { type: "Split", pattern: { Regex: "." }, behavior: "Isolated", invert: false },
      ],
    },
    post_processor: null,
    decoder: null,
    model: { type: "WordLevel", vocab, unk_token: "[UNK]" },
  });
}

describe.skipIf(rust === null)("literal Split/Replace patterns match literally", () => {
  const punctuation = [..."!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"];
  const patterns = [...punctuation, punctuation.join(""), "-", "--", "[-]", "\\d", "a.c", "😀", "a😀-𝔘", "(?i:x)", "^$", "{2}"];
  it("each ASCII punctuation char, all of them at once, regex-looking strings and non-BMP chars", async () => {
    let checked = 0;
    for (const p of patterns) {
      const texts = [p, `x${p}y`, `${p}${p}`, `a ${p} b ${p}`, punctuation.join(" "), "abc 😀 𝔘 xyz", "a.c abc a-c"];
      for (const from of [p, "-", "😀"]) {
        const bad = await mismatches(literalPatternJSON(p, from), texts);
        checked += texts.length;
        expect(bad.slice(0, 3), `pattern ${JSON.stringify(p)}`).toEqual([]);
      }
    }
    console.log(`[tokenizers rust-edge-cases] ${patterns.length} literal patterns, ${checked} texts equal to Rust`);
  });
});
