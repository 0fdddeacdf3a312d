// The native CPU backend at the machine's limits: creation ops and op results it cannot hold name the op, shape, bytes and device, and scratch buffers fail cleanly.

import { describe, expect, it } from "vitest";
import { memoryReport, zeros } from "@tsorch/tensor";
import { getBackend, registerBackend, type Backend, type StorageArray } from "@tsorch/tensor/backend";
import { createNativeCpuBackend, loadAddon } from "./index.js";

const { addon, reason } = loadAddon();
if (!addon) console.warn(`backend-cpu allocation limits: SKIPPED, ${reason}`);

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe.skipIf(!addon)("native backend allocation limits", () => {
  // The native backend's storage is the TypeScript backend's allocator (host typed arrays), through Tensor.empty.
  registerBackend(createNativeCpuBackend(addon!, getBackend("cpu-ts") as Backend<StorageArray>, { name: "cpu-native-alloc", minElements: 0, minMacs: 0 }));
  const at = { device: "cpu-native-alloc" } as const;

  it("zeros([1e6, 1e6]) names the op, shape, bytes and device", () => {
    const e = errorOf(() => zeros([1e6, 1e6], at));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^zeros: cannot allocate a float32 tensor of shape \[1000000, 1000000\] \(1000000000000 elements, 4000000000000 bytes\) on device "cpu-native-alloc"/);
  });

  it("a native matmul and a broadcast whose outputs are too big name their op and free what they made", () => {
    const a = zeros([1e6, 1], at);
    const b = zeros([1, 1e6], at);
    const before = memoryReport().liveStorages;
    expect(errorOf(() => a.matmul(b)).message).toMatch(/^matmul: cannot allocate a float32 tensor of shape \[(1, )?1000000, 1000000\] .* on device "cpu-native-alloc"/);
    expect(errorOf(() => a.mul(b)).message).toMatch(/^mul: cannot allocate a float32 tensor of shape \[1000000, 1000000\]/);
    expect(memoryReport().liveStorages).toBe(before);
    a.dispose();
    b.dispose();
  });
});
