// Vitest setup file: puts the native backend on "cpu" before a test file runs, so any package's tests run on it
// (vitest.native.config.ts). With TSORCH_CPU_REQUIRE_NATIVE=1 a missing addon is an error instead of a warning.
import "@tsorch/tensor";
import { registerNativeCpu } from "../src/index.js";

const s = registerNativeCpu();
if (!s.native) {
  if (process.env.TSORCH_CPU_REQUIRE_NATIVE === "1") throw new Error(`native CPU backend required but absent: ${s.reason}`);
  console.warn(`[backend-cpu] tests run on the TypeScript backend: ${s.reason}`);
}
