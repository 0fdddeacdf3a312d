// Core behaviour of autograd: leaves and non-leaves, gradFn names, accumulation, retainGrad, detach, bad inputs.

import { describe, expect, it } from "vitest";
import { tensor, ones, zeros, scope, memoryReport } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import { backward, grad, noGrad, detach_ } from "@tsorch/autograd";

const vals = (t: Tensor | null) => Array.from(t!.dataSync() as Float32Array);

describe("autograd basics", () => {
  it("computes gradients of a small expression and names gradFns", () => {
    const x = tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
    const w = tensor([0.5, -1, 2], { dtype: "float32" }).requiresGrad_();
    const y = x.mul(w);
    expect(y.gradFn?.name).toBe("MulBackward0");
    expect(y.isLeaf).toBe(false);
    const s = y.sum();
    expect(s.gradFn?.name).toBe("SumBackward0");
    s.backward();
    expect(vals(x.grad)).toEqual([0.5, -1, 2]);
    expect(vals(w.grad)).toEqual([1, 2, 3]);
    expect(x.add(1).gradFn?.name).toBe("AddBackward0");
    expect(x.view(3, 1).sum(1).gradFn?.name).toBe("SumBackward1");
  });

  it("accumulates on leaves across backward calls and retains non-leaf grads on request", () => {
    const x = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    const y = x.mul(x);
    y.retainGrad();
    const s = y.sum();
    s.backward(undefined, { retainGraph: true });
    s.backward();
    expect(vals(x.grad)).toEqual([4, 8]);
    expect(vals(y.grad)).toEqual([2, 2]);
  });

  it("broadcasts gradients back to input shapes", () => {
    const a = ones([3, 1, 5], { dtype: "float32", requiresGrad: true });
    const b = tensor([[1], [2], [3], [4]], { dtype: "float32" }).requiresGrad_();
    a.mul(b).sum().backward();
    expect(a.grad!.shape).toEqual([3, 1, 5]);
    expect(vals(a.grad)[0]).toBe(10);
    expect(vals(b.grad)).toEqual([15, 15, 15, 15]);
  });

  it("grad() returns gradients without touching .grad", () => {
    const x = tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
    const w = tensor([1, 1, 1], { dtype: "float32", requiresGrad: true });
    const [gx] = grad(x.mul(x).mul(w).sum(), [x]);
    expect(vals(gx)).toEqual([2, 4, 6]);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
  });

  it("supports higher-order gradients with createGraph", () => {
    const x = tensor([1, 2, 3], { dtype: "float64", requiresGrad: true });
    const y = x.pow(3).sum();
    const [g] = grad(y, [x], null, { createGraph: true });
    expect(Array.from(g!.dataSync() as Float64Array)).toEqual([3, 12, 27]);
    const [gg] = grad(g!.sum(), [x]);
    expect(Array.from(gg!.dataSync() as Float64Array)).toEqual([6, 12, 18]);
  });

  it("noGrad stops recording; detach and detach_ leave the graph", () => {
    const x = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    const z = x.mul(2);
    expect(z.detach().requiresGrad).toBe(false);
    detach_(z);
    expect(z.requiresGrad).toBe(false);
    expect(z.isLeaf).toBe(true);
  });

  it("gives clear errors for bad input", () => {
    const x = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/only for scalar outputs.*\[2\]/);
    const s = x.exp().sum();
    s.backward();
    expect(() => s.backward()).toThrow(/backward through the graph a second time.*retainGraph/);
    expect(() => tensor([1, 2], { dtype: "float32" }).sum().backward()).toThrow(/does not require grad/);
    expect(() => x.mul(2).backward(ones([3]))).toThrow(/mismatch in shape/);
    expect(() => x.mul(2).backward(ones([2], { dtype: "float64" }))).toThrow(/mismatch in dtype/);
    expect(() => tensor([1, 2], { dtype: "int32" }).requiresGrad_()).toThrow(/floating point/);
    expect(() => grad(x.sum(), [tensor([1.5], { dtype: "float32" })])).toThrow(/does not require grad/);
    const u = tensor([1.5], { dtype: "float32", requiresGrad: true });
    expect(() => grad(x.sum(), [u])).toThrow(/not have been used in the graph.*allowUnused/);
    expect(grad(x.sum(), [u], null, { allowUnused: true })[0]).toBeNull();
  });

  it("refuses a backward through a tensor modified in place after it was saved", () => {
    const x = tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
    const y = x.mul(2);
    const z = y.exp(); // saves its output z
    z.mul_(2);
    expect(() => z.sum().backward()).toThrow(/modified by an inplace operation: \[float32 \[3\]\].*ExpBackward0.*is at version 1; expected version 0/);
  });

  it("refuses in-place ops on leaves that require grad, but allows them under noGrad", () => {
    const w = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    expect(() => w.add_(1)).toThrow(/leaf tensor that requires grad/);
    noGrad(() => w.add_(1));
    expect(vals(w)).toEqual([2, 3]);
  });

  it("differentiates through in-place ops on non-leaves and views", () => {
    const x = tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
    const y = x.mul(1);
    y.mul_(3);
    y.sum().backward();
    expect(vals(x.grad)).toEqual([3, 3, 3]);
    const a = tensor([1, 2, 3, 4], { dtype: "float32", requiresGrad: true });
    const b = a.mul(1);
    b.narrow(0, 1, 2).mul_(10);
    b.mul(tensor([1, 2, 3, 4], { dtype: "float32" })).sum().backward();
    expect(vals(a.grad)).toEqual([1, 20, 30, 4]);
    const buf = zeros([4]);
    const src = tensor([5, 6], { dtype: "float32", requiresGrad: true });
    buf.narrow(0, 2, 2).copy_(src);
    expect(buf.requiresGrad).toBe(true);
    buf.mul(tensor([1, 2, 3, 4], { dtype: "float32" })).sum().backward();
    expect(vals(src.grad)).toEqual([3, 4]);
  });

  it("regenerates the history of a view whose base was written through another view", () => {
    const a = tensor([1, 2, 3, 4], { dtype: "float32", requiresGrad: true });
    const b = a.mul(1);
    const v = b.narrow(0, 0, 2);
    b.narrow(0, 1, 2).mul_(10);
    expect(vals(v)).toEqual([1, 20]);
    v.sum().backward();
    expect(vals(a.grad)).toEqual([1, 10, 0, 0]);
  });

  it("never lets two leaves share one gradient buffer", () => {
    const a = tensor([[1, 2]], { dtype: "float32", requiresGrad: true });
    const b = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    for (let i = 0; i < 2; i++) a.view(2).add(b).sum().backward();
    noGrad(() => a.grad!.mul_(10));
    expect(vals(a.grad)).toEqual([20, 20]);
    expect(vals(b.grad)).toEqual([2, 2]);
  });

  it("functional backward with inputs only fills those", () => {
    const a = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    const b = tensor([3, 4], { dtype: "float32", requiresGrad: true });
    backward(a.mul(b).sum(), null, { inputs: [a] });
    expect(vals(a.grad)).toEqual([3, 4]);
    expect(b.grad).toBeNull();
  });

  it("frees what backward saved", () => {
    const w = tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
    const before = memoryReport();
    for (let i = 0; i < 5; i++)
      scope(() => {
        w.mul(w).exp().sum().backward();
      });
    const after = memoryReport();
    expect(after.liveTensors).toBe(before.liveTensors + 1); // w.grad
  });
});
