// The backend conformance suite of @tsorch/tensor on WebGPU (SwiftShader in CI); skips with the reason only where no adapter exists.

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runBackendConformance } from "@tsorch/tensor/testing/vitest";
import { createWebGPUBackend } from "./webgpu-backend.js";
import { runFileInChild, testDevice, vulkanRetryEnv } from "./test-device.js";

const { device, reason } = await testDevice();
const retry = device ? null : await vulkanRetryEnv();

if (device) {
  runBackendConformance({
    backend: () => createWebGPUBackend({ device }),
    // sin, cos and log in float32 cannot equal V8's double-precision Box-Muller bit for bit; uniforms stay bitwise.
    tolerance: { randnApproximate: true },
    memoryIterations: 1000,
  });
} else if (retry) {
  // Dawn loads libvulkan.so.1 through the library path, fixed at process start: rerun this file in a child that has it.
  describe("webgpu conformance (child process with Chromium's Vulkan loader)", () => {
    it("passes", async () => {
      const r = await runFileInChild(fileURLToPath(import.meta.url), retry);
      console.log(r.summary);
      expect(r.status, r.out.slice(-6000)).toBe(0);
    }, 900_000);
  });
} else {
  console.warn(`[webgpu] conformance skipped: ${reason}`);
  describe.skip(`webgpu conformance (skipped: ${reason})`, () => {
    it("needs a WebGPU adapter", () => undefined);
  });
}
