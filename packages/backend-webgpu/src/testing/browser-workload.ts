// The browser test's workload: a matmul, a softmax and a small MLP forward + backward on a device, from deterministic inputs (run in Chromium on WebGPU and in Node on the CPU).

import { crossEntropy, gelu, linear, softmax, tensor, type Tensor } from "@tsorch/tensor";

// Inputs from a formula, not a random generator, so both sides build the same numbers without sharing state.
function det(shape: number[], seed: number, device: string, requiresGrad = false): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 0.731 + seed) * 1000) / 1000);
  const flat = tensor(values, { dtype: "float32", device }).view(...shape);
  return requiresGrad ? flat.detach().requiresGrad_() : flat;
}

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data() as ArrayLike<number | bigint>, (v) => Number(v));
}

/**
 * Runs the workload on `device`; returns every result as plain numbers, keyed by name.
 * @example const r = await runWorkload("cpu"); r.matmul.length // 15
 */
export async function runWorkload(device: string, withBackward: boolean): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  const a = det([5, 7], 1, device);
  const b = det([3, 7], 2, device);
  out.matmul = await read(a.matmul(b.T));
  out.softmax = await read(softmax(det([4, 6], 3, device).mul(3), -1));
  const x = det([8, 5], 4, device);
  const w1 = det([16, 5], 5, device, withBackward);
  const b1 = det([16], 6, device, withBackward);
  const w2 = det([3, 16], 7, device, withBackward);
  const b2 = det([3], 8, device, withBackward);
  const target = tensor([0, 1, 2, 1, 0, 2, 2, 1], { dtype: "int64", device });
  const logits = linear(gelu(linear(x, w1, b1)), w2, b2);
  out.logits = await read(logits);
  const loss = crossEntropy(logits, target);
  out.loss = await read(loss);
  if (withBackward) {
    loss.backward();
    for (const [k, t] of Object.entries({ w1, b1, w2, b2 })) out[`grad_${k}`] = await read(t.grad!);
  }
  return out;
}
