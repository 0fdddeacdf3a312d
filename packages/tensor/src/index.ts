// @tsorch/tensor: tensors, creation, ops, the dispatcher, random numbers, memory, safetensors, and the reference CPU backend.

import "./methods/math.js";
import "./methods/shape.js";

export { Tensor, setAutogradEngine } from "./tensor.js";
export type { AutogradEngine, BackwardOptions, GradFn, NestedArray } from "./tensor.js";
export { Storage } from "./storage.js";
export { dispatch, addInterceptor, run1, kernelView } from "./dispatch.js";
export type { DispatchAttrs, DispatchOp, Interceptor, OpCall, ViewAttrs, CoreAttrs } from "./dispatch.js";
export { scope, keep, untracked, memoryReport } from "./memory.js";
export type { MemoryReport } from "./memory.js";
export { ContextVar, contextFollowsAwait } from "./internal/context.js";
export { setDefaultDevice, getDefaultDevice, setDefaultDtype, getDefaultDtype } from "./defaults.js";
export { createCpuBackend } from "./cpu/cpu-backend.js";
export { resultType } from "./internal/operands.js";
export type { TensorOrScalar } from "./internal/operands.js";

export * from "./ops/creation.js";
export * from "./ops/random.js";
export * from "./rng-state.js";
export * from "./ops/elementwise.js";
export * from "./ops/activations.js";
export * from "./ops/reduce.js";
export * from "./ops/linalg.js";
export * from "./ops/shape.js";
export * from "./ops/shape-extra.js";
export * from "./ops/indexing.js";
export * from "./ops/index-spec.js";
export * from "./ops/normalization.js";
export * from "./ops/losses.js";
export * from "./ops/layers.js";
export * from "./ops/convert.js";
export { withoutFused, hasFused, fusedAdamwStep, FUSED_COMPOSITES } from "./ops/fused.js";
export * from "./safetensors/index.js";

export type { DType, StorageArray } from "./backend/dtype.js";
export { promoteTypes, isFloatingPoint, itemSize, DTYPES } from "./backend/dtype.js";
export { registerBackend, getBackend, hasBackend, listBackends } from "./backend/registry.js";
export type { Backend } from "./backend/backend.js";
