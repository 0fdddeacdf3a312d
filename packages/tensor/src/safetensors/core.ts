// The tensor-free safetensors core: parse, validate and serialize the format with typed arrays only (no Tensor, no node:).

export { SafetensorsError } from "./errors.js";
export {
  SAFETENSORS_DTYPE_ORDER,
  SAFETENSORS_MAX_HEADER_SIZE,
  SAFETENSORS_METADATA_KEY,
  SAFETENSORS_SUPPORTED_DTYPES,
  DTYPE_FROM_SAFETENSORS,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from "./format.js";
export {
  parseSafetensors,
  parseSafetensorsHeader,
  readSafetensorsEntry,
  readSafetensorsHeaderLength,
  type SafetensorsFile,
} from "./read.js";
export {
  layoutSafetensors,
  planSafetensors,
  safetensorsBytesOf,
  serializeSafetensors,
  type SafetensorsPlan,
  type SafetensorsTensorSpec,
  type SafetensorsLayout,
  type SafetensorsMetadata,
  type SafetensorsNamedTensorData,
  type SafetensorsTensorData,
  type SafetensorsWriteInput,
} from "./write.js";
