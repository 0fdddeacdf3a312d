// The backend conformance suite of @tsorch/tensor on the native CPU backend; skips, saying why, where the addon is absent.

import { describe, it } from "vitest";
import "@tsorch/tensor";
import { getBackend, type Backend, type StorageArray } from "@tsorch/tensor/backend";
import { runBackendConformance } from "@tsorch/tensor/testing/vitest";
import { createNativeCpuBackend, loadAddon } from "./index.js";

const { addon, reason } = loadAddon();

if (addon) {
  console.log(`[backend-cpu] conformance on ${reason}`);
  const base = () => getBackend("cpu-ts") as Backend<StorageArray>;
  // Thresholds 0: every float32 call of the suite's small, strided, 0-d and empty cases goes through C++.
  runBackendConformance({
    backend: () => createNativeCpuBackend(addon, base(), { name: "cpu-native", minElements: 0, minMacs: 0 }),
    name: 'backend conformance: native "cpu" (every float32 call native)',
    memoryIterations: 1000,
  });
  // Default thresholds, as "cpu" runs: small calls in JavaScript, large ones in C++.
  runBackendConformance({
    backend: () => createNativeCpuBackend(addon, base(), { name: "cpu-native-default" }),
    name: 'backend conformance: native "cpu" (default thresholds)',
    memoryIterations: 200,
  });
} else if (process.env.TSORCH_CPU_REQUIRE_NATIVE === "1") {
  // CI sets this where a compiler is installed: a missing addon is then a failure, not a skip.
  describe("native cpu conformance", () => {
    it("has the addon (TSORCH_CPU_REQUIRE_NATIVE=1)", () => {
      throw new Error(`the native addon is required but absent: ${reason}`);
    });
  });
} else {
  console.warn(`[backend-cpu] conformance skipped: ${reason}`);
  describe.skip(`native cpu conformance (skipped: ${reason})`, () => {
    it("needs the addon", () => undefined);
  });
}
