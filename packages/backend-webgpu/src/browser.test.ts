// The real browser test: headless Chromium (SwiftShader WebGPU) loads a page bundling tensor + autograd + backend-webgpu and must give the CPU's numbers.

import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@tsorch/autograd";
import { runWorkload } from "./testing/browser-workload.js";

const CHROMIUM = process.env.TSORCH_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu-sandbox",
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-vulkan=swiftshader",
  "--use-webgpu-adapter=swiftshader",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`[webgpu] browser test skipped: no Chromium at ${CHROMIUM} (install chromium or set TSORCH_CHROMIUM)`);

describe.skipIf(!haveChromium)("webgpu in headless Chromium", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    const esbuild = await import("esbuild");
    const built = await esbuild.build({
      entryPoints: [fileURLToPath(new URL("./testing/browser-page.ts", import.meta.url))],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["@tsorch/source"],
      external: ["webgpu", "node:*"],
      logLevel: "silent",
      // @tsorch/tensor declares sideEffects: false but installs Tensor methods by side-effect imports; keep them.
      ignoreAnnotations: true,
    });
    const js = built.outputFiles[0].text;
    const html = `<!doctype html><meta charset="utf-8"><title>tsorch webgpu</title><script type="module" src="/bundle.js"></script>`;
    server = createServer((req, res) => {
      if (req.url === "/bundle.js") res.writeHead(200, { "content-type": "text/javascript" }).end(js);
      else res.writeHead(200, { "content-type": "text/html" }).end(html);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/`;
  }, 120_000);
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it("runs a matmul, a softmax and an MLP forward + backward like the CPU", async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    try {
      const page = await browser.newPage();
      const logs: string[] = [];
      page.on("console", (m) => logs.push(m.text()));
      page.on("pageerror", (e) => logs.push(String(e)));
      await page.goto(url);
      await page.waitForFunction(() => typeof window.tsorchRun === "function", undefined, { timeout: 60_000 });
      const adapter = await page.evaluate(async () => (navigator.gpu ? !!(await navigator.gpu.requestAdapter()) : false));
      if (!adapter) {
        console.warn("[webgpu] browser test: Chromium started but found no WebGPU adapter; skipping the comparison.");
        return;
      }
      const r = await page.evaluate(() => window.tsorchRun!());
      if (!r.ok) throw new Error(`the page failed: ${r.error}\nconsole:\n${logs.join("\n")}`);
      const want = await runWorkload("cpu", true);
      let compared = 0;
      for (const [k, w] of Object.entries(want)) {
        const g = r.results[k];
        expect(g, `${k} missing from the browser's results`).toBeDefined();
        expect(g.length, k).toBe(w.length);
        for (let i = 0; i < w.length; i++) {
          expect(Math.abs(g[i] - w[i]), `${k}[${i}]: browser ${g[i]} vs cpu ${w[i]}`).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(w[i]));
          compared++;
        }
      }
      console.log(`[webgpu] browser: ${Object.keys(want).length} results, ${compared} numbers equal to the CPU's within 1e-4`);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
