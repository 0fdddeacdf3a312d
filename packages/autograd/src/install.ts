// Installs autograd into @tsorch/tensor: the dispatcher layer, the engine behind Tensor.backward, and Tensor's autograd methods.

import { Tensor } from "@tsorch/tensor";
import { addInterceptor, setAutogradEngine } from "@tsorch/tensor/dispatch";
import { fmtShape } from "@tsorch/tensor/backend";
import { backward } from "./backward.js";
import { detach_ } from "./detach.js";
import { registerHook, registerPostAccumulateGradHook } from "./hooks.js";
import type { GradHook, PostAccumulateGradHook, RemovableHandle } from "./hooks.js";
import { recordOp } from "./internal/recorder.js";
import { retainOn } from "./internal/retain.js";

declare global {
  interface TsorchTensorExtensions {
    /** Registers a hook on this tensor's gradient (see `registerHook`). */
    registerHook(hook: GradHook): RemovableHandle;
    /** Registers a hook run after this leaf's `.grad` is accumulated (see `registerPostAccumulateGradHook`). */
    registerPostAccumulateGradHook(hook: PostAccumulateGradHook): RemovableHandle;
    /** Detaches this tensor from the graph in place (see `detach_`). */
    detach_(): this;
  }
}

// Installed once per copy of @tsorch/tensor (the flag lives on its Tensor class), not once per process: a second copy
// of tensor (a test runner re-importing modules) gets autograd too.
const INSTALLED = Symbol.for("@tsorch/autograd.installed");
const g = Tensor.prototype as unknown as { [INSTALLED]?: boolean };

if (!g[INSTALLED]) {
  Object.defineProperty(g, INSTALLED, { value: true, enumerable: false });
  addInterceptor(recordOp);
  setAutogradEngine({
    backward: (t, gradient, options) => backward(t, gradient ?? null, options),
    onRequiresGrad(t, value) {
      if (!value && !t.isLeaf)
        throw new Error(
          `requiresGrad: you can only change requiresGrad flags of leaf tensors (this one, shape ${fmtShape(t.shape)}, was made by ${t.gradFn?.name}). ` +
            "If you want to use a computed tensor in a subgraph that doesn't require differentiation, use t.detach().",
        );
    },
  });
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  const retainGrad = Tensor.prototype.retainGrad;
  Object.assign(proto, {
    registerHook(this: Tensor, hook: GradHook) {
      return registerHook(this, hook);
    },
    registerPostAccumulateGradHook(this: Tensor, hook: PostAccumulateGradHook) {
      return registerPostAccumulateGradHook(this, hook);
    },
    detach_(this: Tensor) {
      return detach_(this);
    },
    retainGrad(this: Tensor) {
      retainGrad.call(this);
      retainOn(this);
    },
  });
}
