// detach_(): takes a tensor out of the graph in place, as torch.Tensor.detach_.

import type { Tensor } from "@tsorch/tensor";
import { fmtShape } from "@tsorch/tensor/backend";
import { peekMeta } from "./internal/meta.js";
import { dropAccumulator } from "./internal/accumulate-grad.js";

/**
 * Detaches `t` from the graph that made it, in place: it becomes a leaf that does not require grad. Views can't
 * be detached in place (use `t.detach()`), as in PyTorch.
 * @example const h = hidden.detach_(); // truncated backprop through time
 */
export function detach_(t: Tensor): Tensor {
  if (t.base && t.requiresGrad)
    throw new Error(`detach_: can't detach views in-place (shape ${fmtShape(t.shape)}). Use t.detach() instead, which returns a new tensor.`);
  t.gradFn = null;
  t.setRequiresGradUnchecked(false);
  t.retainsGrad = false;
  const m = peekMeta(t);
  if (m) m.outputNr = 0;
  dropAccumulator(t);
  return t;
}
