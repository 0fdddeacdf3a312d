// WebGPU error surfacing: kernel-flagged errors, device loss, dtype refusal, limits and the missing readSync all say what happened and what to do.
/// <reference types="@webgpu/types" />

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { gather, registerBackend, remainder, scope, tensor, toAsync, zeros } from "@tsorch/tensor";
import { unregisterBackend } from "@tsorch/tensor/backend";
import { createWebGPUBackend, type WebGPUBackend } from "./webgpu-backend.js";
import { runFileInChild, testDevice, vulkanRetryEnv } from "./test-device.js";

const { device, reason } = await testDevice();
const retry = device ? null : await vulkanRetryEnv();
if (!device && !retry) console.warn(`[webgpu] error tests skipped: ${reason}`);

describe.skipIf(!retry)("webgpu errors (child process with Chromium's Vulkan loader)", () => {
  it("passes", async () => {
    const r = await runFileInChild(fileURLToPath(import.meta.url), retry!);
    console.log(r.summary);
    expect(r.status, r.out.slice(-6000)).toBe(0);
  }, 600_000);
});

describe.skipIf(!device)("webgpu errors", () => {
  const make = async (name: string): Promise<WebGPUBackend> => {
    const b = await createWebGPUBackend({ device: device!, name });
    registerBackend(b);
    return b;
  };

  it("out-of-range indices reject the read with the op, index and size", async () => {
    await make("webgpu");
    await scope(async () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32", device: "webgpu" });
      const idx = tensor([[0, 7], [1, 2]], { device: "webgpu" });
      const y = gather(x, 1, idx);
      await expect(y.data()).rejects.toThrow(/gather: index 7 is out of bounds for dimension 1 with size 3/);
      // The error is reported once; the device keeps working.
      expect(Array.from((await x.add(1).data()) as Float32Array)).toEqual([2, 3, 4, 5, 6, 7]);
    });
  });

  it("integer division by zero is an error, not a silent zero", async () => {
    await scope(async () => {
      const a = tensor([5, 6], { dtype: "int32", device: "webgpu" });
      const b = tensor([2, 0], { dtype: "int32", device: "webgpu" });
      await expect(remainder(a, b).data()).rejects.toThrow(/remainder: integer division by zero/);
    });
  });

  it("float64 is refused with the fix, and dataSync says to await data()", async () => {
    await scope(async () => {
      expect(() => zeros([2], { dtype: "float64", device: "webgpu" })).toThrow(/webgpu/);
      const x = tensor([1, 2], { dtype: "float32", device: "webgpu" });
      expect(() => x.dataSync()).toThrow(/await t\.data\(\)/);
      const back = await toAsync(x, "cpu");
      expect(Array.from(back.dataSync() as Float32Array)).toEqual([1, 2]);
    });
  });

  it("a buffer above the device limit names the limit", async () => {
    const b = await make("webgpu-limits");
    const limit = Math.min(device!.limits.maxBufferSize, device!.limits.maxStorageBufferBindingSize);
    expect(() => b.alloc("float32", Math.ceil(limit / 4) + 1)).toThrow(/maxBufferSize \/ maxStorageBufferBindingSize limit of \d+ bytes/);
    unregisterBackend("webgpu-limits");
  });

  it("a lost device fails the next op instead of returning zeros", async () => {
    const own = (await testDeviceFresh())!;
    const b = await createWebGPUBackend({ device: own, name: "webgpu-lost" });
    registerBackend(b);
    const x = tensor([1, 2, 3], { dtype: "float32", device: "webgpu-lost" });
    b.destroy();
    await new Promise((r) => setTimeout(r, 50));
    let err: unknown;
    try {
      await x.add(1).data();
    } catch (e) {
      err = e;
    }
    expect(String(err)).toMatch(/lost|destroyed|webgpu/i);
    unregisterBackend("webgpu-lost");
  });
});

// A second device, so destroying it does not take the shared one down.
async function testDeviceFresh(): Promise<GPUDevice | null> {
  const { requestDevice } = await import("./acquire.js");
  return (await requestDevice()).device;
}
