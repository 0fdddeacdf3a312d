// PyTorch's op goldens (models/ops/ops.jsonl) forward on WebGPU: inputs moved to the device, outputs read back and held to the folder's tolerance rule.

import { afterAll, describe, expect, it } from "vitest";
import { getDefaultDevice, registerBackend, scope, setDefaultDevice, toAsync, type Tensor } from "@tsorch/tensor";
import { compareWithGolden, evalPyExpr, loadOpsFixtures, opsCaseEnv, opsFixturesCandidates, opsFixturesRoot } from "@tsorch/tensor/testing";
import { createWebGPUBackend } from "./webgpu-backend.js";
import { fileURLToPath } from "node:url";
import { runFileInChild, testDevice, vulkanRetryEnv } from "./test-device.js";

const { root, explicit } = opsFixturesRoot();
const fx = loadOpsFixtures(root);
const { device, reason } = await testDevice();
const noFixtures = fx === null && !explicit;
const retry = device || noFixtures ? null : await vulkanRetryEnv();
if (noFixtures) console.warn(`webgpu ops forward: SKIPPED, no ops.jsonl in ${opsFixturesCandidates(root).join(" or ")} (set TSORCH_FIXTURES)`);
else if (!device && !retry) console.warn(`webgpu ops forward: SKIPPED, ${reason}`);

// Dawn finds libvulkan.so.1 only through the library path of the process: rerun this file in a child that has it.
describe.skipIf(!retry)("op goldens on webgpu (child process with Chromium's Vulkan loader)", () => {
  it("passes", async () => {
    const r = await runFileInChild(fileURLToPath(import.meta.url), retry!);
    console.log(r.summary);
    expect(r.status, r.out.slice(-6000)).toBe(0);
  }, 900_000);
});

describe.skipIf(noFixtures || !device)("op goldens on webgpu: forward (models/ops)", () => {
  const cases = fx?.cases ?? [];
  let checked = 0;
  let ready: Promise<void> | undefined;
  const setup = (): Promise<void> =>
    (ready ??= createWebGPUBackend({ device: device!, name: "webgpu" }).then((b) => registerBackend(b)));

  it("finds the goldens", () => {
    expect(fx, `TSORCH_FIXTURES=${root} is set but no ops.jsonl + ops.safetensors was found`).not.toBeNull();
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    await setup();
    const prev = getDefaultDevice();
    await scope(async () => {
      const env = opsCaseEnv(fx!, c);
      const onGpu: typeof env = {};
      for (const [k, v] of Object.entries(env)) onGpu[k] = isTensor(v) ? v.to("webgpu") : v;
      setDefaultDevice("webgpu");
      let outs: Tensor[];
      try {
        outs = evalPyExpr(c.expr, onGpu);
      } finally {
        setDefaultDevice(prev);
      }
      expect(outs.length).toBe(c.outputs.length);
      for (let i = 0; i < outs.length; i++) {
        const o = outs[i];
        expect(o.device, `${c.name}: output ${i} is on ${o.device}, expected webgpu`).toBe("webgpu");
        const back = await toAsync(o, "cpu");
        const r = compareWithGolden(back, fx!.tensors[c.outputs[i].key], c.outputs[i]);
        expect(r.ok, `${c.expr}\n${r.message}`).toBe(true);
      }
    });
    checked++;
  });

  afterAll(() => {
    console.log(`webgpu ops forward: ${checked}/${cases.length} cases checked`);
  });
});

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && "storage" in v && typeof (v as Tensor).to === "function";
}
