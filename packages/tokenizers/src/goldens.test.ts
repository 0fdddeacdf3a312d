// Golden test: every tokenizer in the fixtures, every line of single.jsonl and pairs.jsonl, every golden field compared exactly.
import { describe, expect, it } from "vitest";
import { GOLDEN_FIELDS, diffLine, fixturesRoot, loadTokenizer, readGoldens, tokenizerNames } from "./internal/golden-fixtures.js";

const fx = fixturesRoot();
if (fx.root === null) console.warn(`[tokenizers goldens] SKIPPED: ${fx.reason}`);
const names = fx.root ? tokenizerNames(fx.root) : [];

describe.skipIf(fx.root === null)("golden encodings (Rust tokenizers 0.23.2)", () => {
  it("finds the tokenizer fixtures", () => {
    expect(names.length).toBeGreaterThan(0);
  });

  for (const name of names) {
    it(`${name}: all golden fields equal`, () => {
      const root = fx.root!;
      const tok = loadTokenizer(root, name);
      const summary: string[] = [];
      let checked = 0;
      let failed = 0;
      for (const file of ["single.jsonl", "pairs.jsonl"]) {
        const lines = readGoldens(root, name, file);
        if (fx.required && lines.length === 0) throw new Error(`missing goldens/${name}/${file} under TSORCH_FIXTURES`);
        let ok = 0;
        const fields: Record<string, number> = {};
        const examples: string[] = [];
        for (const g of lines) {
          const bad = diffLine(tok, g);
          if (bad.length === 0) ok++;
          else {
            for (const f of bad) fields[f] = (fields[f] ?? 0) + 1;
            if (examples.length < 5) examples.push(`${String(g.id)}[${bad.join(",")}]`);
          }
        }
        checked += lines.length;
        failed += lines.length - ok;
        summary.push(`${file} ${ok}/${lines.length}${ok < lines.length ? ` fields=${JSON.stringify(fields)} e.g. ${examples.join(" ")}` : ""}`);
      }
      console.log(`[tokenizers goldens] ${name}: ${summary.join(" | ")} (fields: ${GOLDEN_FIELDS.join(", ")})`);
      expect(checked).toBeGreaterThan(0);
      expect(failed).toBe(0);
    });
  }
});
