// Gradients through the CPU backend's fused kernels (their backward kernels) against the composites' (withoutFused), and second order through the re-run composite.

import { afterEach, describe, expect, it, vi } from "vitest";
import { crossEntropy, gelu, layerNorm, logSoftmax, manualSeed, randn, rmsNorm, scaledDotProductAttention, softmax, tensor, withoutFused, type Tensor } from "@tsorch/tensor";
import { getBackend } from "@tsorch/tensor/backend";
import type { DType, FusedOp } from "@tsorch/tensor/backend";
import { grad, gradcheck, gradgradcheck } from "@tsorch/autograd";

const TOL: Record<string, number> = { float32: 5e-5, float64: 1e-10 };
const DTS: DType[] = ["float32", "float64"];
let seed = 1000;

interface Built {
  readonly leaves: Tensor[];
  readonly y: Tensor;
}

/** Spies on the CPU's fused backward kernel of `op` (to prove the fused path, not a recompute, gave the gradients). */
function spyBackward(op: FusedOp) {
  const k = getBackend("cpu").fused![op]! as unknown as { backward: (...a: unknown[]) => void };
  return vi.spyOn(k, "backward");
}

afterEach(() => vi.restoreAllMocks());

/**
 * Builds the same inputs twice (same seed), differentiates the fused graph and the composite one with the same
 * upstream gradient and compares every input gradient (NaN where the other is NaN). Returns elements compared.
 */
async function sameGrads(label: string, op: FusedOp, build: () => Built, expectKernel = true): Promise<number> {
  const s = seed++;
  const spy = spyBackward(op);
  manualSeed(s);
  const a = build();
  const up = randn(a.y.shape, { dtype: a.y.dtype });
  const got = grad(a.y, a.leaves, up, { allowUnused: true });
  if (expectKernel) expect(spy, `${label}: the fused backward kernel ran`).toHaveBeenCalled();
  spy.mockClear();
  manualSeed(s);
  const want = withoutFused(() => {
    const b = build();
    const u = randn(b.y.shape, { dtype: b.y.dtype });
    return grad(b.y, b.leaves, u, { allowUnused: true });
  });
  expect(spy, `${label}: the composite path never calls the fused kernel`).not.toHaveBeenCalled();
  let n = 0;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [got[i], want[i]];
    expect(g === null, `${label}: gradient ${i} presence`).toBe(w === null);
    if (!g || !w) continue;
    expect(g.shape, `${label}: gradient ${i} shape`).toEqual(w.shape);
    const gd = (await g.data()) as Float32Array;
    const wd = (await w.data()) as Float32Array;
    const tol = TOL[g.dtype];
    for (let j = 0; j < wd.length; j++) {
      if (Number.isNaN(wd[j]) || Number.isNaN(gd[j])) {
        expect(Number.isNaN(gd[j]), `${label}: gradient ${i} NaN mismatch at ${j} (fused ${gd[j]}, composite ${wd[j]})`).toBe(Number.isNaN(wd[j]));
        continue;
      }
      const err = Math.abs(gd[j] - wd[j]) / (1 + Math.abs(wd[j]));
      if (!(err <= tol)) throw new Error(`${label}: gradient ${i} element ${j}: fused ${gd[j]}, composite ${wd[j]} (${g.dtype}, tol ${tol}).`);
    }
    n += wd.length;
  }
  return n;
}

const leaf = (shape: number[], dt: DType, scale = 1) => randn(shape, { dtype: dt }).mul(scale).requiresGrad_();

describe("CPU fused backward kernels equal the composites' gradients", () => {
  it("softmax and logSoftmax", async () => {
    let n = 0;
    for (const dt of DTS)
      for (const shape of [[4, 9], [2, 3, 17], [3, 500], [5, 1]])
        for (const op of ["softmax", "logSoftmax"] as const)
          n += await sameGrads(`${op} ${dt} ${shape}`, op, () => {
            const x = leaf(shape, dt, 4);
            return { leaves: [x], y: op === "softmax" ? softmax(x, -1) : logSoftmax(x, -1) };
          });
    console.log(`softmax / logSoftmax gradients: ${n} elements compared`);
  });

  it("layerNorm (affine, weight only, bias only, none) and rmsNorm (weight, none)", async () => {
    let n = 0;
    for (const dt of DTS)
      for (const shape of [[4, 6, 32], [7, 5], [2, 257]]) {
        const d = shape[shape.length - 1];
        for (const [hw, hb] of [[true, true], [true, false], [false, true], [false, false]])
          n += await sameGrads(`layerNorm ${dt} ${shape} w=${hw} b=${hb}`, "layerNorm", () => {
            const x = leaf(shape, dt, 2);
            const w = hw ? leaf([d], dt) : null;
            const b = hb ? leaf([d], dt) : null;
            return { leaves: [x, ...(w ? [w] : []), ...(b ? [b] : [])], y: layerNorm(x, [d], w, b, 1e-5) };
          });
        for (const hw of [true, false])
          n += await sameGrads(`rmsNorm ${dt} ${shape} w=${hw}`, "rmsNorm", () => {
            const x = leaf(shape, dt, 2);
            const w = hw ? leaf([d], dt) : null;
            return { leaves: [x, ...(w ? [w] : [])], y: rmsNorm(x, [d], w, 1e-6) };
          });
      }
    // Only the weight needs a gradient: dx is not asked for.
    n += await sameGrads("layerNorm weight grad only", "layerNorm", () => {
      const x = randn([6, 8]);
      const w = leaf([8], "float32");
      return { leaves: [w], y: layerNorm(x, [8], w, null) };
    });
    console.log(`layerNorm / rmsNorm gradients: ${n} elements compared`);
  });

  it("gelu exact and tanh", async () => {
    let n = 0;
    for (const dt of DTS)
      for (const approximate of ["none", "tanh"] as const)
        n += await sameGrads(`gelu ${approximate} ${dt}`, "gelu", () => {
          const x = leaf([9, 13], dt, 3);
          return { leaves: [x], y: gelu(x, approximate) };
        });
    console.log(`gelu gradients: ${n} elements compared`);
  });

  it("scaledDotProductAttention: plain, causal, bool / additive masks, partial gradients, a mask that needs a gradient", async () => {
    let n = 0;
    for (const dt of DTS)
      for (const [B, H, L, S, E, Ev] of [
        [2, 3, 5, 6, 8, 8],
        [1, 2, 40, 37, 4, 6],
        [2, 1, 9, 4, 5, 3],
      ]) {
        const tag = `${dt} [${B},${H},${L},${S},${E},${Ev}]`;
        const qkv = () => [leaf([B, H, L, E], dt), leaf([B, H, S, E], dt), leaf([B, H, S, Ev], dt)];
        n += await sameGrads(`sdpa plain ${tag}`, "sdpa", () => {
          const [q, k, v] = qkv();
          return { leaves: [q, k, v], y: scaledDotProductAttention(q, k, v) };
        });
        n += await sameGrads(`sdpa causal ${tag}`, "sdpa", () => {
          const [q, k, v] = qkv();
          return { leaves: [q, k, v], y: scaledDotProductAttention(q, k, v, { isCausal: true, scale: 0.4 }) };
        });
        for (const ms of [[L, S], [B, 1, L, S], [S]]) {
          n += await sameGrads(`sdpa bool mask ${ms} ${tag}`, "sdpa", () => {
            const [q, k, v] = qkv();
            return { leaves: [q, k, v], y: scaledDotProductAttention(q, k, v, { attnMask: randn(ms).gt(-0.7) }) };
          });
          n += await sameGrads(`sdpa additive mask ${ms} ${tag}`, "sdpa", () => {
            const [q, k, v] = qkv();
            return { leaves: [q, k, v], y: scaledDotProductAttention(q, k, v, { attnMask: randn(ms, { dtype: dt }) }) };
          });
        }
        n += await sameGrads(`sdpa only v ${tag}`, "sdpa", () => {
          const [q, k] = [randn([B, H, L, E], { dtype: dt }), randn([B, H, S, E], { dtype: dt })];
          const v = leaf([B, H, S, Ev], dt);
          return { leaves: [v], y: scaledDotProductAttention(q, k, v) };
        });
        // An additive mask that requires grad takes the re-run composite (backward kernels give masks no gradient).
        n += await sameGrads(`sdpa mask needing grad ${tag}`, "sdpa", () => {
          const [q, k, v] = qkv();
          const m = leaf([L, S], dt);
          return { leaves: [q, k, v, m], y: scaledDotProductAttention(q, k, v, { attnMask: m }) };
        }, false);
      }
    // Fully masked query row: the composite's gradients (NaN into dv, 0 into dq / dk through maskedFill).
    n += await sameGrads("sdpa fully masked row", "sdpa", () => {
      const [q, k, v] = [leaf([1, 1, 2, 4], "float64"), leaf([1, 1, 3, 4], "float64"), leaf([1, 1, 3, 4], "float64")];
      return { leaves: [q, k, v], y: scaledDotProductAttention(q, k, v, { attnMask: tensor([[true, false, true], [false, false, false]]) }) };
    });
    console.log(`sdpa gradients: ${n} elements compared`);
  });

  it("crossEntropy: reductions, ignore index, label smoothing, all rows ignored", async () => {
    let n = 0;
    const t = tensor([0, 4, -100, 2, 1, 3, 4, -100], { dtype: "int64" });
    for (const dt of DTS) {
      for (const reduction of ["mean", "sum", "none"] as const)
        for (const labelSmoothing of [0, 0.15])
          n += await sameGrads(`crossEntropy ${dt} ${reduction} ε=${labelSmoothing}`, "crossEntropy", () => {
            const x = leaf([8, 5], dt, 3);
            return { leaves: [x], y: crossEntropy(x, t, { reduction, labelSmoothing }) };
          });
      n += await sameGrads(`crossEntropy ${dt} ignoreIndex 1`, "crossEntropy", () => {
        const x = leaf([6, 4], dt);
        return { leaves: [x], y: crossEntropy(x, tensor([1, 0, 1, 3, 2, 1], { dtype: "int64" }), { ignoreIndex: 1 }) };
      });
      for (const reduction of ["mean", "sum"] as const)
        n += await sameGrads(`crossEntropy ${dt} all ignored ${reduction}`, "crossEntropy", () => {
          const x = leaf([3, 4], dt);
          return { leaves: [x], y: crossEntropy(x, tensor([-100, -100, -100], { dtype: "int64" }), { reduction }) };
        });
    }
    console.log(`crossEntropy gradients: ${n} elements compared`);
  });

  it("second order: gradgradcheck through fused softmax, logSoftmax, layerNorm, gelu, crossEntropy and attention", () => {
    manualSeed(7);
    const x = randn([3, 6], { dtype: "float64" }).requiresGrad_();
    expect(softmax(x, -1).gradFn?.name).toBe("SoftmaxBackward0");
    expect(gradgradcheck((t) => softmax(t, -1), [x])).toBe(true);
    expect(gradgradcheck((t) => logSoftmax(t, -1), [x])).toBe(true);
    const w = randn([6], { dtype: "float64" }).requiresGrad_();
    const b = randn([6], { dtype: "float64" }).requiresGrad_();
    expect(layerNorm(x, [6], w, b).gradFn?.name).toBe("NativeLayerNormBackward0");
    expect(gradcheck((t, ww, bb) => layerNorm(t, [6], ww, bb), [x, w, b])).toBe(true);
    expect(gradgradcheck((t, ww, bb) => layerNorm(t, [6], ww, bb), [x, w, b])).toBe(true);
    expect(gradgradcheck((t) => gelu(t, "tanh"), [x])).toBe(true);
    const target = tensor([1, 5, -100], { dtype: "int64" });
    expect(gradgradcheck((t) => crossEntropy(t, target, { labelSmoothing: 0.1 }), [x])).toBe(true);
    const [q, k, v] = [randn([1, 2, 3, 4], { dtype: "float64" }), randn([1, 2, 3, 4], { dtype: "float64" }), randn([1, 2, 3, 4], { dtype: "float64" })].map((t) => t.requiresGrad_());
    expect(gradgradcheck((a, bb, c) => scaledDotProductAttention(a, bb, c, { isCausal: true }), [q, k, v])).toBe(true);
  });
});
