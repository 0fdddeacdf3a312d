// Clearing a leaf's accumulated gradient, as Module.zero_grad and Optimizer.zero_grad both do in PyTorch.

import type { Tensor } from "@tsorch/tensor";

/**
 * Clears a tensor's gradient: drops it (`setToNone`, PyTorch's default) or zeroes it in place (detached from any
 * graph first, as PyTorch does for a gradient made with createGraph).
 * @example for (const p of params) clearGrad(p, true)
 */
export function clearGrad(p: Tensor, setToNone: boolean): void {
  if (!p.grad) return;
  if (setToNone) {
    p.grad.dispose();
    p.grad = null;
  } else {
    if (!p.grad.isLeaf) p.grad = p.grad.detach();
    p.grad.zero_();
  }
}
