// TokenizerPool / encodeBatchParallel: the same encodings as Tokenizer.encodeBatch, in order, on worker threads; closing and idle pools never hang.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { fixturesRoot, readTokenizerJSON, tokenizerNames } from "../internal/golden-fixtures.js";
import { Tokenizer } from "../tokenizer.js";
import { TokenizerPool, encodeBatchParallel, type PoolInput } from "./tokenizer-pool.js";

const fx = fixturesRoot();
if (fx.root === null) console.warn(`[tokenizers pool] fixture tokenizers SKIPPED: ${fx.reason}`);
const names = fx.root ? tokenizerNames(fx.root).filter((n) => ["gpt2", "bert-base-uncased", "t5-small", "llama-2"].includes(n)) : [];

/** Corpus texts (or made-up ones without fixtures), with pairs mixed in. */
function inputs(): PoolInput[] {
  const texts: string[] = [];
  if (fx.root !== null) {
    for (const line of readFileSync(join(fx.root, "corpus", "single.jsonl"), "utf8").split("\n")) if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
  }
  while (texts.length < 300) texts.push(`Line ${texts.length}: naïve café 👋 ${"word ".repeat(texts.length % 9)}`);
  const out: PoolInput[] = texts.slice(0, 600);
  for (let k = 0; k < 40; k++) out.splice(k * 7, 0, [texts[k], texts[k + 1]]);
  out.push("", " ", "\u0000\u0085");
  return out;
}

const tiny = JSON.stringify({
  version: "1.0",
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: "WhitespaceSplit" },
  post_processor: null,
  decoder: null,
  model: { type: "WordLevel", vocab: { "<unk>": 0, a: 1, b: 2 }, unk_token: "<unk>" },
});

describe("TokenizerPool", () => {
  const pools: TokenizerPool[] = [];
  afterAll(async () => {
    for (const p of pools) await p.close();
  });

  for (const name of names) {
    it(`${name}: encodeBatch on 2 threads equals Tokenizer.encodeBatch, in order (pairs, padding included)`, async () => {
      const tok = Tokenizer.fromString(readTokenizerJSON(fx.root!, name));
      const batch = inputs();
      const pool = new TokenizerPool(tok, { threads: 2, chunkSize: 17 });
      pools.push(pool);
      const got = await pool.encodeBatch(batch);
      const want = tok.encodeBatch(batch);
      expect(got.length).toBe(want.length);
      for (let k = 0; k < want.length; k++) expect(JSON.stringify(got[k]), `input ${k}`).toBe(JSON.stringify(want[k]));
      expect(got[3].offsetsUtf16).toEqual(want[3].offsetsUtf16);
      const ids = await pool.encodeBatchIds(batch, { addSpecialTokens: false });
      // Ids only: no Encoding built and no padding.
      tok.padding = null;
      const plain = tok.encodeBatch(batch, { addSpecialTokens: false });
      for (let k = 0; k < plain.length; k++) expect(Array.from(ids[k]), `input ${k}`).toEqual(plain[k].ids);
      console.log(`[tokenizers pool] ${name}: ${batch.length} inputs equal to encodeBatch on 2 worker threads`);
    }, 60_000);
  }

  it("lazy fields: each read alone, in any order, with truncation (overflowing) and chunks cut by length", async () => {
    if (names.length === 0) return;
    const tok = Tokenizer.fromString(readTokenizerJSON(fx.root!, names[0]));
    tok.setTruncation({ maxLength: 12, stride: 3, strategy: "longest_first", direction: "right" });
    const batch = inputs().slice(0, 200);
    const want = tok.encodeBatch(batch);
    const pool = new TokenizerPool(tok, { threads: 2, chunkLength: 300 });
    pools.push(pool);
    const fields = ["offsetsUtf16", "overflowing", "length", "sequenceIds", "offsets", "tokens", "wordIds", "ids", "attentionMask", "specialTokensMask", "typeIds"] as const;
    for (let f = 0; f < fields.length; f++) {
      const got = await pool.encodeBatch(batch);
      for (let k = 0; k < want.length; k++) {
        // A different field first for each batch: no field may depend on another having been built.
        const name = fields[(f + k) % fields.length];
        const g = got[k][name];
        const w = want[k][name];
        expect(name === "overflowing" ? JSON.stringify(g) : g, `input ${k} ${name}`).toEqual(name === "overflowing" ? JSON.stringify(w) : w);
      }
      for (let k = 0; k < want.length; k++) expect(JSON.stringify(got[k]), `input ${k}`).toBe(JSON.stringify(want[k]));
    }
    // Mutating a built field keeps working as on an encoding made in place.
    const [e] = await pool.encodeBatch([batch[0]]);
    e.ids.push(7);
    expect(e.ids.at(-1)).toBe(7);
    expect(e.length).toBe(want[0].length + 1);
  }, 60_000);

  it("encodeBatchParallel starts, encodes and closes; a closed pool says so", async () => {
    const encs = await encodeBatchParallel(tiny, ["a b c", "b"], { threads: 2 });
    expect(encs.map((e) => e.ids)).toEqual([[1, 2, 0], [2]]);
    const pool = new TokenizerPool(tiny, { threads: 1 });
    await pool.close();
    await expect(pool.encodeBatch(["a"])).rejects.toThrow(/closed/);
  });

  it("an idle pool that is never closed does not keep the process alive", () => {
    const dir = mkdtempSync(join(tmpdir(), "tsorch-pool-"));
    const script = join(dir, "idle.mts");
    const mod = fileURLToPath(new URL("./tokenizer-pool.ts", import.meta.url));
    writeFileSync(
      script,
      `import { TokenizerPool } from ${JSON.stringify(mod)};\n` +
        `const pool = new TokenizerPool(${JSON.stringify(tiny)}, { threads: 2 });\n` +
        `console.log(JSON.stringify((await pool.encodeBatch(["a b"]))[0].ids));\n` +
        `new TokenizerPool(${JSON.stringify(tiny)}, { threads: 1 });\n`,
    );
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const r = spawnSync(process.execPath, [tsx, script], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("[1,2]");
    expect(r.status).toBe(0);
  }, 70_000);
});
