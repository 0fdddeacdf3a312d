// Hooks, custom functions and grad modes (including across await), as PyTorch's torch.autograd features.

import { describe, expect, it } from "vitest";
import { tensor, ones } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import {
  Function,
  defineFunction,
  enableGrad,
  grad,
  gradcheck,
  inferenceMode,
  isGradEnabled,
  isInferenceModeEnabled,
  noGrad,
  registerHook,
  registerPostAccumulateGradHook,
  setGradEnabled,
} from "@tsorch/autograd";
import type { FunctionCtx } from "@tsorch/autograd";

const f32 = (v: number[], requiresGrad = false) => tensor(v, { dtype: "float32", requiresGrad });
const vals = (t: Tensor | null) => Array.from(t!.dataSync() as Float32Array);

describe("hooks", () => {
  it("tensor hooks see and may replace the gradient, on leaves and non-leaves", () => {
    const x = f32([1, 2, 3], true);
    const y = x.mul(2);
    const seen: number[][] = [];
    const h = y.registerHook((g) => {
      seen.push(vals(g));
      return g.mul(10);
    });
    registerHook(x, (g) => g.add(1));
    y.sum().backward();
    expect(seen).toEqual([[1, 1, 1]]);
    expect(vals(x.grad)).toEqual([21, 21, 21]);
    h.remove();
    x.grad = null;
    x.mul(2).sum().backward();
    expect(vals(x.grad)).toEqual([3, 3, 3]);
  });

  it("post-accumulate hooks run after .grad is filled (optimizer in backward)", () => {
    const w = f32([1, 2], true);
    const handle = registerPostAccumulateGradHook(w, (p) => {
      noGrad(() => p.sub_(p.grad!.mul(0.5)));
      p.grad = null;
    });
    w.mul(w).sum().backward();
    expect(vals(w)).toEqual([0, 0]);
    expect(w.grad).toBeNull();
    handle.remove();
    expect(() => w.mul(2).registerPostAccumulateGradHook(() => {})).toThrow(/non-leaf/);
    expect(() => f32([1]).registerHook((g) => g)).toThrow(/doesn't require gradient/);
  });
});

describe("custom functions", () => {
  it("defineFunction: forward and backward of a user op, with saved tensors and gradcheck", () => {
    const cube = defineFunction({
      name: "Cube",
      forward(ctx, x: Tensor) {
        ctx.saveForBackward(x);
        return x.mul(x).mul(x);
      },
      backward(ctx, g) {
        const [x] = ctx.savedTensors;
        return g!.mul(x.mul(x).mul(3));
      },
    });
    const x = f32([1, 2], true);
    const y = cube(x);
    expect(y.gradFn?.name).toBe("CubeBackward");
    y.sum().backward();
    expect(vals(x.grad)).toEqual([3, 12]);
    const x64 = tensor([0.3, -1.2], { dtype: "float64", requiresGrad: true });
    expect(gradcheck((a) => cube(a), [x64])).toBe(true);
  });

  it("Function subclasses with apply(), non-tensor arguments and several outputs", () => {
    class ScaleSplit extends Function {
      static override forward(ctx: FunctionCtx, x: Tensor, k: number): Tensor[] {
        ctx.k = k;
        return [x.mul(k), x.mul(-k)];
      }
      static override backward(ctx: FunctionCtx, ga: Tensor | null, gb: Tensor | null) {
        const k = ctx.k as number;
        return [ga!.mul(k).sub(gb!.mul(k)), null];
      }
    }
    const x = f32([1, 2], true);
    const [a, b] = ScaleSplit.apply(x, 3);
    expect(a.gradFn?.name).toBe("ScaleSplitBackward");
    a.sum().add(b.sum().mul(2)).backward();
    expect(vals(x.grad)).toEqual([-3, -3]);
  });

  it("reports a wrong number of gradients", () => {
    const bad = defineFunction({ forward: (_ctx, x: Tensor, y: Tensor) => x.add(y), backward: (_ctx, g) => [g] });
    expect(() => bad(f32([1], true), f32([2], true)).sum().backward()).toThrow(/incorrect number of gradients \(expected 2, got 1\)/);
  });
});

describe("grad mode", () => {
  it("noGrad / enableGrad / setGradEnabled nest", () => {
    const x = f32([1], true);
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      expect(x.mul(2).requiresGrad).toBe(false);
      enableGrad(() => expect(x.mul(2).requiresGrad).toBe(true));
      setGradEnabled(true);
      expect(isGradEnabled()).toBe(true);
    });
    expect(isGradEnabled()).toBe(true);
    setGradEnabled(false);
    expect(x.mul(2).requiresGrad).toBe(false);
    setGradEnabled(true);
  });

  it("scopes correctly across await, with interleaved async calls", async () => {
    const x = f32([1], true);
    const tick = () => new Promise((r) => setTimeout(r, 5));
    const results = await Promise.all([
      noGrad(async () => {
        await tick();
        const r = x.mul(2).requiresGrad;
        await tick();
        return [r, isGradEnabled()];
      }),
      (async () => {
        await tick();
        return [x.mul(2).requiresGrad, isGradEnabled()];
      })(),
    ]);
    expect(results).toEqual([
      [false, false],
      [true, true],
    ]);
    expect(isGradEnabled()).toBe(true);
  });

  it("inference mode records nothing", async () => {
    const x = f32([1], true);
    const y = await inferenceMode(async () => {
      await Promise.resolve();
      expect(isInferenceModeEnabled()).toBe(true);
      return x.mul(3);
    });
    expect(y.requiresGrad).toBe(false);
    expect(isInferenceModeEnabled()).toBe(false);
  });

  it("backward runs formulas without recording unless createGraph", () => {
    const x = f32([2], true);
    const [g] = grad(x.mul(x).sum(), [x]);
    expect(g!.requiresGrad).toBe(false);
    const [g2] = grad(x.mul(x).sum(), [x], ones([], { dtype: "float32" }), { createGraph: true });
    expect(g2!.requiresGrad).toBe(true);
  });

  it("requiresGrad can't be switched off on a non-leaf", () => {
    const y = f32([1], true).mul(2);
    expect(() => (y.requiresGrad = false)).toThrow(/leaf tensors.*detach/);
  });
});
