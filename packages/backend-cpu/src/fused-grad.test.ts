// Native fused kernels, forward and backward, against the composites' values and autograd gradients on the
// TypeScript backend ("cpu-ts" under withoutFused), on small shapes and on ones large enough to run multithreaded.

import { describe, expect, it } from "vitest";
import { fusedAdamwStep } from "@tsorch/tensor/dispatch";
import {
  crossEntropy,
  gelu,
  layerNorm,
  logSoftmax,
  rmsNorm,
  scaledDotProductAttention,
  scope,
  softmax,
  tensor,
  withoutFused,
  type Tensor,
} from "@tsorch/tensor";
import { getBackend, registerBackend, type Backend, type FusedKernelTable, type StorageArray } from "@tsorch/tensor/backend";
import { grad } from "@tsorch/autograd";
import { createNativeCpuBackend, loadAddon, setNumThreads } from "./index.js";

const { addon, reason } = loadAddon();
if (!addon) console.warn(`backend-cpu fused gradients: SKIPPED, ${reason}`);

const DEV = "cpu-native-fused";
let backwardCalls = 0;
let ready = false;
// The native backend with every fused backward counted, so a test knows the kernel (not a composite re-run) ran.
function setup(): void {
  if (ready) return;
  const b = createNativeCpuBackend(addon!, getBackend("cpu-ts") as Backend<StorageArray>, { name: DEV });
  const fused: Record<string, unknown> = {};
  for (const [op, k] of Object.entries(b.fused ?? {}))
    fused[op] = k.backward ? { ...k, backward: (...args: unknown[]) => (backwardCalls++, (k.backward as (...a: unknown[]) => void)(...args)) } : k;
  registerBackend({ ...b, fused: fused as FusedKernelTable<StorageArray> });
  ready = true;
}

function det(shape: number[], seed: number, scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.61 + seed * 1.7) * scale)).view(...shape);
}

function close(got: Tensor, want: Tensor, what: string, tol = 2e-4): void {
  expect([...got.shape], `${what}: shape`).toEqual([...want.shape]);
  const g = got.to("cpu-ts").contiguous().dataSync() as Float32Array;
  const w = want.contiguous().dataSync() as Float32Array;
  for (let i = 0; i < w.length; i++) {
    if (Number.isNaN(w[i])) expect(g[i], `${what}[${i}]`).toBeNaN();
    else if (Math.abs(g[i] - w[i]) > tol + tol * Math.abs(w[i])) expect(g[i], `${what}[${i}]`).toBeCloseTo(w[i], 6);
  }
}

let checks = 0;
function check(what: string, f: (xs: Tensor[]) => Tensor, inputs: Tensor[], needs: boolean[], gradFn: string): void {
  setup();
  scope(() => {
    const run = (dev: string) => {
      const xs = inputs.map((t, i) => (needs[i] ? t.to(dev).detach().requiresGrad_() : t.to(dev)));
      const y = f(xs);
      const up = det([...y.shape], 7).to(dev);
      return { y, gs: grad([y], xs.filter((_, i) => needs[i]), [up], { allowUnused: true }) };
    };
    const before = backwardCalls;
    const dev = run(DEV);
    expect(dev.y.gradFn?.name ?? "", `${what}: the fused op ran`).toBe(gradFn);
    expect(backwardCalls, `${what}: the fused backward kernel ran`).toBe(before + 1);
    const ref = withoutFused(() => run("cpu-ts"));
    close(dev.y, ref.y, `${what}: output`);
    for (let i = 0; i < ref.gs.length; i++) close(dev.gs[i]!, ref.gs[i]!, `${what}: grad ${i}`);
    checks++;
  });
}

describe.skipIf(!addon)("native fused kernels vs the composites (values and gradients)", () => {
  for (const threads of [1, 2])
    it(`softmax, logSoftmax, gelu, layerNorm, rmsNorm on ${threads} thread(s)`, () => {
      setNumThreads(threads);
      for (const shape of [[3, 7], [2, 5, 33], [256, 300]]) {
        check(`softmax ${shape}`, ([x]) => softmax(x, -1), [det(shape, 1, 4)], [true], "SoftmaxBackward0");
        check(`logSoftmax ${shape}`, ([x]) => logSoftmax(x, -1), [det(shape, 2, 4)], [true], "LogSoftmaxBackward0");
        check(`gelu ${shape}`, ([x]) => gelu(x), [det(shape, 3, 4)], [true], "GeluBackward0");
        check(`gelu tanh ${shape}`, ([x]) => gelu(x, "tanh"), [det(shape, 4, 4)], [true], "GeluBackward0");
        const n = shape[shape.length - 1];
        const [x, w, b] = [det(shape, 5, 2), det([n], 6), det([n], 7)];
        check(`layerNorm ${shape}`, ([a, c, d]) => layerNorm(a, [n], c, d, 1e-5), [x, w, b], [true, true, true], "NativeLayerNormBackward0");
        check(`layerNorm no affine ${shape}`, ([a]) => layerNorm(a, [n], null, null, 1e-5), [x], [true], "NativeLayerNormBackward0");
        check(`layerNorm frozen x ${shape}`, ([a, c, d]) => layerNorm(a, [n], c, d, 1e-5), [x, w, b], [false, true, true], "NativeLayerNormBackward0");
        check(`rmsNorm ${shape}`, ([a, c]) => rmsNorm(a, [n], c, 1e-6), [x, w], [true, true], "RmsNormBackward0");
        check(`rmsNorm no weight ${shape}`, ([a]) => rmsNorm(a, [n], null, 1e-6), [x], [true], "RmsNormBackward0");
      }
      console.log(`backend-cpu fused: ${checks} fused forward/backward checks so far`);
    });

  it("sdpa: plain, scale and value dim, causal, bool and additive masks, partial gradients", () => {
    const S = "ScaledDotProductAttentionBackward0";
    const qkv = (bh: number[], l: number, s: number, e = 8, ev = e) => [det([...bh, l, e], 1), det([...bh, s, e], 2), det([...bh, s, ev], 3)];
    const all = [true, true, true];
    const boolMask = (shape: number[]) => det(shape, 9).gt(-0.3).logicalOr(tensor([1, 0, 0, 0, 0, 0], { dtype: "bool" }));
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      check("plain", ([q, k, v]) => scaledDotProductAttention(q, k, v), qkv([2, 3], 5, 6), all, S);
      check("scale, Ev 4", ([q, k, v]) => scaledDotProductAttention(q, k, v, { scale: 0.7 }), qkv([2, 3], 5, 6, 8, 4), all, S);
      check("only k", ([q, k, v]) => scaledDotProductAttention(q, k, v), qkv([2, 3], 5, 6), [false, true, false], S);
      check("causal 70", ([q, k, v]) => scaledDotProductAttention(q, k, v, { isCausal: true }), qkv([1, 2], 70, 70, 4), all, S);
      check("causal L < S", ([q, k, v]) => scaledDotProductAttention(q, k, v, { isCausal: true }), qkv([2, 2], 5, 9), all, S);
      check("bool [5, 6]", ([q, k, v, m]) => scaledDotProductAttention(q, k, v, { attnMask: m }), [...qkv([2, 3], 5, 6), boolMask([5, 6])], [...all, false], S);
      check("bool [2, 1, 1, 6]", ([q, k, v, m]) => scaledDotProductAttention(q, k, v, { attnMask: m }), [...qkv([2, 3], 5, 6), boolMask([2, 1, 1, 6])], [...all, false], S);
      check("additive [2, 1, 5, 6]", ([q, k, v, m]) => scaledDotProductAttention(q, k, v, { attnMask: m }), [...qkv([2, 3], 5, 6), det([2, 1, 5, 6], 8, 2)], [...all, false], S);
      check("large", ([q, k, v]) => scaledDotProductAttention(q, k, v, { isCausal: true }), qkv([4, 4], 64, 64, 32), all, S);
    }
    setup();
    scope(() => {
      const [q, k, v] = qkv([1, 1], 2, 3);
      const m = tensor([[true, false, true], [false, false, false]], { dtype: "bool" });
      const want = withoutFused(() => scaledDotProductAttention(q.to("cpu-ts"), k.to("cpu-ts"), v.to("cpu-ts"), { attnMask: m.to("cpu-ts") }));
      close(scaledDotProductAttention(q.to(DEV), k.to(DEV), v.to(DEV), { attnMask: m.to(DEV) }), want, "fully masked row is NaN");
    });
  });

  it("crossEntropy: reductions, label smoothing, ignore index, many classes, errors", () => {
    const C = "CrossEntropyLossBackward0";
    const targets = (vals: number[]) => tensor(vals, { dtype: "int64" });
    for (const reduction of ["mean", "sum", "none"] as const)
      for (const labelSmoothing of [0, 0.1])
        check(`${reduction} ${labelSmoothing}`, ([x, t]) => crossEntropy(x, t, { reduction, labelSmoothing }), [det([6, 5], 1, 3), targets([0, 4, -100, 2, 1, 3])], [true, false], C);
    const many = Array.from({ length: 300 }, (_, i) => (i * 37) % 1000);
    check("1000 classes", ([x, t]) => crossEntropy(x, t, { ignoreIndex: 2, labelSmoothing: 0.2 }), [det([300, 1000], 2, 4), targets(many)], [true, false], C);
    setup();
    scope(() => {
      const x = det([3, 4], 3);
      const all = targets([-100, -100, -100]);
      close(crossEntropy(x.to(DEV), all.to(DEV)), withoutFused(() => crossEntropy(x.to("cpu-ts"), all.to("cpu-ts"))), "all ignored: NaN");
      expect(() => crossEntropy(det([2, 3], 1).to(DEV), targets([0, 5]).to(DEV))).toThrow(/crossEntropy: target 5 at row 1 is out of bounds for 3 classes/);
    });
  });

  it("fusedAdamwStep equals PyTorch's AdamW formula over 3 steps (weight decay, maximize)", () => {
    setup();
    for (const maximize of [false, true])
      scope(() => {
        const shape = [300, 257];
        let [p, m, v] = [det(shape, 1), det(shape, 2, 0.1), det(shape, 3, 0.01).abs()];
        const [pd, md, vd] = [p, m, v].map((t) => t.to(DEV).clone());
        const [lr, beta1, beta2, eps, weightDecay] = [1e-2, 0.9, 0.999, 1e-8, 0.1];
        for (let step = 1; step <= 3; step++) {
          const g = det(shape, 10 + step);
          expect(fusedAdamwStep(pd, g.to(DEV), md, vd, { lr, beta1, beta2, eps, weightDecay, step, maximize })).toBe(true);
          const gg = maximize ? g.neg() : g;
          p = p.mul(1 - lr * weightDecay);
          m = m.mul(beta1).add(gg.mul(1 - beta1));
          v = v.mul(beta2).add(gg.mul(gg).mul(1 - beta2));
          const denom = v.sqrt().div(Math.sqrt(1 - beta2 ** step)).add(eps);
          p = p.sub(m.div(denom).mul(lr / (1 - beta1 ** step)));
        }
        close(pd, p, "param", 1e-5);
        close(md, m, "expAvg", 1e-5);
        close(vd, v, "expAvgSq", 1e-5);
      });
  });
});
