// Fused ops under autograd: a test backend with fused softmax / layer norm (one with a backward kernel) gives the
// composite's gradients, first and second order.

import { describe, expect, it } from "vitest";
import { createCpuBackend, layerNorm, manualSeed, randn, registerBackend, softmax, withoutFused, crossEntropy, tensor } from "@tsorch/tensor";
import type { Backend, KernelTensor } from "@tsorch/tensor/backend";
import { grad, gradgradcheck } from "@tsorch/autograd";

type Buf = Float32Array | Float64Array;
const rows = (x: KernelTensor) => ({ n: x.shape[x.shape.length - 1], r: x.shape.reduce((a, b) => a * b, 1) / x.shape[x.shape.length - 1] });

// A CPU backend with fused kernels written in plain loops: softmax (forward only) and layer norm (forward + backward).
function fusedCpu(name: string): Backend {
  const cpu = createCpuBackend();
  let backwardCalls = 0;
  const be: Backend & { backwardCalls(): number } = {
    ...cpu,
    name,
    backwardCalls: () => backwardCalls,
    fused: {
      softmax: {
        dtypes: ["float32", "float64"],
        outputs: (ins) => [{ dtype: ins[0].dtype, shape: ins[0].shape }],
        forward: ([x], [y]) => {
          const { n, r } = rows(x);
          const a = x.buffer as Buf;
          const o = y.buffer as Buf;
          for (let i = 0; i < r; i++) {
            let m = -Infinity;
            for (let j = 0; j < n; j++) m = Math.max(m, a[x.offset + i * n + j]);
            let s = 0;
            for (let j = 0; j < n; j++) s += o[i * n + j] = Math.exp(a[x.offset + i * n + j] - m);
            for (let j = 0; j < n; j++) o[i * n + j] /= s;
          }
        },
      },
      layerNorm: {
        outputs: (ins) => [
          { dtype: ins[0].dtype, shape: ins[0].shape },
          { dtype: ins[0].dtype, shape: [...ins[0].shape.slice(0, -1), 1] },
          { dtype: ins[0].dtype, shape: [...ins[0].shape.slice(0, -1), 1] },
        ],
        forward: (ins, [y, mean, rstd], a) => {
          const x = ins[0];
          const w = a.hasWeight ? (ins[1].buffer as Buf) : null;
          const b = a.hasBias ? (ins[a.hasWeight ? 2 : 1].buffer as Buf) : null;
          const { n, r } = rows(x);
          const xa = x.buffer as Buf;
          for (let i = 0; i < r; i++) {
            let mu = 0;
            for (let j = 0; j < n; j++) mu += xa[x.offset + i * n + j];
            mu /= n;
            let v = 0;
            for (let j = 0; j < n; j++) v += (xa[x.offset + i * n + j] - mu) ** 2;
            const rs = 1 / Math.sqrt(v / n + a.eps);
            (mean.buffer as Buf)[i] = mu;
            (rstd.buffer as Buf)[i] = rs;
            for (let j = 0; j < n; j++) (y.buffer as Buf)[i * n + j] = (xa[x.offset + i * n + j] - mu) * rs * (w ? w[j] : 1) + (b ? b[j] : 0);
          }
        },
        backward: (ins, [, mean, rstd], g, gradIns, a) => {
          backwardCalls++;
          const x = ins[0];
          const { n, r } = rows(x);
          const xa = x.buffer as Buf;
          const w = a.hasWeight ? (ins[1].buffer as Buf) : null;
          const ga = g.buffer as Buf;
          const [gx, gw, gb] = [gradIns[0], a.hasWeight ? gradIns[1] : null, a.hasBias ? gradIns[a.hasWeight ? 2 : 1] : null];
          if (gw) (gw.buffer as Buf).fill(0);
          if (gb) (gb.buffer as Buf).fill(0);
          for (let i = 0; i < r; i++) {
            const mu = (mean.buffer as Buf)[i];
            const rs = (rstd.buffer as Buf)[i];
            let s1 = 0;
            let s2 = 0;
            for (let j = 0; j < n; j++) {
              const xh = (xa[x.offset + i * n + j] - mu) * rs;
              const gy = ga[g.offset + i * n + j] * (w ? w[j] : 1);
              s1 += gy;
              s2 += gy * xh;
              if (gw) (gw.buffer as Buf)[j] += ga[g.offset + i * n + j] * xh;
              if (gb) (gb.buffer as Buf)[j] += ga[g.offset + i * n + j];
            }
            if (gx)
              for (let j = 0; j < n; j++) {
                const xh = (xa[x.offset + i * n + j] - mu) * rs;
                const gy = ga[g.offset + i * n + j] * (w ? w[j] : 1);
                (gx.buffer as Buf)[i * n + j] = (rs / n) * (n * gy - s1 - xh * s2);
              }
          }
        },
      },
    },
  };
  return be;
}

const dev = "cpu-fused-test";
const backend = fusedCpu(dev) as Backend & { backwardCalls(): number };
registerBackend(backend);

const close = (a: Float32Array | Float64Array, b: Float32Array | Float64Array, tol: number) =>
  expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(tol);

describe("fused ops and autograd", () => {
  it("routes softmax to the fused kernel and differentiates it by re-running the composite", async () => {
    manualSeed(1);
    const x = randn([4, 9], { device: dev }).mul(3).requiresGrad_();
    const up = randn([4, 9], { device: dev });
    const y = softmax(x, -1);
    expect(y.gradFn?.name).toBe("SoftmaxBackward0");
    const [gx] = grad(y, [x], up);
    const yc = withoutFused(() => softmax(x, -1));
    expect(yc.gradFn?.name).not.toBe("SoftmaxBackward0");
    const [gc] = grad(yc, [x], up);
    close((await y.data()) as Float32Array, (await yc.data()) as Float32Array, 1e-6);
    close((await gx!.data()) as Float32Array, (await gc!.data()) as Float32Array, 1e-6);
  });

  it("uses the backend's backward kernel for layer norm when it has one", async () => {
    manualSeed(2);
    const x = randn([3, 5, 16], { device: dev }).requiresGrad_();
    const w = randn([16], { device: dev }).requiresGrad_();
    const b = randn([16], { device: dev }).requiresGrad_();
    const up = randn([3, 5, 16], { device: dev });
    const before = backend.backwardCalls();
    const y = layerNorm(x, [16], w, b, 1e-5);
    const got = grad(y, [x, w, b], up);
    expect(backend.backwardCalls()).toBe(before + 1);
    const want = grad(withoutFused(() => layerNorm(x, [16], w, b, 1e-5)), [x, w, b], up);
    for (let i = 0; i < 3; i++) close((await got[i]!.data()) as Float32Array, (await want[i]!.data()) as Float32Array, 1e-4);
  });

  it("second-order gradients flow through a fused op (re-run composite with createGraph)", () => {
    manualSeed(3);
    const x = randn([3, 6], { device: dev, dtype: "float64" }).requiresGrad_();
    expect(softmax(x, -1).gradFn?.name).toBe("SoftmaxBackward0");
    expect(gradgradcheck((t) => softmax(t, -1), [x])).toBe(true);
  });

  it("cross-entropy without a fused kernel on this device still takes the composite", async () => {
    const x = tensor([[1, 2, 3], [0.5, 0, -1]], { device: dev, requiresGrad: true });
    const loss = crossEntropy(x, tensor([2, 0], { device: dev }));
    expect(loss.gradFn?.name).not.toBe("CrossEntropyLossBackward0");
    loss.backward();
    expect(x.grad).not.toBeNull();
  });
});
