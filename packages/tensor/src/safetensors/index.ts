// safetensors I/O: the tensor-free format core (browser-safe) and the Tensor-level load / save.

export * from "./core.js";
export {
  loadSafetensors,
  namedTensors,
  saveSafetensors,
  saveSafetensorsSync,
  tensorFromSafetensors,
  type LoadSafetensorsOptions,
  type SafetensorsTensors,
} from "./tensors.js";
