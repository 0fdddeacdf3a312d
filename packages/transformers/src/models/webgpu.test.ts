// Every fixture model with a head on WebGPU (SwiftShader in CI): train-mode forward, loss and every parameter gradient against HF's goldens.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { scope, toAsync, type Tensor } from "@tsorch/tensor";
import { registerWebGPU, requestDevice } from "@tsorch/backend-webgpu";
import { classByName, type PreTrainedModel } from "@tsorch/transformers";
import { compare, fieldOf, fixtureNames, fixturesExplicit, fixturesRoot, inputsOf, loadFixture, type Comparison, type FixtureModel } from "../parity.test-util.js";

/** The families this file covers, by the class prefix in goldens.json (the acceptance set may name other heads). */
const FAMILIES = /^(Bert|Roberta|DistilBert|GPT2|Llama|T5|Bart|Marian)/;
const CHROMIUM = "/usr/lib/chromium";

const { device, reason } = await requestDevice();
// Dawn needs a Vulkan loader on the library path at process start: where only Chromium's is present, rerun this file in a child that has it.
const childEnv =
  !device && existsSync(`${CHROMIUM}/libvulkan.so.1`) && !process.env.TSORCH_WEBGPU_CHILD
    ? { ...(process.env as Record<string, string>), LD_LIBRARY_PATH: [CHROMIUM, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"), VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? `${CHROMIUM}/vk_swiftshader_icd.json`, TSORCH_WEBGPU_CHILD: "1" }
    : null;
if (!device && !childEnv) console.warn(`[webgpu] transformers decoder tests skipped: ${reason}`);
const noFixtures = fixtureNames.length === 0 && !fixturesExplicit;
if (noFixtures) console.warn(`[webgpu] transformers decoder tests skipped: no fixture models under ${fixturesRoot}`);

describe.skipIf(!childEnv || noFixtures)("GPT-2 / Llama / T5 on WebGPU (child process with Chromium's Vulkan loader)", () => {
  it("passes", async () => {
    const { spawnSync } = await import("node:child_process");
    const vitest = fileURLToPath(new URL("../../../../node_modules/vitest/vitest.mjs", import.meta.url));
    const r = spawnSync(process.execPath, [vitest, "run", fileURLToPath(import.meta.url)], { env: childEnv!, encoding: "utf8", timeout: 900_000 });
    const out = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    console.log(out.split("\n").filter((l) => /webgpu|Tests |×|FAIL/.test(l)).slice(-30).join("\n"));
    expect(r.status, out.slice(-6000)).toBe(0);
  }, 900_000);
});

/** A tensor's values on the CPU (WebGPU reads are asynchronous). */
async function onCpu(t: Tensor): Promise<Tensor> {
  return t.device === "cpu" ? t : toAsync(t, "cpu");
}

let models = 0;
let tensors = 0;
describe.skipIf(!device || noFixtures)("GPT-2 / Llama / T5 on WebGPU: forward + backward vs HF goldens", () => {
  let ready: Promise<unknown> | undefined;
  for (const name of fixtureNames) {
    it(`${name}: loss, train logits and every gradient`, async () => {
      const fx: FixtureModel = await loadFixture(name);
      const cls = classByName(fx.goldens.class);
      if (!FAMILIES.test(fx.goldens.class) || !cls) return;
      // Headless models (BertModel) have no loss of their own; their heads are checked through the head fixtures.
      if (!Object.keys(fx.tensors).some((k) => /^input\.(labels|start_positions)$/.test(k))) return;
      ready ??= registerWebGPU({ device: device! });
      expect(await ready, "registerWebGPU gave no backend").toBeTruthy();
      const model = (await cls.fromPretrained(fx.dir, { device: "webgpu" })) as PreTrainedModel;
      model.train();
      const inputs = Object.fromEntries(Object.entries(inputsOf(fx)).map(([k, t]) => [k, t.to("webgpu")]));
      const results: Comparison[] = [];
      await scope(async () => {
        const out = (model as unknown as { forward(i: unknown): Record<string, Tensor> }).forward(inputs);
        expect(out.loss, `${name}: no loss with labels`).toBeTruthy();
        expect(out.loss.device).toBe("webgpu");
        results.push(compare(fx, "loss", await onCpu(out.loss)));
        for (const key of Object.keys(fx.tensors).filter((k) => k.startsWith("train."))) {
          const got = out[fieldOf(key)[0]];
          if (got) results.push(compare(fx, key, await onCpu(got)));
        }
        out.loss.backward();
      });
      const unstable = new Set(fx.goldens.unstable_tensors);
      for (const [pname, p] of model.namedParameters()) {
        const key = `grad.${pname}`;
        if (!fx.tensors[key] || unstable.has(key) || fx.goldens.tensors[key]?.unstable) continue;
        expect(p.grad, `${name}: ${pname} got no gradient on WebGPU`).toBeTruthy();
        expect(p.grad!.device).toBe("webgpu");
        results.push(compare(fx, key, await onCpu(p.grad!)));
      }
      const bad = results.filter((r) => !r.ok).map((r) => `${r.key}: max err ${r.maxErr.toExponential(3)} > ${r.bound.toExponential(3)}`);
      expect(bad, name).toEqual([]);
      expect(results.length).toBeGreaterThan(2);
      models++;
      tensors += results.length;
    }, 300_000);
  }
  it("reports what it checked", () => {
    console.log(`[webgpu] transformers: ${models} fixture models, ${tensors} tensors (loss, train logits, gradients) checked on WebGPU`);
    expect(models).toBeGreaterThan(0);
  });
});
