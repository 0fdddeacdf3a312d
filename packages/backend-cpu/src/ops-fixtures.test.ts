// PyTorch's op goldens (models/ops/ops.jsonl) forward and backward on the native backend serving "cpu", every
// float32 call in C++ (thresholds 0), outputs and input gradients held to the folder's tolerance rule.

import { afterAll, describe, expect, it } from "vitest";
import { scope, zeros, type Tensor } from "@tsorch/tensor";
import { getBackend, registerBackend, type Backend, type StorageArray } from "@tsorch/tensor/backend";
import { compareWithGolden, evalPyExpr, loadOpsFixtures, opsCaseEnv, opsFixturesCandidates, opsFixturesRoot, opsTensor } from "@tsorch/tensor/testing";
import { grad } from "@tsorch/autograd";
import { createNativeCpuBackend, loadAddon } from "./index.js";

const { root, explicit } = opsFixturesRoot();
const fx = loadOpsFixtures(root);
const { addon, reason } = loadAddon();
const noFixtures = fx === null && !explicit;
if (noFixtures) console.warn(`backend-cpu ops goldens: SKIPPED, no ops.jsonl in ${opsFixturesCandidates(root).join(" or ")} (set TSORCH_FIXTURES)`);
else if (!addon) console.warn(`backend-cpu ops goldens: SKIPPED, ${reason}`);

describe.skipIf(noFixtures || !addon)("op goldens on the native cpu backend (models/ops)", () => {
  const cases = fx?.cases ?? [];
  let previous: Backend | undefined;
  let checked = 0;
  const setup = (): void => {
    if (previous) return;
    previous = getBackend("cpu");
    registerBackend(createNativeCpuBackend(addon!, getBackend("cpu-ts") as Backend<StorageArray>, { minElements: 0, minMacs: 0 }));
  };
  afterAll(() => {
    if (previous) registerBackend(previous);
  });

  it("finds the goldens", () => {
    expect(fx, `TSORCH_FIXTURES=${root} is set but no ops.jsonl + ops.safetensors was found`).not.toBeNull();
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    setup();
    scope(() => {
      const env = opsCaseEnv(fx!, c);
      const outs = evalPyExpr(c.expr, env);
      expect(outs.length).toBe(c.outputs.length);
      for (let i = 0; i < outs.length; i++) {
        const r = compareWithGolden(outs[i], fx!.tensors[c.outputs[i].key], c.outputs[i]);
        expect(r.ok, `${c.expr}\n${r.message}`).toBe(true);
      }
    });
    checked++;
  });

  afterAll(() => {
    console.log(`backend-cpu ops forward: ${checked}/${cases.length} cases checked`);
  });

  // Backward: the stored upstream gradients fed through the graph recorded on the native backend.
  const diff = cases.filter((c) => c.grads && Object.keys(c.grads).length > 0);
  let gradsChecked = 0;
  let backChecked = 0;
  it.each(diff.map((c) => [c.name, c] as const))("%s backward", (_name, c) => {
    setup();
    scope(() => {
      const env = opsCaseEnv(fx!, c);
      const leaves: [string, Tensor][] = [];
      for (const [k, v] of Object.entries(env)) {
        if (!isTensor(v) || !c.inputs[k]?.requires_grad) continue;
        const leaf = v.detach().requiresGrad_();
        leaves.push([k, leaf]);
        env[k] = leaf;
      }
      const wanted = leaves.filter(([name]) => c.grads?.[name]);
      const outs = evalPyExpr(c.expr, env);
      const outputs: Tensor[] = [];
      const ups: Tensor[] = [];
      for (const u of c.upstream ?? []) {
        const k = u.output === undefined ? 0 : c.outputs.findIndex((o) => o.key === u.output);
        if (k < 0 || !outs[k].requiresGrad) continue;
        outputs.push(outs[k]);
        ups.push(opsTensor(fx!, u.key));
      }
      const gs = outputs.length ? grad(outputs, wanted.map(([, t]) => t), ups, { allowUnused: true }) : wanted.map(() => null);
      expect(wanted.length, `${c.name}: no input gradient to compare`).toBeGreaterThan(0);
      for (let i = 0; i < wanted.length; i++) {
        const [name, leaf] = wanted[i];
        const g = gs[i] ?? zeros(leaf.shape, { dtype: leaf.dtype });
        const ref = c.grads![name];
        const r = compareWithGolden(g, opsTensor(fx!, ref.key), ref, `${c.name} grads.${name}`);
        expect(r.ok, `${c.expr}\n${r.message}`).toBe(true);
        gradsChecked++;
      }
    });
    backChecked++;
  });

  afterAll(() => {
    console.log(`backend-cpu ops backward: ${backChecked}/${diff.length} cases checked (${gradsChecked} input gradients)`);
  });
});

function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && "storage" in v && typeof (v as Tensor).to === "function";
}
