// The shared runtime: one object under the global key, joined by compatible copies; the version rule.
import { describe, expect, it } from "vitest";
import { compatibleVersions, runtime, RUNTIME_KEY } from "./runtime.js";
import { registerBackend, unregisterBackend, hasBackend } from "../backend/registry.js";
import { createCpuBackend } from "../index.js";

describe("runtime", () => {
  it("lives under the versioned global key and holds the registry", () => {
    expect((globalThis as Record<symbol, unknown>)[Symbol.for(RUNTIME_KEY)]).toBe(runtime);
    registerBackend({ ...createCpuBackend(), name: "runtime-test" });
    expect(runtime.backends.has("runtime-test")).toBe(true);
    expect(hasBackend("runtime-test")).toBe(true);
    unregisterBackend("runtime-test");
  });

  it("treats 0.x minors and >= 1 majors as incompatible releases", () => {
    expect(compatibleVersions("0.1.0", "0.1.7")).toBe(true);
    expect(compatibleVersions("0.1.0", "0.2.0")).toBe(false);
    expect(compatibleVersions("1.2.0", "1.9.3")).toBe(true);
    expect(compatibleVersions("1.2.0", "2.0.0")).toBe(false);
    expect(compatibleVersions("source", "3.0.0")).toBe(true);
  });
});
