// Runs the backend conformance suite on the reference CPU backend (a fresh instance registered as "cpu").

import { createCpuBackend } from "./index.js";
import { runBackendConformance } from "./testing/vitest.js";

runBackendConformance({ backend: () => createCpuBackend(), name: 'backend conformance: "cpu"' });
