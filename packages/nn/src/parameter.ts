// Parameter: a leaf tensor that requires gradients, as torch.nn.Parameter (a tensor flag here, not a subclass).

import type { Tensor } from "@tsorch/tensor";

/**
 * Makes `t` a trainable leaf, as `nn.Parameter(t, requires_grad)`: a tensor made by an op is detached first (the
 * result shares its storage), then `requiresGrad` is set.
 * @example const w = Parameter(randn([3, 4]).mul(0.02));
 */
export function Parameter(t: Tensor, requiresGrad = true): Tensor {
  const p = t.isLeaf ? t : t.detach();
  p.requiresGrad = requiresGrad;
  return p;
}
