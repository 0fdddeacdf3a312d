// The trainers' progress bars: frames only on a terminal, none when disabled or in a log; BPE training draws one.
import { afterEach, describe, expect, it, vi } from "vitest";
import { progress } from "./progress.js";
import { BpeTrainer } from "../bpe-trainer.js";

const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (t: string) => out.push(t) } };
};

describe("trainer progress", () => {
  afterEach(() => vi.restoreAllMocks());

  it("draws \\r frames and a final newline on a terminal", () => {
    const { out, stream } = sink(true);
    const bar = progress(true, "Compute merges", 10, stream);
    bar.update(0);
    bar.finish();
    expect(out[0]).toMatch(/^\r\[-+\] Compute merges 0\/10$/);
    expect(out.at(-1)).toBe("\n");
    expect(out.at(-2)).toMatch(/Compute merges 10\/10$/);
  });

  it("writes nothing to a non-terminal stream or when disabled", () => {
    const log = sink(false);
    progress(true, "x", 3, log.stream).finish();
    const off = sink(true);
    progress(false, "x", 3, off.stream).finish();
    expect(log.out).toEqual([]);
    expect(off.out).toEqual([]);
  });

  it("BpeTrainer shows its bar only with showProgress", () => {
    const err = process.stderr as { isTTY?: boolean };
    const was = err.isTTY;
    err.isTTY = true;
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const words = new Map([["hello", 3], ["help", 2], ["yellow", 1]]);
      new BpeTrainer({ vocabSize: 20, showProgress: false }).train(words);
      expect(write).not.toHaveBeenCalled();
      new BpeTrainer({ vocabSize: 20, showProgress: true }).train(words);
      expect(write.mock.calls.map((c) => String(c[0])).join("")).toMatch(/Compute merges/);
    } finally {
      err.isTTY = was;
    }
  });
});
