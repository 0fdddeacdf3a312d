// A small MLP trained by hand-written SGD must follow PyTorch's loss curve (reference made by tools/mlp-sgd-reference.py).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { linear, memoryReport, mseLoss, scope, tensor } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import { noGrad } from "@tsorch/autograd";

interface Reference {
  lr: number;
  steps: number;
  x: number[][];
  y: number[][];
  init: Record<string, number[] | number[][]>;
  losses: number[];
  firstGrads: Record<string, number[] | number[][]>;
  final: Record<string, number[] | number[][]>;
}

const ref = JSON.parse(readFileSync(new URL("../test-data/mlp-sgd.json", import.meta.url), "utf8")) as Reference;
const f32 = (v: number[] | number[][]) => tensor(v, { dtype: "float32" });
const NAMES = ["w1", "b1", "w2", "b2", "w3", "b3"] as const;

function maxDiff(t: Tensor, want: number[] | number[][]): { diff: number; scale: number } {
  const a = t.dataSync() as Float32Array;
  const b = want.flat();
  let diff = 0;
  let scale = 0;
  b.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(a[i] - v));
    scale = Math.max(scale, Math.abs(v));
  });
  return { diff, scale };
}

describe("MLP trained by SGD matches PyTorch", () => {
  it(`follows the reference loss curve over ${ref.steps} steps`, () => {
    const p = Object.fromEntries(NAMES.map((n) => [n, f32(ref.init[n]).requiresGrad_()])) as Record<(typeof NAMES)[number], Tensor>;
    const x = f32(ref.x);
    const y = f32(ref.y);
    const forward = () => {
      const h1 = linear(x, p.w1, p.b1).relu();
      const h2 = linear(h1, p.w2, p.b2).tanh();
      return linear(h2, p.w3, p.b3);
    };
    const losses: number[] = [];
    let live = 0;
    for (let step = 0; step < ref.steps; step++) {
      scope(() => {
        const loss = mseLoss(forward(), y);
        loss.backward();
        losses.push(loss.itemSync() as number);
      });
      if (step === 0)
        for (const n of NAMES) {
          const { diff, scale } = maxDiff(p[n].grad!, ref.firstGrads[n]);
          expect(diff, `grad of ${n} at step 0`).toBeLessThanOrEqual(1e-5 * Math.max(scale, 1));
        }
      scope(() =>
        noGrad(() => {
          for (const n of NAMES) {
            p[n].sub_(p[n].grad!.mul(ref.lr));
            p[n].grad!.zero_();
          }
        }),
      );
      if (step === 1) live = memoryReport().liveTensors;
      if (step > 1) expect(memoryReport().liveTensors).toBe(live);
    }
    losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i]), `loss at step ${i}: ${l} vs ${ref.losses[i]}`).toBeLessThanOrEqual(1e-5 * ref.losses[i] + 1e-6));
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 4);
    for (const n of NAMES) {
      const { diff, scale } = maxDiff(p[n], ref.final[n]);
      expect(diff, `final ${n}`).toBeLessThanOrEqual(1e-5 * Math.max(scale, 1));
    }
  });
});
