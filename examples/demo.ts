// The quick-start demo: tensors on the CPU backend fitting a model to data generated here, then attention on a toy batch.

import { manualSeed, randn, tensor, scope, memoryReport, scaledDotProductAttention, linspace } from "@tsorch/tensor";

manualSeed(0);

// Synthetic regression: y = X w* + noise, fitted by gradient descent with the gradient written out by hand
// (d/dw of mean((Xw - y)^2) = 2/N X^T (Xw - y)); the autograd package does this for you.
const n = 2048;
const d = 16;
const trueW = randn([d, 1]);
const X = randn([n, d]);
const noise = randn([n, 1]).mul(0.01);
const y = X.matmul(trueW).add(noise);
let w = tensor(new Float32Array(d)).view(d, 1);

console.log(`fitting w (${d} weights) to ${n} noisy samples by gradient descent`);
for (let step = 0; step <= 200; step++) {
  const { loss, next } = scope(() => {
    const err = X.matmul(w).sub(y); // [N, 1]
    const loss = err.square().mean();
    const grad = X.T.matmul(err).mul(2 / n); // [D, 1]
    return { loss, next: w.sub(grad.mul(0.1)) };
  });
  w.dispose();
  w = next;
  if (step % 40 === 0) console.log(`  step ${String(step).padStart(3)}  loss ${(loss.itemSync() as number).toExponential(3)}`);
  loss.dispose();
}
const err = w.sub(trueW).abs().amax();
console.log(`max |w - w*| = ${(err.itemSync() as number).toExponential(2)} (the noise level is 1e-2 / sqrt(N))`);

// Scaled-dot-product attention with a causal mask over a [batch 1, heads 2, T 4, head size 8] batch.
const q = randn([1, 2, 4, 8]);
const k = randn([1, 2, 4, 8]);
const v = linspace(0, 1, 4).view(1, 1, 4, 1).expand(1, 2, 4, 8);
const out = scaledDotProductAttention(q, k, v, { isCausal: true });
console.log("causal attention over values 0, 1/3, 2/3, 1 (each row averages only the past):");
console.log(out.select(-1, 0).toString());
console.log("memory:", JSON.stringify(memoryReport().bytesByDevice));
