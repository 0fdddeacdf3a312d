// @tsorch/tensor: tensors, creation, ops, random numbers, memory, safetensors and the reference CPU backend (the user API; layer authors add @tsorch/tensor/dispatch).

import "./methods/math.js";
import "./methods/shape.js";

export { Tensor } from "./tensor.js";
export type { BackwardOptions, GradFn, NestedArray } from "./tensor.js";
export { scope, keep, untracked, memoryReport } from "./memory.js";
export type { MemoryReport } from "./memory.js";
export { setDefaultDevice, getDefaultDevice, setDefaultDtype, getDefaultDtype } from "./defaults.js";
export { createCpuBackend } from "./cpu/cpu-backend.js";
export { resultType } from "./internal/operands.js";
export type { TensorOrScalar } from "./internal/operands.js";

// Creation, elementwise math and conversion: the PyTorch functions; their op-family runners and host-array helpers
// (unaryFloat, binary, inplace, toStorageArray, shapeArg, …) are layer-author API in @tsorch/tensor/dispatch.
export { tensor, fromTypedArray, full, zeros, ones, empty, zerosLike, onesLike, fullLike, emptyLike, arange, linspace, eye, canRequireGrad } from "./ops/creation.js";
export type { CreateOptions, Scalar, TensorData } from "./ops/creation.js";
export * from "./ops/random.js";
export { add, sub, mul, div, pow, maximum, minimum, remainder, floorDivide, atan2, where, clamp } from "./ops/elementwise.js";
export * from "./rng-state.js";
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
export { to, toAsync, detach, copy_ } from "./ops/convert.js";
export type { ToOptions } from "./ops/convert.js";
export { withoutFused } from "./ops/fused.js";
export * from "./safetensors/index.js";

export type { DType, StorageArray } from "./backend/dtype.js";
export { promoteTypes, isFloatingPoint, itemSize, DTYPES } from "./backend/dtype.js";
export { registerBackend, hasBackend, listBackends } from "./backend/registry.js";
export type { Backend } from "./backend/backend.js";
