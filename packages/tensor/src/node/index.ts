// @tsorch/tensor/node: Node-only file I/O (safetensors load_file / save_file / safe_open), kept out of the browser-safe main entry.

export { loadFile, saveFile } from "./file.js";
export { SafeOpen, safeOpen, type SafeOpenOptions } from "./safe-open.js";
export { SafeSlice, type SliceIndex } from "./safe-slice.js";
export { writeFileAtomic } from "./write-file-atomic.js";
