// The CPU backend's fused kernels against the composites they replace (withoutFused), forward, over many shapes and options.

import { describe, expect, it } from "vitest";
import type { DType } from "../backend/index.js";
import { fusedAdamwStep, hasFused } from "../dispatch/index.js";
import {
  crossEntropy,
  gelu,
  layerNorm,
  logSoftmax,
  manualSeed,
  randn,
  rmsNorm,
  scaledDotProductAttention,
  softmax,
  tensor,
  withoutFused,
  type Tensor,
} from "../index.js";
import { FUSED_OPS } from "../backend/index.js";

const TOL: Record<string, number> = { float32: 2e-5, float64: 1e-12 };
const DTS: DType[] = ["float32", "float64"];

let seed = 100;

/**
 * Fused and composite agree on the same inputs (`run` draws them after the same seed both times): same shape, NaN
 * where the other is NaN, |a - b| ≤ tol · (1 + |b|). Returns the number of elements compared.
 */
async function same(label: string, run: () => Tensor): Promise<number> {
  const s = seed++;
  manualSeed(s);
  const got = run();
  manualSeed(s);
  const want = withoutFused(run);
  expect(got.shape, label).toEqual(want.shape);
  expect(got.dtype, label).toBe(want.dtype);
  const g = (await got.data()) as Float32Array;
  const w = (await want.data()) as Float32Array;
  const tol = TOL[got.dtype];
  for (let i = 0; i < w.length; i++) {
    if (Number.isNaN(w[i]) || Number.isNaN(g[i])) {
      expect(Number.isNaN(g[i]), `${label}: NaN mismatch at ${i} (got ${g[i]}, composite ${w[i]})`).toBe(Number.isNaN(w[i]));
      continue;
    }
    if (w[i] === g[i]) continue;
    const err = Math.abs(g[i] - w[i]) / (1 + Math.abs(w[i]));
    if (!(err <= tol)) throw new Error(`${label}: element ${i} of ${w.length}: fused ${g[i]}, composite ${w[i]} (${got.dtype}, tol ${tol}).`);
  }
  got.dispose();
  want.dispose();
  return w.length;
}

const r = (shape: number[], dtype: DType, scale = 1) => randn(shape, { dtype }).mul(scale);

describe("CPU fused kernels: forward equals the composite", () => {
  it("has every fused op for float32 and float64, and none on createCpuBackend({ fused: false })", async () => {
    for (const op of FUSED_OPS) for (const dt of DTS) expect(hasFused(op, "cpu", dt), `${op} ${dt}`).toBe(true);
    expect(hasFused("softmax", "cpu", "float16")).toBe(false);
    const { createCpuBackend } = await import("./cpu-backend.js");
    expect(createCpuBackend({ fused: false }).fused).toBeUndefined();
    expect(Object.keys(createCpuBackend().fused ?? {}).sort()).toEqual([...FUSED_OPS].sort());
  });

  it("softmax and logSoftmax: shapes, large values, -inf entries, fully masked rows", async () => {
    manualSeed(1);
    let n = 0;
    for (const dt of DTS) {
      for (const shape of [[1], [3, 7], [2, 5, 33], [4, 1000], [0, 5], [6, 1]]) {
        n += await same(`softmax ${dt} ${shape}`, () => softmax(r(shape, dt, 8), -1));
        n += await same(`logSoftmax ${dt} ${shape}`, () => logSoftmax(r(shape, dt, 8), -1));
      }
      const withInf = () => tensor([[0, -Infinity, 2, 1], [-Infinity, -Infinity, -Infinity, -Infinity], [1e4, -1e4, 3, 1e4]], { dtype: dt });
      n += await same(`softmax ${dt} -inf`, () => softmax(withInf(), -1));
      n += await same(`logSoftmax ${dt} -inf`, () => logSoftmax(withInf(), 1));
    }
    console.log(`softmax / logSoftmax: ${n} elements compared`);
  });

  it("layerNorm with and without weight / bias, and rmsNorm", async () => {
    manualSeed(2);
    let n = 0;
    for (const dt of DTS)
      for (const shape of [[4, 6, 32], [5, 17], [3, 1], [2, 300]]) {
        const d = shape[shape.length - 1];
        for (const [hw, hb] of [[true, true], [true, false], [false, true], [false, false]])
          for (const eps of [1e-5, 1e-12])
            n += await same(`layerNorm ${dt} ${shape} w=${hw} b=${hb} eps=${eps}`, () =>
              layerNorm(r(shape, dt, 3).add(2), [d], hw ? r([d], dt) : null, hb ? r([d], dt) : null, eps),
            );
        n += await same(`rmsNorm ${dt} ${shape} weight`, () => rmsNorm(r(shape, dt, 3), [d], r([d], dt), 1e-6));
        n += await same(`rmsNorm ${dt} ${shape} default eps`, () => rmsNorm(r(shape, dt), [d]));
      }
    console.log(`layerNorm / rmsNorm: ${n} elements compared`);
  });

  it("gelu exact and tanh", async () => {
    manualSeed(3);
    let n = 0;
    for (const dt of DTS)
      for (const approximate of ["none", "tanh"] as const) {
        for (const shape of [[], [7, 9], [3, 4, 50]]) n += await same(`gelu ${approximate} ${dt} ${shape}`, () => gelu(r(shape, dt, 4), approximate));
        n += await same(`gelu ${approximate} ${dt} extremes`, () => gelu(tensor([-30, -8, -1e-3, 0, 1e-3, 8, 30], { dtype: dt }), approximate));
      }
    console.log(`gelu: ${n} elements compared`);
  });

  it("scaledDotProductAttention: shapes, causal, bool and additive masks broadcast from fewer dims, custom scale", async () => {
    manualSeed(4);
    let n = 0;
    for (const dt of DTS) {
      const shapes: [number, number, number, number, number, number][] = [
        [2, 3, 5, 6, 8, 8],
        [1, 2, 70, 70, 16, 16], // more query rows than a block
        [2, 1, 9, 4, 5, 7], // S < L, Ev ≠ E
        [1, 1, 1, 1, 1, 1],
        [3, 2, 33, 40, 4, 12],
      ];
      for (const [B, H, L, S, E, Ev] of shapes) {
        const qkv = () => [r([B, H, L, E], dt), r([B, H, S, E], dt), r([B, H, S, Ev], dt)];
        const tag = `${dt} [${B},${H},${L},${S},${E},${Ev}]`;
        n += await same(`sdpa plain ${tag}`, () => {
          const [q, k, v] = qkv();
          return scaledDotProductAttention(q, k, v);
        });
        n += await same(`sdpa causal ${tag}`, () => {
          const [q, k, v] = qkv();
          return scaledDotProductAttention(q, k, v, { isCausal: true, scale: 0.37 });
        });
        for (const ms of [[S], [L, S], [B, 1, L, S], [1, H, 1, S], [B, H, L, S]]) {
          n += await same(`sdpa bool mask ${ms} ${tag}`, () => {
            const [q, k, v] = qkv();
            return scaledDotProductAttention(q, k, v, { attnMask: randn(ms).gt(-0.8) });
          });
          n += await same(`sdpa additive mask ${ms} ${tag}`, () => {
            const [q, k, v] = qkv();
            return scaledDotProductAttention(q, k, v, { attnMask: r(ms, dt, 2) });
          });
        }
        n += await same(`sdpa transposed bool mask ${tag}`, () => {
          const [q, k, v] = qkv();
          return scaledDotProductAttention(q, k, v, { attnMask: randn([S, L]).gt(-1).transpose(0, 1) });
        });
      }
      // A query row with every key masked is NaN, as the composite (softmax of all -inf).
      n += await same(`sdpa fully masked row ${dt}`, () => {
        const mask = tensor([[true, false, true], [false, false, false]]);
        return scaledDotProductAttention(r([1, 2, 2, 4], dt), r([1, 2, 3, 4], dt), r([1, 2, 3, 4], dt), { attnMask: mask });
      });
      n += await same(`sdpa -inf additive row ${dt}`, () => {
        const mask = tensor([[0, -Infinity, 1], [-Infinity, -Infinity, -Infinity]], { dtype: dt });
        return scaledDotProductAttention(r([1, 2, 2, 4], dt), r([1, 2, 3, 4], dt), r([1, 2, 3, 4], dt), { attnMask: mask });
      });
    }
    console.log(`sdpa: ${n} elements compared`);
  });

  it("crossEntropy: reductions, ignore index, label smoothing, all rows ignored, out-of-range targets", async () => {
    manualSeed(5);
    let n = 0;
    const t = tensor([0, 4, -100, 2, 1, 3, 4, -100], { dtype: "int64" });
    for (const dt of DTS) {
      for (const reduction of ["mean", "sum", "none"] as const)
        for (const labelSmoothing of [0, 0.1, 1])
          n += await same(`crossEntropy ${dt} ${reduction} ε=${labelSmoothing}`, () => crossEntropy(r([8, 5], dt, 3), t, { reduction, labelSmoothing }));
      n += await same(`crossEntropy ${dt} ignoreIndex 2`, () => crossEntropy(r([8, 5], dt), tensor([2, 2, 1, 0, 2, 3, 4, 0], { dtype: "int64" }), { ignoreIndex: 2 }));
      n += await same(`crossEntropy ${dt} large C`, () => crossEntropy(r([16, 1000], dt, 5), tensor(Array.from({ length: 16 }, (_, i) => (i * 97) % 1000), { dtype: "int64" })));
      const allIgnored = tensor([-100, -100], { dtype: "int64" });
      for (const reduction of ["mean", "sum", "none"] as const)
        n += await same(`crossEntropy ${dt} all ignored ${reduction}`, () => crossEntropy(r([2, 3], dt), allIgnored, { reduction }));
      expect(Number.isNaN(Number(crossEntropy(r([2, 3], dt), allIgnored).itemSync()))).toBe(true);
      n += await same(`crossEntropy ${dt} no rows, sum`, () => crossEntropy(r([0, 3], dt), tensor([], { dtype: "int64" }), { reduction: "sum" }));
    }
    expect(() => crossEntropy(randn([2, 3]), tensor([1, 3], { dtype: "int64" }))).toThrow(/crossEntropy: target 3 at row 1 is out of bounds for 3 classes/);
    console.log(`crossEntropy: ${n} elements compared`);
  });

  it("fusedAdamwStep: 3 steps equal the reference update, maximize too", async () => {
    manualSeed(6);
    for (const maximize of [false, true]) {
      const p0 = randn([33, 7]);
      const [m0, v0] = [randn([33, 7]).mul(0.1), randn([33, 7]).abs().mul(0.01)];
      const [p, m, v] = [p0.clone(), m0.clone(), v0.clone()];
      let [rp, rm, rv] = [p0, m0, v0];
      const [lr, b1, b2, eps, wd] = [1e-2, 0.9, 0.999, 1e-8, 0.05];
      for (let step = 1; step <= 3; step++) {
        const g = randn([33, 7]);
        expect(fusedAdamwStep(p, g, m, v, { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, step, maximize })).toBe(true);
        const gr = maximize ? g.neg() : g;
        const p1 = rp.mul(1 - lr * wd);
        rm = rm.mul(b1).add(gr.mul(1 - b1));
        rv = rv.mul(b2).add(gr.mul(gr).mul(1 - b2));
        const denom = rv.sqrt().div(Math.sqrt(1 - b2 ** step)).add(eps);
        rp = p1.sub(rm.div(denom).mul(lr / (1 - b1 ** step)));
      }
      for (const [a, b] of [[p, rp], [m, rm], [v, rv]]) {
        const x = (await a.data()) as Float32Array;
        const y = (await b.data()) as Float32Array;
        for (let i = 0; i < y.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(1e-6 * (1 + Math.abs(y[i])));
      }
    }
    // Not float32 or not contiguous: the caller's tensor-op path.
    const t = randn([4, 3]).transpose(0, 1);
    expect(fusedAdamwStep(t, t, t, t, { lr: 1, beta1: 0.9, beta2: 0.9, eps: 1e-8, weightDecay: 0, step: 1, maximize: false })).toBe(false);
  });
});
