// @tsorch/tensor/testing/vitest: the conformance suite with vitest's describe/it/beforeAll/afterAll passed in (the only file that imports vitest).

import { afterAll, beforeAll, describe, it } from "vitest";
import { runBackendConformance as run, type ConformanceOptions } from "./conformance.js";

export * from "./index.js";

/** Options of the vitest entry's {@link runBackendConformance}: those of the runner-free kit, without the runner functions. */
export type VitestConformanceOptions = Omit<ConformanceOptions, "describe" | "it" | "beforeAll" | "afterAll"> & Partial<ConformanceOptions>;

/**
 * Runs the backend conformance suite under vitest (see `@tsorch/tensor/testing` for other runners).
 * @example
 * import { runBackendConformance } from "@tsorch/tensor/testing/vitest";
 * runBackendConformance({ backend: () => createMyBackend() });
 */
export function runBackendConformance(options: VitestConformanceOptions): void {
  run({ describe, it: it as unknown as ConformanceOptions["it"], beforeAll, afterAll, ...options });
}
