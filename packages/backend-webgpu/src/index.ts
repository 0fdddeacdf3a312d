// @tsorch/backend-webgpu: the WebGPU device for tsorch (browsers and Node), registered through @tsorch/tensor/backend only.

export { createWebGPUBackend, registerWebGPU, WEBGPU_DTYPES } from "./webgpu-backend.js";
export type { WebGPUBackend, WebGPUBackendOptions } from "./webgpu-backend.js";
export { findGPU, requestDevice } from "./acquire.js";
export type { GpuSource } from "./acquire.js";
