// Allocation limits of creation ops (torch.zeros / ones / full / empty): too-large shapes give errors naming op, shape, bytes and device.

import { describe, expect, it } from "vitest";
import { empty, full, ones, zeros } from "@tsorch/tensor";

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
