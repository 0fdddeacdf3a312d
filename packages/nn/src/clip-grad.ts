// Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_ (in place on each parameter's .grad).

import { scope, stack, zeros, type Tensor } from "@tsorch/tensor";
import { Tensor as TensorClass } from "@tsorch/tensor";

/** Options of `clipGradNorm_`, as PyTorch's. */
export interface ClipGradNormOptions {
  /** The p of the p-norm (default 2); `Infinity` for the max norm. */
  normType?: number;
  /** Throw when the total norm is NaN or infinite (needs a device that reads synchronously). */
  errorIfNonfinite?: boolean;
}

const gradsOf = (params: Tensor | Iterable<Tensor>): Tensor[] =>
  (params instanceof TensorClass ? [params] : [...params]).flatMap((p) => (p.grad ? [p.grad] : []));

/**
 * Rescales the gradients so that their joint norm is at most `maxNorm`, as `clip_grad_norm_`; returns the total
 * norm before clipping (a 0-d tensor).
 * @example const total = clipGradNorm_(model.parameters(), 1.0); console.log(total.itemSync());
 */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, opts: ClipGradNormOptions = {}): Tensor {
  const normType = opts.normType ?? 2;
  const grads = gradsOf(params);
  if (grads.length === 0) return zeros([]);
  return scope(() => {
    const norms = grads.map((g) => (normType === Infinity ? g.detach().abs().amax().to("float32") : g.detach().norm(normType).to("float32")));
    const all = stack(norms);
    const total = normType === Infinity ? all.amax() : all.norm(normType);
    if (opts.errorIfNonfinite) {
      const v = total.itemSync() as number;
      if (!Number.isFinite(v))
        throw new Error(
          `clipGradNorm_: the total norm of order ${normType} for gradients from \`parameters\` is non-finite (${v}), so it cannot be clipped. ` +
            "To disable this error and scale the gradients by the non-finite norm anyway, leave errorIfNonfinite off.",
        );
    }
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clampMax(1);
    for (const g of grads) {
      const d = g.detach();
      d.mul_(coef.to(g.dtype));
    }
    return total;
  });
}

/**
 * Clamps every gradient to [-clipValue, clipValue] in place, as `clip_grad_value_`.
 * @example clipGradValue_(model.parameters(), 0.5)
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  for (const g of gradsOf(params)) {
    const d = g.detach();
    d.clamp_(-clipValue, clipValue);
    d.dispose();
  }
}
