// Runs the backend conformance suite on an async-only device (CPU kernels, no readSync, late reads), and on one holding few dtypes.

import { createAsyncOnlyBackend } from "./testing/index.js";
import { runBackendConformance } from "./testing/vitest.js";

runBackendConformance({ backend: () => createAsyncOnlyBackend("async-cpu"), name: 'backend conformance: "async-cpu" (no readSync, reads resolve after a macrotask)' });

// A device without float64, bfloat16 and uint8: their cases are skipped with a printed reason, creating them is refused.
runBackendConformance({
  backend: () => createAsyncOnlyBackend("async-cpu-narrow", { dtypes: ["float32", "float16", "int32", "int64", "bool"] }),
  name: 'backend conformance: "async-cpu-narrow" (few dtypes)',
});
