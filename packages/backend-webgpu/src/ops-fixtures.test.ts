// PyTorch's op goldens (models/ops/ops.jsonl) forward on WebGPU: inputs moved to the device, outputs read back and held to the folder's tolerance rule.

import { afterAll, describe, expect, it } from "vitest";
import { getDefaultDevice, registerBackend, scope, setDefaultDevice, toAsync, zeros, type Tensor } from "@tsorch/tensor";
import { compareWithGolden, evalPyExpr, loadOpsFixtures, opsCaseEnv, opsFixturesCandidates, opsFixturesRoot, opsTensor } from "@tsorch/tensor/testing";
import { grad } from "@tsorch/autograd";
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

  // Backward: the stored upstream gradients fed through the graph recorded on the device.
  const diff = cases.filter((c) => c.grads && Object.keys(c.grads).length > 0);
  let gradsChecked = 0;
  let backChecked = 0;
  it.each(diff.map((c) => [c.name, c] as const))("%s backward", async (_name, c) => {
    await setup();
    const prev = getDefaultDevice();
    await scope(async () => {
      const env = opsCaseEnv(fx!, c);
      const leaves: [string, Tensor][] = [];
      for (const [k, v] of Object.entries(env)) {
        if (!isTensor(v)) continue;
        const ref = c.inputs[k];
        const onGpu = v.to("webgpu");
        if (ref?.requires_grad) {
          const leaf = onGpu.detach().requiresGrad_();
          leaves.push([k, leaf]);
          env[k] = leaf;
        } else env[k] = onGpu;
      }
      setDefaultDevice("webgpu");
      let gs: (Tensor | null)[];
      const wanted = leaves.filter(([name]) => c.grads?.[name]);
      try {
        const outs = evalPyExpr(c.expr, env);
        const outputs: Tensor[] = [];
        const ups: Tensor[] = [];
        for (const u of c.upstream ?? []) {
          const k = u.output === undefined ? 0 : c.outputs.findIndex((o) => o.key === u.output);
          if (k < 0 || !outs[k].requiresGrad) continue;
          outputs.push(outs[k]);
          ups.push(opsTensor(fx!, u.key).to("webgpu"));
        }
        gs = outputs.length ? grad(outputs, wanted.map(([, t]) => t), ups, { allowUnused: true }) : wanted.map(() => null);
      } finally {
        setDefaultDevice(prev);
      }
      expect(wanted.length, `${c.name}: no input gradient to compare`).toBeGreaterThan(0);
      for (let i = 0; i < wanted.length; i++) {
        const [name, leaf] = wanted[i];
        const g = gs[i] ?? zeros(leaf.shape, { dtype: leaf.dtype, device: "webgpu" });
        expect(g.device, `${c.name}: grad of ${name} is on ${g.device}`).toBe("webgpu");
        const ref = c.grads![name];
        const r = compareWithGolden(await toAsync(g, "cpu"), opsTensor(fx!, ref.key), ref, `${c.name} grads.${name}`);
        expect(r.ok, `${c.expr}\n${r.message}`).toBe(true);
        gradsChecked++;
      }
    });
    backChecked++;
  });

  afterAll(() => {
    console.log(`webgpu ops backward: ${backChecked}/${diff.length} cases checked (${gradsChecked} input gradients)`);
  });
});

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && "storage" in v && typeof (v as Tensor).to === "function";
}
