// Round trip: toJSON() then fromJSON() gives a tokenizer that encodes and decodes every fixture text identically.
import { describe, expect, it } from "vitest";
import { fixturesRoot, loadTokenizer, readGoldens, tokenizerNames } from "./internal/golden-fixtures.js";
import { Tokenizer } from "./tokenizer.js";

const fx = fixturesRoot();
if (fx.root === null) console.warn(`[tokenizers round-trip] SKIPPED: ${fx.reason}`);
const names = fx.root ? tokenizerNames(fx.root) : [];

describe.skipIf(fx.root === null)("toJSON / fromJSON round trip", () => {
  for (const name of names) {
    it(`${name}: reloaded tokenizer is identical`, () => {
      const a = loadTokenizer(fx.root!, name);
      const json = a.toString();
      const b = Tokenizer.fromString(json);
      expect(b.toString()).toBe(json);
      const lines = [...readGoldens(fx.root!, name, "single.jsonl"), ...readGoldens(fx.root!, name, "pairs.jsonl")];
      let n = 0;
      for (const g of lines) {
        const pair = "text_pair" in g ? (g.text_pair as string) : null;
        const ea = a.encode(g.text as string, pair);
        const eb = b.encode(g.text as string, pair);
        expect(eb.ids).toEqual(ea.ids);
        expect(eb.offsets).toEqual(ea.offsets);
        expect(eb.tokens).toEqual(ea.tokens);
        expect(b.decode(eb.ids)).toBe(a.decode(ea.ids));
        n++;
      }
      console.log(`[tokenizers round-trip] ${name}: ${n} texts identical after toJSON/fromJSON`);
    });
  }
});
