// torch.backends(): which backend serves "cpu" (the native addon when built) and why, and the thread count API.

import { describe, expect, it } from "vitest";
import * as torch from "tsorch";
import { loadAddon } from "@tsorch/backend-cpu";

describe("backends()", () => {
  it('reports "cpu" and "cpu-ts" with a reason, native exactly when the addon loads', () => {
    const report = torch.backends();
    const cpu = report.find((r) => r.device === "cpu");
    const ts = report.find((r) => r.device === "cpu-ts");
    expect(cpu?.reason.length).toBeGreaterThan(0);
    expect(ts?.backend).toBe("typescript");
    const { addon, reason } = loadAddon();
    expect(cpu?.backend).toBe(addon ? "native" : "typescript");
    if (!addon) expect(cpu?.reason).toContain(reason);
    console.log(`tsorch backends: cpu served by ${cpu?.backend} (${cpu?.reason})`);
  });

  it("user code runs unchanged on whatever serves cpu, with synchronous reads", () => {
    const x = torch.randn([64, 64]);
    const y = x.matmul(x.t()).add(1).softmax(-1);
    expect(y.device).toBe("cpu");
    const rows = y.sum(-1).dataSync() as Float32Array;
    for (const v of rows) expect(v).toBeCloseTo(1, 5);
    const before = torch.getNumThreads();
    torch.setNumThreads(1);
    expect(torch.getNumThreads()).toBe(1);
    torch.setNumThreads(before);
  });
});
