// examples/browser in headless Chromium: the page bundles tokenizers + tsorch, encodes its text and runs the model's forward pass.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples/browser");
const reason = existsSync(CHROMIUM) ? "" : `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH or apt-get install chromium)`;
if (reason) console.warn(`[examples/browser] SKIPPED: ${reason}`);

describe.skipIf(reason !== "")("examples/browser", () => {
  it("encodes the text and computes logits in the page", { timeout: 180_000 }, async () => {
    const bundle = await build({
      entryPoints: [join(EXAMPLE, "main.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["@tsorch/source"],
      external: ["webgpu", "node:*"],
      write: false,
      logLevel: "silent",
    });
    const html = readFileSync(join(EXAMPLE, "index.html"), "utf8").replace(/<script[^>]*src="\.\/main\.js"[^>]*><\/script>/, "");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.setContent(html);
      await page.addScriptTag({ content: bundle.outputFiles[0].text, type: "module" });
      await page.waitForSelector("#out[data-done]", { timeout: 120_000 });
      const state = await page.$eval("#out", (el) => ({ done: (el as HTMLElement).dataset.done, text: el.textContent ?? "" }));
      expect(errors).toEqual([]);
      expect(state.done, state.text).toBe("ok");
      expect(state.text).toContain('tokens: ["the","cat","sat","on","the","mat"]');
      expect(state.text).toContain("ids: [1,2,3,4,1,5]");
      expect(state.text).toMatch(/logits: \[6, 8\]/);
      console.log(`[examples/browser] page output:\n${state.text}`);
    } finally {
      await browser.close();
    }
  });
});
