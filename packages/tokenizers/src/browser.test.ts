// Browser check: the core entry bundled by esbuild tokenizes in headless Chromium with the same ids as in Node (gpt2 and bert-base-uncased, 50 corpus texts each).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { fixturesRoot, readTokenizerJSON } from "./internal/golden-fixtures.js";
import { Tokenizer } from "./tokenizer.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TOKENIZERS = ["gpt2", "bert-base-uncased"];
const TEXTS = 50;

const fx = fixturesRoot();
const reason = fx.root === null ? fx.reason : !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH or apt-get install chromium)` : "";
if (reason) console.warn(`[tokenizers browser] SKIPPED: ${reason}`);

/** `count` texts spread evenly over corpus/single.jsonl, so every source (scripts, emoji, BLNS, prose) is sampled. */
function sampleTexts(root: string, count: number): string[] {
  const p = join(root, "corpus", "single.jsonl");
  if (!existsSync(p)) {
    if (fx.required) throw new Error(`missing corpus/single.jsonl under TSORCH_FIXTURES (${p})`);
    return [];
  }
  const all = readFileSync(p, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const step = Math.max(1, Math.floor(all.length / count));
  const out: string[] = [];
  for (let i = 0; i < all.length && out.length < count; i += step) out.push(all[i]);
  return out;
}

/** The core entry as one browser script that sets `globalThis.TsorchTokenizers`. */
async function bundleCore(): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  const res = await build({
    entryPoints: [resolve(here, "index.ts")],
    bundle: true,
    minify: true,
    format: "iife",
    globalName: "TsorchTokenizers",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return res.outputFiles[0].text;
}

describe.skipIf(reason !== "")("core entry in headless Chromium", () => {
  it("gives the same ids as Node", { timeout: 180_000 }, async () => {
    const root = fx.root!;
    const texts = sampleTexts(root, TEXTS);
    expect(texts.length).toBeGreaterThan(0);
    const bundle = await bundleCore();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.setContent("<!doctype html><html><head><meta charset=utf-8></head><body></body></html>");
      await page.addScriptTag({ content: bundle });
      for (const name of TOKENIZERS) {
        const json = readTokenizerJSON(root, name);
        const node = Tokenizer.fromString(json);
        const expected = texts.map((t) => node.encode(t).ids);
        const got = await page.evaluate(
          ({ json, texts }) => {
            const lib = (globalThis as unknown as { TsorchTokenizers: { Tokenizer: typeof Tokenizer } }).TsorchTokenizers;
            const tok = lib.Tokenizer.fromString(json);
            return { ids: texts.map((t) => tok.encode(t).ids), ua: navigator.userAgent };
          },
          { json, texts },
        );
        let same = 0;
        for (let i = 0; i < texts.length; i++) if (JSON.stringify(got.ids[i]) === JSON.stringify(expected[i])) same++;
        console.log(`[tokenizers browser] ${name}: ${same}/${texts.length} texts give the same ids in ${got.ua.split(" ").find((s) => s.startsWith("HeadlessChrome") || s.startsWith("Chrome")) ?? "Chromium"} and Node (bundle ${(bundle.length / 1024).toFixed(1)} kB)`);
        expect(got.ids).toEqual(expected);
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
