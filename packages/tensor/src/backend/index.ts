// @tsorch/tensor/backend: what a backend implements and may use (dtypes, layouts, the op catalogue, Philox), no Tensor.

export * from "./dtype.js";
export * from "./half.js";
export * from "./layout.js";
export * from "./ops.js";
export * from "./philox.js";
export * from "./backend.js";
export * from "./registry.js";
export * from "./kernel-family.js";
