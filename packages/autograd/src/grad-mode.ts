// Grad mode: noGrad, enableGrad, setGradEnabled, inferenceMode, as torch.no_grad / enable_grad / inference_mode; scoped across await.

import { ContextVar } from "@tsorch/tensor/dispatch";

const gradEnabled = new ContextVar<boolean>(true);
const inferenceEnabled = new ContextVar<boolean>(false);

/**
 * Whether ops are recorded for autograd right now, as `torch.is_grad_enabled()`.
 * @example noGrad(() => isGradEnabled()) // false
 */
export function isGradEnabled(): boolean {
  return gradEnabled.get();
}

/**
 * Switches recording on or off for the rest of the current context (the enclosing `noGrad` / `enableGrad` call,
 * or the whole program outside them), as `torch.set_grad_enabled(mode)`.
 * @example setGradEnabled(false); const y = x.mul(2); setGradEnabled(true);
 */
export function setGradEnabled(mode: boolean): void {
  gradEnabled.set(mode);
}

/**
 * Runs `fn` without recording the graph, as `with torch.no_grad():`. Works with async functions: the mode follows
 * every `await` inside `fn` and ends with it.
 * @example const y = noGrad(() => w.sub(w.grad!.mul(lr)));
 * @example await noGrad(async () => { const y = model(x); await y.data(); });
 */
export function noGrad<R>(fn: () => R): R {
  return gradEnabled.run(false, fn);
}

/**
 * Runs `fn` with recording switched on, even inside `noGrad`, as `with torch.enable_grad():`.
 * @example noGrad(() => enableGrad(() => x.mul(2))).requiresGrad // true when x requires grad
 */
export function enableGrad<R>(fn: () => R): R {
  return gradEnabled.run(true, fn);
}

/**
 * Runs `fn` in inference mode, as `with torch.inference_mode():`: nothing is recorded and no graph bookkeeping is
 * done. Pass `false` to run `fn` normally (as `inference_mode(mode=False)`).
 * @example const logits = inferenceMode(() => model.forward(ids));
 */
export function inferenceMode<R>(fn: () => R, mode = true): R {
  if (!mode) return fn();
  return inferenceEnabled.run(true, () => gradEnabled.run(false, fn));
}

/**
 * Whether the current call runs inside `inferenceMode`, as `torch.is_inference_mode_enabled()`.
 * @example inferenceMode(() => isInferenceModeEnabled()) // true
 */
export function isInferenceModeEnabled(): boolean {
  return inferenceEnabled.get();
}
