// Tensor hooks: registerHook (may replace the gradient) and post-accumulate hooks on leaves, as torch.Tensor.register_*hook.

import type { Tensor } from "@tsorch/tensor";
import { fmtShape } from "@tsorch/tensor/backend";
import type { GradHook, PostAccumulateGradHook } from "./internal/meta.js";
import { metaOf, nextHookId, peekMeta } from "./internal/meta.js";
import type { Node } from "./internal/node.js";

export type { GradHook, PostAccumulateGradHook };

/** What a hook registration returns: `remove()` unregisters it, as PyTorch's RemovableHandle. */
export interface RemovableHandle {
  remove(): void;
}

/**
 * Registers a hook called with the gradient of `t` each time it is computed; returning a tensor replaces the
 * gradient (for what flows further and what is accumulated), as `Tensor.register_hook`.
 * @example const h = registerHook(w, (g) => g.clamp(-1, 1)); loss.backward(); h.remove();
 */
export function registerHook(t: Tensor, hook: GradHook): RemovableHandle {
  if (!t.requiresGrad)
    throw new Error(`registerHook: cannot register a hook on a tensor that doesn't require gradient (shape ${fmtShape(t.shape)}). Call .requiresGrad_() on it first.`);
  const id = nextHookId();
  if (t.gradFn) {
    const remove = (t.gradFn as Node).addHook(peekMeta(t)?.outputNr ?? 0, id, hook);
    return { remove };
  }
  const m = metaOf(t);
  (m.hooks ??= new Map()).set(id, hook);
  return { remove: () => void m.hooks?.delete(id) };
}

/**
 * Registers a hook on a leaf that runs after its `.grad` has been accumulated (optimizer-in-backward, clipping),
 * as `Tensor.register_post_accumulate_grad_hook`.
 * @example registerPostAccumulateGradHook(w, (p) => noGrad(() => p.sub_(p.grad!.mul(0.1))));
 */
export function registerPostAccumulateGradHook(t: Tensor, hook: PostAccumulateGradHook): RemovableHandle {
  if (!t.requiresGrad)
    throw new Error(`registerPostAccumulateGradHook: cannot register a hook on a tensor that doesn't require gradient (shape ${fmtShape(t.shape)}).`);
  if (!t.isLeaf)
    throw new Error(
      "registerPostAccumulateGradHook: post accumulate grad hooks cannot be registered on non-leaf tensors (they have no .grad to accumulate into); use registerHook instead.",
    );
  const id = nextHookId();
  const m = metaOf(t);
  (m.postAccumulateHooks ??= new Map()).set(id, hook);
  return { remove: () => void m.postAccumulateHooks?.delete(id) };
}
