// Our toJSON() output loads in the Rust library (npm tokenizers 0.23.2) and tokenizes like the original file there.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { fixturesRoot, loadTokenizer, readGoldens, readTokenizerJSON, tokenizerNames } from "./internal/golden-fixtures.js";

interface RustEncoding {
  getIds(): number[];
  getOffsets(): Array<[number, number]>;
}
interface RustTokenizer {
  encode(a: string, b?: string | null, o?: { addSpecialTokens?: boolean }): Promise<RustEncoding>;
}
let rust: { Tokenizer: { fromString(s: string): RustTokenizer } } | null = null;
let why = "";
try {
  rust = createRequire(import.meta.url)("tokenizers");
} catch (e) {
  why = `npm tokenizers@0.23.2 unavailable: ${(e as Error).message.split("\n")[0]}`;
}
const fx = fixturesRoot();
const skip = fx.root === null || rust === null;
if (skip) console.warn(`[tokenizers rust-load] SKIPPED: ${fx.root === null ? fx.reason : why}`);
const names = fx.root ? tokenizerNames(fx.root) : [];

describe.skipIf(skip)("Rust loads what toJSON writes", () => {
  for (const name of names) {
    it(`${name}: same ids and offsets from our JSON and the original file`, async () => {
      const ours = loadTokenizer(fx.root!, name);
      const fromOurs = rust!.Tokenizer.fromString(ours.toString());
      const fromFile = rust!.Tokenizer.fromString(readTokenizerJSON(fx.root!, name));
      const lines = [...readGoldens(fx.root!, name, "single.jsonl").slice(0, 80), ...readGoldens(fx.root!, name, "pairs.jsonl")];
      for (const g of lines) {
        const pair = "text_pair" in g ? (g.text_pair as string) : null;
        const [a, b] = await Promise.all([fromOurs.encode(g.text as string, pair), fromFile.encode(g.text as string, pair)]);
        expect(a.getIds()).toEqual(b.getIds());
        expect(a.getOffsets()).toEqual(b.getOffsets());
      }
      console.log(`[tokenizers rust-load] ${name}: ${lines.length} texts identical in Rust from our JSON`);
    });
  }
});
