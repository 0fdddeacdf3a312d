// The hand-written GPT-2 split scanner against the regex it replaces, on random strings over the characters that matter.
import { describe, expect, it } from "vitest";
import { gpt2SplitMatches } from "./internal/gpt2-split.js";
import { compileOnig, findRegexMatches } from "./internal/onig-regex.js";

const RE = compileOnig("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", "test");
const POOL = [..."  \t\n\r\u000b\f\u0085\u00a0\u1680\u2003\u2028\u3000\ufeff'srtvemld SRa1٣Ⅻ½.,!?-_é日本ไทย\u0301\u200d"].concat(["𝐀", "😀", "𠜎", "\ud800", "\udc00", "'s", "'ll", "'re", "'ve", " 's"]);

/** Deterministic pseudo-random generator (xorshift) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe("gpt2SplitMatches", () => {
  it("equals the GPT-2 regex split on random strings", () => {
    const r = rng(12345);
    let checked = 0;
    for (let t = 0; t < 20000; t++) {
      const len = Math.floor(r() * 12);
      let s = "";
      for (let k = 0; k < len; k++) s += POOL[Math.floor(r() * POOL.length)];
      expect(gpt2SplitMatches(s), JSON.stringify(s)).toEqual(findRegexMatches(RE, s));
      checked++;
    }
    console.log(`gpt2 split scanner: ${checked} random strings equal to the regex`);
  });
});
