// Allocation limits of creation ops (torch.zeros / ones / full / empty): too-large shapes give errors naming op, shape, bytes and device.

import { describe, expect, it } from "vitest";
import { empty, full, memoryReport, ones, zeros } from "@tsorch/tensor";

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("creation ops at the machine's limits", () => {
  const cases: [string, () => unknown][] = [
    ["zeros", () => zeros([1e6, 1e6])],
    ["ones", () => ones([1e6, 1e6])],
    ["full", () => full([1e6, 1e6], 0.5)],
    ["empty", () => empty([1e6, 1e6])],
  ];
  it.each(cases)("%s([1e6, 1e6]) names the op, shape, bytes and device instead of V8's message alone", (op, f) => {
    const e = errorOf(f);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toContain(`${op}:`);
    expect(e.message).toContain("[1000000, 1000000]");
    expect(e.message).toMatch(/\d{12,} bytes/);
    expect(e.message).toContain('device "cpu"');
  });

  it("refuses shapes with more than 2^53 elements before allocating", () => {
    const e = errorOf(() => zeros([2 ** 30, 2 ** 30, 2 ** 30]));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/zeros: .*more than 2\^53/);
  });

  it("still creates ordinary tensors", async () => {
    expect(Array.from((await zeros([2, 2]).data()) as Float32Array)).toEqual([0, 0, 0, 0]);
  });
});

describe("op results at the machine's limits (every new storage goes through one allocation path)", () => {
  it("a matmul whose output is too big names matmul, the output shape, bytes and device", () => {
    const a = zeros([1e6, 1]);
    const b = zeros([1, 1e6]);
    const e = errorOf(() => a.matmul(b));
    expect(e).toBeInstanceOf(RangeError);
    // The kernel's output may carry matmul's batch dimension ([1, M, N]).
    expect(e.message).toMatch(/^matmul: cannot allocate a float32 tensor of shape \[(1, )?1000000, 1000000\] \(1000000000000 elements, 4000000000000 bytes\) on device "cpu"/);
    a.dispose();
    b.dispose();
  });

  it("a broadcast whose output is too big names the op", () => {
    const a = zeros([1e6, 1]);
    const b = zeros([1, 1e6]);
    const e = errorOf(() => a.add(b));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^add: cannot allocate a float32 tensor of shape \[1000000, 1000000\]/);
    a.dispose();
    b.dispose();
  });

  it("a failed op leaves no live storage behind", () => {
    const a = zeros([1e6, 1]);
    const b = zeros([1, 1e6]);
    const before = memoryReport().liveStorages;
    errorOf(() => a.mul(b));
    expect(memoryReport().liveStorages).toBe(before);
    a.dispose();
    b.dispose();
  });

  it("a creation op keeps its own name when the allocation happens in the op it runs", () => {
    expect(errorOf(() => full([1e6, 1e6], 0.5)).message).toMatch(/^full: /);
  });
});
