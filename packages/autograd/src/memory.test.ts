// Memory: a training loop's live tensors, storages and bytes stay flat; saved tensors are freed by backward unless retained.

import { describe, expect, it } from "vitest";
import { crossEntropy, layerNorm, linear, manualSeed, memoryReport, randn, randint, scope } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import { noGrad } from "@tsorch/autograd";

const snapshot = () => {
  const m = memoryReport();
  return { tensors: m.liveTensors, storages: m.liveStorages, bytes: m.bytesByDevice.cpu ?? 0 };
};

describe("memory", () => {
  it("stays flat over many forward + backward + SGD steps", () => {
    manualSeed(1);
    const params: Tensor[] = [randn([32, 16]), randn([32]), randn([32]), randn([32]), randn([5, 32]), randn([5])].map((t) =>
      t.mul(0.1).requiresGrad_(),
    );
    const [w1, b1, g, b, w2, b2] = params;
    const x = randn([8, 16]);
    const target = randint(0, 5, [8]);
    const step = () => {
      scope(() => {
        const h = layerNorm(linear(x, w1, b1).gelu(), [32], g, b);
        const loss = crossEntropy(linear(h, w2, b2).softmax(-1).log(), target);
        loss.backward();
      });
      scope(() =>
        noGrad(() => {
          for (const p of params) {
            p.sub_(p.grad!.mul(0.01));
            p.grad!.zero_();
          }
        }),
      );
    };
    step();
    const before = snapshot();
    for (let i = 0; i < 300; i++) step();
    const after = snapshot();
    expect(after).toEqual(before);
  });

  it("frees saved tensors after backward, keeps them with retainGraph", () => {
    const w = randn([64, 64]).requiresGrad_();
    const start = snapshot();
    scope(() => {
      const y = w.matmul(w).tanh().sum();
      const during = snapshot();
      expect(during.storages).toBeGreaterThan(start.storages);
      y.backward(undefined, { retainGraph: true });
      y.backward();
    });
    const end = snapshot();
    expect(end.storages).toBe(start.storages + 1); // w.grad
    expect(end.tensors).toBe(start.tensors + 1);
  });
});
