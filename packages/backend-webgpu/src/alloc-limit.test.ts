// WebGPU at its buffer limits: creation ops and op results (matmul, broadcast) above maxBufferSize / maxStorageBufferBindingSize name the op, shape, bytes, device and the limit.
/// <reference types="@webgpu/types" />

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memoryReport, registerBackend, zeros } from "@tsorch/tensor";
import { createWebGPUBackend } from "./webgpu-backend.js";
import { runFileInChild, testDevice, vulkanRetryEnv } from "./test-device.js";

const { device, reason } = await testDevice();
const retry = device ? null : await vulkanRetryEnv();
if (!device && !retry) console.warn(`[webgpu] allocation-limit tests skipped: ${reason}`);

describe.skipIf(!retry)("webgpu allocation limits (child process with Chromium's Vulkan loader)", () => {
  it("passes", async () => {
    const r = await runFileInChild(fileURLToPath(import.meta.url), retry!);
    console.log(r.summary);
    expect(r.status, r.out.slice(-6000)).toBe(0);
  }, 600_000);
});

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe.skipIf(!device)("webgpu allocation limits", async () => {
  const limit = device ? Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize) : 0;
  // m * m float32 is just above the limit while the m-element inputs are tiny: nothing large is ever allocated.
  const m = Math.ceil(Math.sqrt(limit / 4)) + 1;
  if (device) {
    registerBackend(await createWebGPUBackend({ device, name: "webgpu-alloc" }));
    console.log(`[webgpu] allocation limits: buffer limit ${limit} bytes, test side ${m}`);
  }
  const message = (op: string) =>
    new RegExp(`^${op}: cannot allocate a float32 tensor of shape \\[(1, )?${m}, ${m}\\] \\(${m * m} elements, ${m * m * 4} bytes\\) on device "webgpu-alloc": .*maxBufferSize / maxStorageBufferBindingSize limit of ${limit} bytes`);

  it("zeros above the limit", () => {
    const e = errorOf(() => zeros([m, m], { device: "webgpu-alloc" }));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(message("zeros"));
  });

  it("a matmul whose output is above the limit", () => {
    const a = zeros([m, 1], { device: "webgpu-alloc" });
    const b = zeros([1, m], { device: "webgpu-alloc" });
    expect(errorOf(() => a.matmul(b)).message).toMatch(message("matmul"));
    a.dispose();
    b.dispose();
  });

  it("a broadcast whose output is above the limit, leaving no storage behind", () => {
    const a = zeros([m, 1], { device: "webgpu-alloc" });
    const b = zeros([1, m], { device: "webgpu-alloc" });
    const before = memoryReport().liveStorages;
    expect(errorOf(() => a.add(b)).message).toMatch(message("add"));
    expect(memoryReport().liveStorages).toBe(before);
    a.dispose();
    b.dispose();
  });
});
