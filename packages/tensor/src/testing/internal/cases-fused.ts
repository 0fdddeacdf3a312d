// Conformance cases of the optional fused kernels: where a backend has one, its output must equal the composite's.

import type { DType, FusedOp } from "../../backend/index.js";
import { crossEntropy, gelu, layerNorm, logSoftmax, rmsNorm, scaledDotProductAttention, softmax, tensor } from "../../index.js";
import { fusedAdamwStep } from "../../dispatch/index.js";
import type { Tensor } from "../../index.js";
import type { CaseContext, TestCase } from "./case.js";

const F32: readonly DType[] = ["float32"];

/** A case that runs only when the device has the fused kernel; the CPU reference (no fused kernels) runs the composite. */
function fusedCase(op: FusedOp, run: (c: CaseContext, dtype: DType) => Promise<void>): TestCase {
  return {
    dtypes: F32,
    async run(c, dtype) {
      if (!c.backend.fused?.[op]) {
        c.checks++;
        return;
      }
      await run(c, dtype);
    },
  };
}

// One AdamW step written with tensor ops (PyTorch's torch.optim.AdamW, single-tensor path), for the reference.
function adamwReference(p: Tensor, g: Tensor, m: Tensor, v: Tensor, step: number): Tensor[] {
  const [lr, b1, b2, eps, wd] = [1e-3, 0.9, 0.999, 1e-8, 0.01];
  const p1 = p.mul(1 - lr * wd);
  const m1 = m.mul(b1).add(g.mul(1 - b1));
  const v1 = v.mul(b2).add(g.mul(g).mul(1 - b2));
  const denom = v1.sqrt().div(Math.sqrt(1 - b2 ** step)).add(eps);
  const p2 = p1.sub(m1.div(denom).mul(lr / (1 - b1 ** step)));
  return [p2, m1, v1];
}

/** Fused kernels: same numbers as the composite they replace, on the shapes the tensor layer sends them. */
export const FUSED_CASES: { readonly [K in FusedOp]: TestCase } = {
  softmax: fusedCase("softmax", async (c, dt) => {
    for (const shape of [[3, 7], [2, 5, 33], [1, 300]]) await c.compare(`softmax ${shape}`, (d) => softmax(d.gen(shape, dt).mul(8), -1));
  }),
  logSoftmax: fusedCase("logSoftmax", async (c, dt) => {
    for (const shape of [[3, 7], [2, 5, 33]]) await c.compare(`logSoftmax ${shape}`, (d) => logSoftmax(d.gen(shape, dt).mul(8), -1));
  }),
  layerNorm: fusedCase("layerNorm", async (c, dt) => {
    await c.compare("affine [4, 6, 32]", (d) => layerNorm(d.gen([4, 6, 32], dt), [32], d.gen([32], dt), d.gen([32], dt), 1e-5));
    await c.compare("no affine [5, 17]", (d) => layerNorm(d.gen([5, 17], dt), [17], null, null, 1e-12));
  }),
  rmsNorm: fusedCase("rmsNorm", async (c, dt) => {
    await c.compare("weight [4, 6, 32]", (d) => rmsNorm(d.gen([4, 6, 32], dt), [32], d.gen([32], dt), 1e-6));
  }),
  gelu: fusedCase("gelu", async (c, dt) => {
    await c.compare("exact", (d) => gelu(d.gen([7, 9], dt).mul(3)));
    await c.compare("tanh", (d) => gelu(d.gen([7, 9], dt).mul(3), "tanh"));
  }),
  sdpa: fusedCase("sdpa", async (c, dt) => {
    const qkv = (d: CaseContext["dev"]) => [d.gen([2, 3, 5, 8], dt), d.gen([2, 3, 6, 8], dt), d.gen([2, 3, 6, 8], dt)];
    await c.compare("plain", (d) => {
      const [q, k, v] = qkv(d);
      return scaledDotProductAttention(q, k, v);
    });
    await c.compare("causal", (d) => {
      const [q, k, v] = qkv(d);
      return scaledDotProductAttention(q, k, v, { isCausal: true, scale: 0.3 });
    });
    await c.compare("bool mask [2, 1, 5, 6]", (d) => {
      const [q, k, v] = qkv(d);
      const mask = d.gen([2, 1, 5, 6], "float32").gt(-0.5);
      return scaledDotProductAttention(q, k, v, { attnMask: mask });
    });
    await c.compare("additive mask [5, 6]", (d) => {
      const [q, k, v] = qkv(d);
      return scaledDotProductAttention(q, k, v, { attnMask: d.gen([5, 6], dt) });
    });
  }),
  crossEntropy: fusedCase("crossEntropy", async (c, dt) => {
    const target = (d: CaseContext["dev"]) => tensor([0, 4, -100, 2, 1, 3], { dtype: "int64", device: d.device });
    for (const reduction of ["mean", "sum", "none"] as const)
      await c.compare(`${reduction}, ignore -100`, (d) => crossEntropy(d.gen([6, 5], dt).mul(3), target(d), { reduction }));
    await c.compare("label smoothing 0.1", (d) => crossEntropy(d.gen([6, 5], dt), target(d), { labelSmoothing: 0.1 }));
  }),
  adamwStep: fusedCase("adamwStep", async (c, dt) => {
    await c.compare("3 steps on [33, 7]", (d) => {
      const [p, m, v] = [d.gen([33, 7], dt), d.gen([33, 7], dt).mul(0.1), d.gen([33, 7], dt).abs().mul(0.01)];
      let state = [p, m, v];
      for (let step = 1; step <= 3; step++) {
        const g = d.gen([33, 7], dt, { seed: step });
        const attrs = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step, maximize: false };
        if (!fusedAdamwStep(state[0], g, state[1], state[2], attrs)) state = adamwReference(state[0], g, state[1], state[2], step);
      }
      return state;
    });
  }),
};
