// Fixture test: input gradients of every differentiable case of PyTorch's op goldens (models/ops/ops.jsonl), fed the stored upstream gradients.

import { afterAll, describe, expect, it } from "vitest";
import { scope, zeros } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import { compareWithGolden, evalPyExpr, loadOpsFixtures, opsCaseEnv, opsFixturesCandidates, opsFixturesRoot, opsTensor } from "@tsorch/tensor/testing";
import type { OpsCase, OpsFixtures } from "@tsorch/tensor/testing";
import { grad, noGrad } from "@tsorch/autograd";

const { root, explicit } = opsFixturesRoot();
const fx = loadOpsFixtures(root);
const skip = fx === null && !explicit;
if (skip) console.warn(`ops backward: SKIPPED, no ops.jsonl in ${opsFixturesCandidates(root).join(" or ")} (set TSORCH_FIXTURES to the fixtures folder)`);

/** Runs the case's expr on fresh leaves, backpropagates the upstream gradients, and compares each input gradient. */
function checkBackward(f: OpsFixtures, c: OpsCase): { ok: boolean; message: string }[] {
  return scope(() => {
    const env = opsCaseEnv(f, c);
    const leaves: [string, Tensor][] = [];
    for (const [name, ref] of Object.entries(c.inputs)) {
      if (!ref.requires_grad) continue;
      const leaf = noGrad(() => opsTensor(f, ref.key).clone()).requiresGrad_();
      env[name] = leaf;
      leaves.push([name, leaf]);
    }
    const outs = evalPyExpr(c.expr, env);
    const outputs: Tensor[] = [];
    const ups: Tensor[] = [];
    for (const u of c.upstream ?? []) {
      const k = u.output === undefined ? 0 : c.outputs.findIndex((o) => o.key === u.output);
      if (k < 0) throw new Error(`${c.name}: upstream ${u.key} names output ${u.output}, which the case does not list.`);
      if (!outs[k].requiresGrad) continue;
      outputs.push(outs[k]);
      ups.push(opsTensor(f, u.key));
    }
    const wanted = leaves.filter(([name]) => c.grads?.[name]);
    const gs = outputs.length ? grad(outputs, wanted.map(([, t]) => t), ups, { allowUnused: true }) : wanted.map(() => null);
    return wanted.map(([name, leaf], i) => {
      const ref = c.grads![name];
      const g = gs[i] ?? zeros(leaf.shape, { dtype: leaf.dtype });
      return compareWithGolden(g, opsTensor(f, ref.key), ref, `${c.name} grads.${name}`);
    });
  });
}

describe.skipIf(skip)("op goldens: backward (models/ops)", () => {
  const cases = (fx?.cases ?? []).filter((c) => c.grads && Object.keys(c.grads).length > 0);
  let checked = 0;
  let gradients = 0;
  afterAll(() => console.log(`ops backward: ${checked}/${cases.length} cases checked (${gradients} input gradients)`));

  it("finds the fixtures when TSORCH_FIXTURES is set", () => {
    if (explicit) expect(fx, `no ops.jsonl under ${root}`).not.toBeNull();
  });

  for (const c of cases)
    it(`${c.name}: ${c.expr}`, () => {
      const results = checkBackward(fx!, c);
      expect(results.length, `${c.name}: no input gradient was compared`).toBeGreaterThan(0);
      for (const r of results) expect(r.ok, r.message).toBe(true);
      gradients += results.length;
      checked++;
    });
});
