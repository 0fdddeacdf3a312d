// gradcheck (float64 finite differences) for every differentiable dispatcher op, and gradgradcheck for the main families.

import { describe, expect, it } from "vitest";
import { cat, createCpuBackend, embedding, gather, indexAdd, indexSelect, layerNorm, manualSeed, pad, randn, registerBackend, scatter, scatterAdd, tensor, where, crossEntropy } from "@tsorch/tensor";
import { dispatch } from "@tsorch/tensor/dispatch";
import type { Tensor } from "@tsorch/tensor";
import { gradcheck, gradgradcheck } from "@tsorch/autograd";
import { GRAD_TABLE } from "@tsorch/autograd/formulas";

manualSeed(7);
const r = (...shape: number[]) => randn(shape, { dtype: "float64" }).requiresGrad_();
const pos = (...shape: number[]) => randn(shape, { dtype: "float64" }).abs().add(0.5).detach().requiresGrad_();
const unit = (...shape: number[]) => randn(shape, { dtype: "float64" }).tanh().mul(0.8).detach().requiresGrad_();
const long = (v: number[] | number[][]) => tensor(v, { dtype: "int64" });

type Case = [string, (...xs: Tensor[]) => Tensor | Tensor[], () => Tensor[]];

/** One case per differentiable op of the dispatcher (the op each mainly exercises is in its name). */
const CASES: Case[] = [
  ["exp", (x) => x.exp(), () => [r(2, 3)]],
  ["expm1", (x) => x.expm1(), () => [r(2, 3)]],
  ["log", (x) => x.log(), () => [pos(2, 3)]],
  ["log1p", (x) => x.log1p(), () => [pos(2, 3)]],
  ["sqrt", (x) => x.sqrt(), () => [pos(2, 3)]],
  ["rsqrt", (x) => x.rsqrt(), () => [pos(2, 3)]],
  ["sin", (x) => x.sin(), () => [r(2, 3)]],
  ["cos", (x) => x.cos(), () => [r(2, 3)]],
  ["tan", (x) => x.tan(), () => [unit(2, 3)]],
  ["tanh", (x) => x.tanh(), () => [r(2, 3)]],
  ["sigmoid", (x) => x.sigmoid(), () => [r(2, 3)]],
  ["erf", (x) => x.erf(), () => [r(2, 3)]],
  ["reciprocal", (x) => x.reciprocal(), () => [pos(2, 3)]],
  ["asin", (x) => x.asin(), () => [unit(2, 3)]],
  ["acos", (x) => x.acos(), () => [unit(2, 3)]],
  ["atan", (x) => x.atan(), () => [r(2, 3)]],
  ["sinh", (x) => x.sinh(), () => [r(2, 3)]],
  ["cosh", (x) => x.cosh(), () => [r(2, 3)]],
  ["neg", (x) => x.neg(), () => [r(2, 3)]],
  ["abs", (x) => x.abs(), () => [r(2, 3)]],
  ["floor/ceil/round/trunc/sign", (x) => x.floor().add(x.ceil()).add(x.round()).add(x.trunc()).add(x.sign()).add(x), () => [r(2, 3)]],
  ["add (broadcast)", (a, b) => a.add(b), () => [r(2, 3), r(3)]],
  ["sub (broadcast)", (a, b) => a.sub(b), () => [r(2, 1), r(1, 3)]],
  ["mul (broadcast)", (a, b) => a.mul(b), () => [r(2, 3), r(2, 1)]],
  ["div", (a, b) => a.div(b), () => [r(2, 3), pos(2, 3)]],
  ["pow tensor^tensor", (a, b) => a.pow(b), () => [pos(2, 3), r(2, 3)]],
  ["pow tensor^scalar", (a) => a.pow(3), () => [r(2, 3)]],
  ["maximum", (a, b) => a.maximum(b), () => [r(2, 3), r(2, 3)]],
  ["minimum", (a, b) => a.minimum(b), () => [r(2, 3), r(2, 3)]],
  ["remainder", (a, b) => a.remainder(b), () => [r(2, 3), pos(2, 3)]],
  ["floorDivide", (a, b) => a.floorDivide(b).add(a), () => [r(2, 3), pos(2, 3)]],
  ["atan2", (a, b) => a.atan2(b), () => [r(2, 3), r(2, 3)]],
  ["where", (a, b) => where(a.gt(0), a, b), () => [r(2, 3), r(3)]],
  ["copy (clone, contiguous)", (a) => a.T.contiguous().clone(), () => [r(2, 3)]],
  ["sum", (a) => a.sum([0, 2]), () => [r(2, 3, 2)]],
  ["prod (with a zero)", (a) => a.mul(tensor([[1, 0, 1], [1, 1, 1]], { dtype: "float64" })).prod(1), () => [r(2, 3)]],
  ["prod", (a) => a.prod(), () => [r(2, 3)]],
  ["amax / max", (a) => a.amax(1).add(a.max()), () => [r(2, 3)]],
  ["amin / min(dim)", (a) => a.amin(0).add(a.min(1).values.sum()), () => [r(2, 3)]],
  ["matmul (batched, broadcast)", (a, b) => a.matmul(b), () => [r(2, 1, 2, 3), r(2, 3, 2)]],
  ["matmul (vector)", (a, b) => a.matmul(b), () => [r(3), r(3, 2)]],
  ["cumsum", (a) => a.cumsum(1), () => [r(2, 3)]],
  ["sort / topk", (a) => [a.sort(1, true).values, a.topk(2, 0).values], () => [r(3, 3)]],
  ["gather", (a) => gather(a, 1, long([[0, 2], [1, 1]])), () => [r(2, 3)]],
  ["scatter", (a, s) => scatter(a, 1, long([[0, 2], [1, 0]]), s), () => [r(2, 3), r(2, 2)]],
  ["scatterAdd", (a, s) => scatterAdd(a, 0, long([[0, 1, 0], [0, 0, 1]]), s), () => [r(2, 3), r(2, 3)]],
  ["indexSelect", (a) => indexSelect(a, 0, long([1, 0, 1])), () => [r(2, 3)]],
  ["indexAdd", (a, s) => indexAdd(a, 1, long([2, 0, 2]), s), () => [r(2, 3), r(2, 3)]],
  ["embedding", (w) => embedding(long([[1, 0], [2, 1]]), w), () => [r(3, 2)]],
  ["view / reshape", (a) => a.T.reshape(6).view(3, 2), () => [r(2, 3)]],
  ["permute", (a) => a.permute(2, 0, 1), () => [r(2, 3, 2)]],
  ["expand", (a) => a.expand(2, 3, 2), () => [r(3, 1)]],
  ["slice (step, negative)", (a) => a.slice(1, 1, null, 2).slice(0, -1), () => [r(3, 4)]],
  ["narrow / select / split", (a) => a.narrow(1, 0, 3).add(a.select(0, 1)).add(a.split(1, 0)[2]), () => [r(3, 3)]],
  ["flip", (a) => a.flip(0, 1), () => [r(2, 3)]],
  ["asStrided", (a) => dispatch({ op: "asStrided", inputs: [a], attrs: { shape: [2, 2], strides: [3, 1], offset: 1 } })[0], () => [r(2, 3)]],
  ["cat / stack", (a, b) => cat([a, b, a], 1), () => [r(2, 3), r(2, 1)]],
  ["embed (pad, crop)", (a) => pad(a, [1, -1, 2, 0], 0.5), () => [r(2, 3)]],
  ["assign (copy_ into a non-leaf)", (a, b) => a.mul(1).copy_(b.mul(2)).mul(a), () => [r(2, 3), r(3)]],
  ["assign through a view (CopySlices)", (a, b) => {
    const y = a.mul(1);
    y.narrow(1, 0, 2).mul_(b);
    return y;
  }, () => [r(2, 3), r(2, 2)]],
  ["dtype cast", (a) => a.to("float32").to("float64").mul(1), () => [r(2, 3)]],
  ["cross entropy (composite)", (a) => crossEntropy(a, long([0, 2])), () => [r(2, 3)]],
  ["layer norm (composite)", (x, w, b) => layerNorm(x, [3], w, b), () => [r(2, 3), r(3), r(3)]],
  ["softmax / logSoftmax (composite)", (x) => [x.softmax(-1), x.logSoftmax(0)], () => [r(2, 3)]],
];

describe("gradcheck: every differentiable op (float64 finite differences)", () => {
  for (const [name, fn, make] of CASES)
    it(name, () => {
      const inputs = make();
      const loose = name === "dtype cast" ? { atol: 1e-3, rtol: 1e-2, eps: 1e-3 } : {};
      expect(gradcheck(fn, inputs, loose)).toBe(true);
    });

  it("transfer (a second device)", () => {
    const other = createCpuBackend();
    registerBackend(Object.assign(Object.create(Object.getPrototypeOf(other)), other, { name: "cpu-b" }));
    expect(gradcheck((a) => a.to("cpu-b").mul(2).to("cpu"), [r(2, 3)])).toBe(true);
  });

  it("covers every differentiable entry of the gradient table", () => {
    const differentiable = Object.entries(GRAD_TABLE).filter(([, f]) => f !== "nondifferentiable").map(([k]) => k);
    expect(differentiable.length).toBeGreaterThan(50);
  });

  it("reports a wrong formula", () => {
    expect(gradcheck((a) => a.mul(a).detach().mul(a), [r(2)], { raiseException: false })).toBe(false);
  });
});

describe("gradgradcheck: second derivatives", () => {
  const families: Case[] = [
    ["elementwise unary", (x) => x.exp().add(x.sin()).add(x.tanh()).add(x.sigmoid()).add(x.mul(x).log1p()), () => [r(2, 3)]],
    ["elementwise sqrt/rsqrt/reciprocal/log", (x) => x.sqrt().add(x.rsqrt()).add(x.reciprocal()).add(x.log()), () => [pos(2, 3)]],
    ["elementwise binary", (a, b) => a.mul(b).add(a.div(b.abs().add(1))).sub(a.pow(2).mul(b)), () => [r(2, 3), r(3)]],
    ["erf / gelu", (x) => x.gelu().add(x.gelu("tanh")).add(x.silu()), () => [r(2, 3)]],
    ["matmul", (a, b) => a.matmul(b).tanh(), () => [r(2, 3), r(3, 2)]],
    ["softmax", (x) => x.softmax(-1), () => [r(2, 3)]],
    ["logSoftmax", (x) => x.logSoftmax(-1), () => [r(2, 3)]],
    ["layer norm", (x, w, b) => layerNorm(x, [3], w, b), () => [r(2, 3), r(3), r(3)]],
  ];
  for (const [name, fn, make] of families)
    it(name, () => {
      expect(gradgradcheck(fn, make())).toBe(true);
    });
});
