// Keeps the README's usage example true: runs examples/readme-example.ts and checks it learned.

import { expect, it, vi } from "vitest";

it("the README example trains a classifier to high accuracy", async () => {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
  try {
    await import("../examples/readme-example.ts");
  } finally {
    spy.mockRestore();
  }
  const acc = Number(lines.find((l) => l.startsWith("accuracy"))?.split(" ")[1]);
  expect(acc).toBeGreaterThan(0.9);
  expect(lines.some((l) => l.startsWith("Sequential("))).toBe(true);
});
