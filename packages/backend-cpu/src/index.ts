// @tsorch/backend-cpu: the native (C++ N-API) CPU backend for Node, registered through @tsorch/tensor/backend only.

export { registerNativeCpu, nativeCpuStatus, setNumThreads, getNumThreads } from "./register.js";
export type { NativeCpuStatus } from "./register.js";
export { createNativeCpuBackend } from "./native-backend.js";
export type { NativeCpuBackendOptions } from "./native-backend.js";
export { loadAddon } from "./internal/addon.js";
export type { NativeAddon } from "./internal/addon.js";
