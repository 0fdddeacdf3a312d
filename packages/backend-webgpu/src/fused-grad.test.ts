// Fused backward kernels on WebGPU against the composites' gradients on the CPU (autograd), and the fused AdamW step against PyTorch's update.

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { crossEntropy, gelu, layerNorm, logSoftmax, registerBackend, rmsNorm, scaledDotProductAttention, scope, softmax, tensor, toAsync, withoutFused, type Tensor } from "@tsorch/tensor";
import { fusedAdamwStep } from "@tsorch/tensor/dispatch";
import type { Backend, FusedKernelTable } from "@tsorch/tensor/backend";
import { grad } from "@tsorch/autograd";
import { createWebGPUBackend } from "./webgpu-backend.js";
import { runFileInChild, testDevice, vulkanRetryEnv } from "./test-device.js";

const { device, reason } = await testDevice();
const retry = device ? null : await vulkanRetryEnv();
if (!device && !retry) console.warn(`[webgpu] fused-gradient tests skipped: ${reason}`);

describe.skipIf(!retry)("webgpu fused gradients (child process with Chromium's Vulkan loader)", () => {
  it("passes", async () => {
    const r = await runFileInChild(fileURLToPath(import.meta.url), retry!);
    console.log(r.summary);
    expect(r.status, r.out.slice(-6000)).toBe(0);
  }, 600_000);
});

const DEV = "webgpu-fused-grad";
let backwardCalls = 0;
let ready: Promise<void> | undefined;
// The device's backend with every fused backward counted, so the tests know the kernels (not the composite re-run) ran.
const setup = (): Promise<void> =>
  (ready ??= createWebGPUBackend({ device: device!, name: DEV }).then((b) => {
    const fused: Record<string, unknown> = {};
    for (const [op, k] of Object.entries(b.fused ?? {}))
      fused[op] = k.backward ? { ...k, backward: (...args: Parameters<NonNullable<typeof k.backward>>) => (backwardCalls++, (k.backward as (...a: unknown[]) => void)(...args)) } : k;
    registerBackend({ ...b, name: DEV, fused: fused as FusedKernelTable } as Backend);
  }));

/** Deterministic float32 values on the CPU. */
function det(shape: number[], seed: number, scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: n }, (_, i) => Math.sin(i * 0.61 + seed * 1.7) * scale), { dtype: "float32" }).view(...shape);
}

async function values(t: Tensor): Promise<Float32Array> {
  return (await (t.device === "cpu" ? t : await toAsync(t, "cpu")).contiguous().data()) as Float32Array;
}

async function close(got: Tensor, want: Tensor, what: string, tol = 1e-4): Promise<void> {
  expect([...got.shape], `${what}: shape`).toEqual([...want.shape]);
  const [g, w] = [await values(got), await values(want)];
  for (let i = 0; i < w.length; i++) {
    if (Number.isNaN(w[i])) expect(g[i], `${what}[${i}]`).toBeNaN();
    else expect(Math.abs(g[i] - w[i]), `${what}[${i}]: ${g[i]} vs ${w[i]}`).toBeLessThanOrEqual(tol + tol * Math.abs(w[i]));
  }
}

/**
 * Runs `f` on the device (fused forward + fused backward) and on the CPU (composite), with gradients for the inputs
 * flagged in `needs`, and compares outputs and gradients. `gradFn` names the fused op's node.
 */
async function check(what: string, f: (xs: Tensor[]) => Tensor, inputs: Tensor[], needs: boolean[], gradFn: string): Promise<void> {
  await setup();
  await scope(async () => {
    const run = (dev: string) => {
      const xs = inputs.map((t, i) => {
        const m = dev === "cpu" ? t : t.to(dev);
        return needs[i] ? m.detach().requiresGrad_() : m;
      });
      const y = f(xs);
      const up = det([...y.shape], 7).to(dev);
      const wanted = xs.filter((_, i) => needs[i]);
      return { y, gs: grad([y], wanted, [up], { allowUnused: true }) };
    };
    const before = backwardCalls;
    const dev = run(DEV);
    expect(dev.y.gradFn?.name ?? "", `${what}: the fused op ran`).toBe(gradFn);
    expect(backwardCalls, `${what}: the fused backward kernel ran`).toBe(before + 1);
    // The CPU has fused kernels of its own: the reference is its composite.
    const cpu = withoutFused(() => run("cpu"));
    expect(cpu.y.gradFn?.name ?? "").not.toBe(gradFn);
    await close(dev.y, cpu.y, `${what}: output`);
    for (let i = 0; i < cpu.gs.length; i++) await close(dev.gs[i]!, cpu.gs[i]!, `${what}: grad ${i}`);
  });
}

describe.skipIf(!device)("webgpu fused backward kernels vs the composites' gradients", () => {
  for (const shape of [[3, 7], [2, 5, 300]]) {
    it(`softmax / logSoftmax [${shape}]`, async () => {
      await check("softmax", ([x]) => softmax(x, -1), [det(shape, 1, 4)], [true], "SoftmaxBackward0");
      await check("logSoftmax", ([x]) => logSoftmax(x, -1), [det(shape, 2, 4)], [true], "LogSoftmaxBackward0");
    });
    it(`gelu exact / tanh [${shape}]`, async () => {
      await check("gelu", ([x]) => gelu(x), [det(shape, 3, 3)], [true], "GeluBackward0");
      await check("gelu tanh", ([x]) => gelu(x, "tanh"), [det(shape, 4, 3)], [true], "GeluBackward0");
    });
  }

  it("layerNorm: affine, no affine, weight only, frozen input", async () => {
    const N = "NativeLayerNormBackward0";
    const [x, w, b] = [det([4, 6, 32], 1, 2), det([32], 2), det([32], 3)];
    await check("affine", ([a, c, d]) => layerNorm(a, [32], c, d, 1e-5), [x, w, b], [true, true, true], N);
    await check("no affine", ([a]) => layerNorm(a, [17], null, null, 1e-12), [det([5, 17], 4, 3)], [true], N);
    await check("weight only", ([a, c]) => layerNorm(a, [32], c, null, 1e-5), [x, w], [true, true], N);
    await check("frozen input", ([a, c, d]) => layerNorm(a, [32], c, d, 1e-5), [x, w, b], [false, true, true], N);
    await check("long rows", ([a, c, d]) => layerNorm(a, [300], c, d, 1e-5), [det([3, 300], 5), det([300], 6), det([300], 7)], [true, true, true], N);
  });

  it("rmsNorm: with and without weight", async () => {
    const [x, w] = [det([4, 6, 32], 1, 2), det([32], 2)];
    await check("weight", ([a, c]) => rmsNorm(a, [32], c, 1e-6), [x, w], [true, true], "RmsNormBackward0");
    await check("no weight", ([a]) => rmsNorm(a, [32], null, 1e-6), [x], [true], "RmsNormBackward0");
  });

  describe("sdpa", () => {
    const S = "ScaledDotProductAttentionBackward0";
    const qkv = (l: number, s: number, e = 8, ev = e) => [det([2, 3, l, e], 1), det([2, 3, s, e], 2), det([2, 3, s, ev], 3)];
    const all = [true, true, true];
    it("plain, scale, different value dim", async () => {
      await check("plain", ([q, k, v]) => scaledDotProductAttention(q, k, v), qkv(5, 6), all, S);
      await check("scale, Ev 4", ([q, k, v]) => scaledDotProductAttention(q, k, v, { scale: 0.7 }), qkv(5, 6, 8, 4), all, S);
      await check("only k needs grad", ([q, k, v]) => scaledDotProductAttention(q, k, v), qkv(5, 6), [false, true, false], S);
    });
    it("causal, within one tile and across tiles", async () => {
      await check("causal", ([q, k, v]) => scaledDotProductAttention(q, k, v, { isCausal: true }), qkv(5, 6), all, S);
      await check("causal 70", ([q, k, v]) => scaledDotProductAttention(q, k, v, { isCausal: true }), [det([1, 2, 70, 4], 1), det([1, 2, 70, 4], 2), det([1, 2, 70, 4], 3)], all, S);
    });
    it("bool masks [L, S] and [B, 1, 1, S], additive masks [L, S] and [B, 1, L, S]", async () => {
      // Key 0 is always visible, so no row is fully masked (those rows are NaN, as in the composite).
      const boolMask = (shape: number[]) => det(shape, 9).gt(-0.3).logicalOr(tensor([1, 0, 0, 0, 0, 0], { dtype: "bool" }));
      await check("bool [5, 6]", ([q, k, v, m]) => scaledDotProductAttention(q, k, v, { attnMask: m }), [...qkv(5, 6), boolMask([5, 6])], [...all, false], S);
      await check("bool [2, 1, 1, 6]", ([q, k, v, m]) => scaledDotProductAttention(q, k, v, { attnMask: m }), [...qkv(5, 6), boolMask([2, 1, 1, 6])], [...all, false], S);
      await check("additive [5, 6]", ([q, k, v, m]) => scaledDotProductAttention(q, k, v, { attnMask: m }), [...qkv(5, 6), det([5, 6], 8, 2)], [...all, false], S);
      await check("additive [2, 1, 5, 6]", ([q, k, v, m]) => scaledDotProductAttention(q, k, v, { attnMask: m }), [...qkv(5, 6), det([2, 1, 5, 6], 8, 2)], [...all, false], S);
    });
    it("an additive mask that requires grad gets the composite's gradient", async () => {
      await setup();
      await scope(async () => {
        const ins = [...qkv(5, 6), det([2, 1, 5, 6], 8, 2)];
        const run = (dev: string) => {
          const xs = ins.map((t) => (dev === "cpu" ? t : t.to(dev)).detach().requiresGrad_());
          const y = scaledDotProductAttention(xs[0], xs[1], xs[2], { attnMask: xs[3] });
          return grad([y], xs, [det([...y.shape], 7).to(dev)]);
        };
        const [got, want] = [run(DEV), run("cpu")];
        for (let i = 0; i < 4; i++) await close(got[i]!, want[i]!, `grad ${i}`);
      });
    });
    it("k, v broadcast over the batch take the composite (same numbers)", async () => {
      await setup();
      await scope(async () => {
        const [q, k, v] = [det([2, 3, 5, 8], 1), det([1, 3, 6, 8], 2), det([1, 3, 6, 8], 3)];
        const got = scaledDotProductAttention(q.to(DEV).requiresGrad_(), k.to(DEV), v.to(DEV));
        expect(got.gradFn?.name).not.toBe(S);
        await close(got, scaledDotProductAttention(q, k, v), "broadcast k, v");
      });
    });
    it("a fully masked row is NaN, as the composite", async () => {
      await setup();
      await scope(async () => {
        const [q, k, v] = qkv(2, 3);
        const m = tensor([[true, false, true], [false, false, false]], { dtype: "bool" });
        const want = scaledDotProductAttention(q, k, v, { attnMask: m });
        const got = scaledDotProductAttention(q.to(DEV), k.to(DEV), v.to(DEV), { attnMask: m.to(DEV) });
        await close(got, want, "fully masked");
      });
    });
  });

  describe("crossEntropy", () => {
    const C = "CrossEntropyLossBackward0";
    const targets = (vals: number[]) => tensor(vals, { dtype: "int64" });
    for (const reduction of ["mean", "sum", "none"] as const)
      for (const labelSmoothing of [0, 0.1])
        it(`${reduction}, label smoothing ${labelSmoothing}, ignore -100`, async () => {
          await check(`${reduction} ${labelSmoothing}`, ([x, t]) => crossEntropy(x, t, { reduction, labelSmoothing }), [det([6, 5], 1, 3), targets([0, 4, -100, 2, 1, 3])], [true, false], C);
        });
    it("custom ignore index, many classes, mean with smoothing", async () => {
      await check("ignore 2", ([x, t]) => crossEntropy(x, t, { ignoreIndex: 2, labelSmoothing: 0.2 }), [det([4, 300], 2, 4), targets([2, 299, 0, 2])], [true, false], C);
    });
    it("every row ignored: mean is NaN, as the composite", async () => {
      await setup();
      await scope(async () => {
        const [x, t] = [det([3, 4], 3), targets([-100, -100, -100])];
        await close(crossEntropy(x.to(DEV), t.to(DEV)), crossEntropy(x, t), "all ignored");
      });
    });
    it("an out-of-range target is an error", async () => {
      await setup();
      const loss = crossEntropy(det([2, 3], 1).to(DEV), targets([0, 5]).to(DEV));
      await expect(loss.data()).rejects.toThrow(/crossEntropy: target 5 is out of bounds for 3 classes/);
    });
  });

  it("fusedAdamwStep equals PyTorch's AdamW update over 3 steps (weight decay, maximize)", async () => {
    await setup();
    for (const maximize of [false, true]) {
      await scope(async () => {
        const shape = [33, 7];
        let [p, m, v] = [det(shape, 1), det(shape, 2, 0.1), det(shape, 3, 0.01).abs()];
        const [pd, md, vd] = [p, m, v].map((t) => t.to(DEV));
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
        await close(pd, p, `param (maximize ${maximize})`, 1e-5);
        await close(md, m, "expAvg", 1e-5);
        await close(vd, v, "expAvgSq", 1e-5);
      });
    }
  });
});
