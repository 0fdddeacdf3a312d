// Every method the Tensor type declares (class body and the method modules' augmentations) exists at runtime.

import { describe, expect, it } from "vitest";
import { Tensor, tensor } from "@tsorch/tensor";

/** The string-keyed members of Tensor whose type is callable: what the type promises a user can call. */
type MethodName = { [K in keyof Tensor]-?: K extends string ? (Tensor[K] extends (...args: never[]) => unknown ? K : never) : never }[keyof Tensor];

// `satisfies` over the whole union: a method declared but missing here (or listed but not declared) fails `tsc`, so
// this list cannot silently fall behind the declarations.
const DECLARED = {
  viewOf: 1, dim: 1, numel: 1, size: 1, stride: 1, elementSize: 1, isContiguous: 1, setRequiresGradUnchecked: 1,
  requiresGrad_: 1, retainGrad: 1, backward: 1, dispose: 1, assertAlive: 1, data: 1, dataSync: 1, item: 1,
  itemSync: 1, tolist: 1, tolistSync: 1, toString: 1, log2: 1, log10: 1, square: 1, where: 1, clamp: 1, clip: 1,
  clampMin: 1, clampMax: 1, relu: 1, silu: 1, mish: 1, gelu: 1, softplus: 1, leakyRelu: 1, elu: 1, softmax: 1,
  logSoftmax: 1, sum: 1, mean: 1, prod: 1, amax: 1, amin: 1, max: 1, min: 1, argmax: 1, argmin: 1, var: 1, std: 1,
  logsumexp: 1, norm: 1, any: 1, all: 1, cumsum: 1, matmul: 1, mm: 1, bmm: 1, mv: 1, dot: 1, outer: 1, normalize: 1,
  add_: 1, sub_: 1, mul_: 1, div_: 1, pow_: 1, clamp_: 1, neg_: 1, exp_: 1, sqrt_: 1, abs_: 1, relu_: 1, sigmoid_: 1,
  tanh_: 1, fill_: 1, zero_: 1, copy_: 1, uniform_: 1, normal_: 1, view: 1, reshape: 1, viewAs: 1, reshapeAs: 1,
  permute: 1, transpose: 1, swapaxes: 1, t: 1, expand: 1, expandAs: 1, squeeze: 1, unsqueeze: 1, flatten: 1,
  unflatten: 1, narrow: 1, select: 1, slice: 1, index: 1, contiguous: 1, clone: 1, flip: 1, repeat: 1, tile: 1,
  movedim: 1, split: 1, chunk: 1, unbind: 1, gather: 1, scatter: 1, scatterAdd: 1, indexSelect: 1, indexAdd: 1,
  maskedFill: 1, maskedFill_: 1, sort: 1, argsort: 1, topk: 1, triu: 1, tril: 1, to: 1, toAsync: 1, type: 1,
  float: 1, double: 1, half: 1, bfloat16: 1, int: 1, long: 1, bool: 1, byte: 1, cpu: 1, detach: 1, exp: 1, expm1: 1,
  log: 1, log1p: 1, sqrt: 1, rsqrt: 1, sin: 1, cos: 1, tan: 1, tanh: 1, sigmoid: 1, erf: 1, reciprocal: 1, asin: 1,
  acos: 1, atan: 1, sinh: 1, cosh: 1, neg: 1, abs: 1, floor: 1, ceil: 1, round: 1, trunc: 1, sign: 1, isnan: 1,
  isinf: 1, isfinite: 1, logicalNot: 1, eq: 1, ne: 1, lt: 1, le: 1, gt: 1, ge: 1, logicalAnd: 1, logicalOr: 1,
  logicalXor: 1, add: 1, sub: 1, mul: 1, div: 1, pow: 1, maximum: 1, minimum: 1, remainder: 1, floorDivide: 1,
  atan2: 1,
} satisfies Record<MethodName, 1>;

describe("Tensor methods", () => {
  it("every declared method is attached to Tensor.prototype", () => {
    const names = Object.keys(DECLARED) as MethodName[];
    const proto = Tensor.prototype as unknown as Record<string, unknown>;
    const missing = names.filter((n) => typeof proto[n] !== "function");
    console.log(`Tensor methods: ${names.length} declared, ${names.length - missing.length} attached`);
    expect(missing, `declared on Tensor but not attached: ${missing.join(", ")}`).toEqual([]);
    expect(typeof proto[Symbol.dispose as unknown as string]).toBe("function");
  });

  it("a family method runs its primitive (exp, eq, add with alpha)", async () => {
    const x = tensor([0, 1]);
    expect(await x.exp().tolist()).toEqual([1, Math.fround(Math.E)]);
    expect(await x.eq(1).tolist()).toEqual([false, true]);
    expect(await x.add(x, { alpha: 2 }).tolist()).toEqual([0, 3]);
  });
});
