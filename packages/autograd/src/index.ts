// @tsorch/autograd: reverse-mode autodiff for tsorch; importing it installs the graph recorder and the backward engine.

import "./install.js";

export { noGrad, enableGrad, setGradEnabled, isGradEnabled, inferenceMode, isInferenceModeEnabled } from "./grad-mode.js";
export { backward, grad } from "./backward.js";
export type { BackwardOptions, GradOptions } from "./backward.js";
export { registerHook, registerPostAccumulateGradHook } from "./hooks.js";
export type { GradHook, PostAccumulateGradHook, RemovableHandle } from "./hooks.js";
export { Function, defineFunction } from "./function.js";
export type { FunctionCtx, FunctionDefinition } from "./function.js";
export { gradcheck, gradgradcheck } from "./gradcheck.js";
export type { GradcheckOptions } from "./gradcheck.js";
export { detach_ } from "./detach.js";
export { clearGrad } from "./clear-grad.js";
