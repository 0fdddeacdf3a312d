// Tests of layers against PyTorch's numbers (MultiheadAttention, Bilinear, clipGradNorm_ from tools/make-nn-fixtures.py) and of nn.init.
import { describe, expect, it } from "vitest";
import { fromTypedArray, manualSeed, ones, randn, tensor, zeros, type Tensor } from "@tsorch/tensor";
import { Bilinear, clipGradNorm_, clipGradValue_, Embedding, init, Linear, MultiheadAttention, functional as F } from "@tsorch/nn";
import fx from "./fixtures/nn.json" with { type: "json" };

type T = { shape: number[]; data: number[] };
const mk = (t: T): Tensor => fromTypedArray(Float32Array.from(t.data), t.shape);
function expectClose(got: Tensor, want: T, tol = 1e-5, label = ""): void {
  expect(got.shape).toEqual(want.shape);
  const g = got.dataSync() as Float32Array;
  let worst = 0;
  want.data.forEach((w, i) => (worst = Math.max(worst, Math.abs(g[i] - w) / Math.max(1, Math.abs(w)))));
  expect(worst, `${label} worst relative error ${worst}`).toBeLessThan(tol);
}

describe("MultiheadAttention matches PyTorch", () => {
  it.each(fx.mha.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const m = new MultiheadAttention(c.embedDim, c.numHeads, { batchFirst: true, bias: c.bias });
    m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, mk(v)])));
    const q = mk(c.query).requiresGrad_();
    const attnMask = c.attnMaskBool ? mk(c.attnMaskBool).bool() : c.attnMaskFloat ? mk(c.attnMaskFloat) : null;
    const keyPaddingMask = c.keyPaddingMask ? mk(c.keyPaddingMask).bool() : null;
    const [out, w] = m.forward(q, q, q, { attnMask, keyPaddingMask, averageAttnWeights: c.averageAttnWeights });
    expectClose(out, c.output, 1e-5, "output");
    expectClose(w!, c.weights, 1e-5, "weights");
    out.mul(mk(c.upstream)).sum().backward();
    expectClose(q.grad!, c.gradQuery, 1e-4, "grad query");
    expectClose(m.inProjWeight.grad!, c.gradInProjWeight, 1e-4, "grad in_proj_weight");
    // The fast path (no weights, through scaled-dot-product attention) gives the same output.
    const [fast, none] = m.forward(q, q, q, { attnMask, keyPaddingMask, needWeights: false });
    expect(none).toBeNull();
    expectClose(fast, c.output, 1e-5, "fast path");
  });
});

describe("layers", () => {
  it("Bilinear matches PyTorch", () => {
    const b = fx.bilinear;
    const m = new Bilinear(3, 4, 5);
    m.loadStateDict({ weight: mk(b.weight), bias: mk(b.bias) });
    expectClose(m.forward(mk(b.x1), mk(b.x2)), b.output, 1e-5);
  });

  it("Linear computes x Wᵀ + b with PyTorch's init bounds", () => {
    manualSeed(0);
    const fc = new Linear(16, 8);
    const bound = 1 / Math.sqrt(16);
    for (const v of fc.weight.dataSync() as Float32Array) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    const x = randn([3, 16]);
    const y = fc.forward(x);
    const ref = x.matmul(fc.weight.T).add(fc.bias!);
    expectClose(y, { shape: ref.shape as number[], data: Array.from(ref.dataSync() as Float32Array) }, 1e-6);
  });

  it("Embedding zeroes the padding row, gives it no gradient, and renormalises with maxNorm", () => {
    manualSeed(0);
    const e = new Embedding(5, 3, { paddingIdx: 0 });
    expect(Array.from(e.weight.select(0, 0).dataSync() as Float32Array)).toEqual([0, 0, 0]);
    const ids = tensor([[0, 2, 2]], { dtype: "int64" });
    e.forward(ids).sum().backward();
    expect(Array.from(e.weight.grad!.select(0, 0).dataSync() as Float32Array)).toEqual([0, 0, 0]);
    expect(Array.from(e.weight.grad!.select(0, 2).dataSync() as Float32Array)).toEqual([2, 2, 2]);
    const big = new Embedding(4, 2, { maxNorm: 1, weight: fromTypedArray(Float32Array.of(3, 4, 0.3, 0.4, 6, 8, 1, 0), [4, 2]) });
    big.forward(tensor([0, 1], { dtype: "int64" }));
    const w = big.weight.dataSync() as Float32Array;
    expect(Math.hypot(w[0], w[1])).toBeCloseTo(1, 5); // used and too long: rescaled
    expect([w[2], w[3]]).toEqual([Math.fround(0.3), Math.fround(0.4)]); // used, short enough: kept
    expect([w[4], w[5]]).toEqual([6, 8]); // not used: kept
  });

  it("functional.embedding and dropout follow the module forms", () => {
    manualSeed(3);
    const x = ones([1000]);
    const d = F.dropout(x, 0.25, true);
    const kept = (d.dataSync() as Float32Array).filter((v) => v !== 0);
    expect(kept.length / 1000).toBeGreaterThan(0.68);
    expect(kept.length / 1000).toBeLessThan(0.82);
    expect(kept[0]).toBeCloseTo(1 / 0.75, 6);
  });
});

describe("clipGradNorm_ / clipGradValue_", () => {
  it.each(fx.clip.map((c) => [String(c.normType), c] as const))("matches PyTorch for norm type %s", (_n, c) => {
    const ps = c.grads.map((g) => zeros(g.shape).requiresGrad_());
    ps.forEach((p, i) => (p.grad = mk(c.grads[i])));
    const total = clipGradNorm_(ps, c.maxNorm, { normType: c.normType === "inf" ? Infinity : (c.normType as number) });
    expect(Math.abs((total.itemSync() as number) - c.total) / c.total).toBeLessThan(1e-5);
    ps.forEach((p, i) => expectClose(p.grad!, c.clipped[i], 1e-5));
  });

  it("errors on a non-finite norm when asked, and clamps values", () => {
    const p = zeros([2]).requiresGrad_();
    p.grad = tensor([Infinity, 1], { dtype: "float32" });
    expect(() => clipGradNorm_([p], 1, { errorIfNonfinite: true })).toThrow(/non-finite/);
    p.grad = tensor([-3, 0.2], { dtype: "float32" });
    clipGradValue_([p], 0.5);
    expect(Array.from(p.grad.dataSync() as Float32Array)).toEqual([-0.5, Math.fround(0.2)]);
  });
});

describe("nn.init", () => {
  const stats = (t: Tensor) => {
    const a = t.dataSync() as Float32Array;
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
    return { mean, std, min: a.reduce((m, v) => Math.min(m, v), Infinity), max: a.reduce((m, v) => Math.max(m, v), -Infinity) };
  };

  it("draws from the seeded generator", () => {
    manualSeed(42);
    const a = init.normal_(zeros([10]));
    manualSeed(42);
    const b = init.normal_(zeros([10]));
    expect(Array.from(a.dataSync() as Float32Array)).toEqual(Array.from(b.dataSync() as Float32Array));
  });

  it("has PyTorch's gains, fans and spreads", () => {
    expect(init.calculateGain("relu")).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain("tanh")).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain("leaky_relu", 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(init.calculateFanInAndFanOut(zeros([64, 32, 3]))).toEqual([96, 192]);
    manualSeed(0);
    const w = zeros([256, 512]);
    init.kaimingNormal_(w, { mode: "fan_out", nonlinearity: "relu" });
    expect(stats(w).std).toBeCloseTo(Math.sqrt(2 / 256), 2);
    init.kaimingUniform_(w, { a: Math.sqrt(5) });
    expect(stats(w).max).toBeLessThanOrEqual(1 / Math.sqrt(512));
    init.xavierUniform_(w, 2);
    expect(stats(w).max).toBeLessThanOrEqual(2 * Math.sqrt(6 / 768));
    init.xavierNormal_(w);
    expect(stats(w).std).toBeCloseTo(Math.sqrt(2 / 768), 3);
    init.truncNormal_(w, 0.5, 1, -0.5, 1);
    const s = stats(w);
    expect(s.min).toBeGreaterThanOrEqual(-0.5);
    expect(s.max).toBeLessThanOrEqual(1);
    expect(() => init.kaimingUniform_(zeros([3]))).toThrow(/fewer than 2 dimensions/);
    expect(Array.from(init.constant_(zeros([2]), 0.5).dataSync() as Float32Array)).toEqual([0.5, 0.5]);
  });

  it("orthogonal_ gives orthonormal rows or columns", () => {
    manualSeed(1);
    for (const shape of [[6, 4], [4, 6]]) {
      const w = init.orthogonal_(zeros(shape));
      const g = shape[0] >= shape[1] ? w.T.matmul(w) : w.matmul(w.T);
      const a = g.dataSync() as Float32Array;
      const n = Math.min(...shape);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(a[i * n + j]).toBeCloseTo(i === j ? 1 : 0, 5);
    }
  });
});

describe("nn.utils", () => {
  it("flattens parameters to a vector and back", async () => {
    const { utils } = await import("@tsorch/nn");
    const fc = new Linear(3, 2);
    const v = utils.parametersToVector(fc.parameters());
    expect(v.shape).toEqual([8]);
    utils.vectorToParameters(v.mul(2), fc.parameters());
    const w = utils.parametersToVector(fc.parameters()).dataSync() as Float32Array;
    (v.dataSync() as Float32Array).forEach((x, i) => expect(w[i]).toBeCloseTo(2 * x, 6));
    expect(() => utils.vectorToParameters(v.narrow(0, 0, 3), fc.parameters())).toThrow(/8 elements/);
  });
});
