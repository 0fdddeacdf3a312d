// @tsorch/tensor/dispatch: the layer-author API (dispatcher, interceptors, kernel views, storage, context variables, the autograd hook, fused-op routing); users need none of it.

export { dispatch, addInterceptor, run1, kernelView } from "./dispatcher.js";
export type { DispatchAttrs, DispatchOp, Interceptor, OpCall, ViewAttrs, CoreAttrs } from "./dispatcher.js";
export { setAutogradEngine } from "../tensor.js";
export type { AutogradEngine } from "../tensor.js";
export { Storage } from "../storage.js";
export { ContextVar, contextFollowsAwait } from "../internal/context.js";
export { hasFused, fusedAdamwStep } from "../ops/fused.js";
export { FUSED_COMPOSITES } from "../ops/fused-composites.js";
export { unaryFloat, unarySame, predicate, binary, compare } from "../ops/elementwise.js";
export { inplace } from "../ops/convert.js";
export { toStorageArray, shapeArg } from "../ops/creation.js";
