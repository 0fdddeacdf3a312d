// Tests for the examples' last step (examples/lib/ask.ts): --ask texts answered in order, and the terminal loop that ends on an empty line.
import { describe, expect, it } from "vitest";
import { PassThrough, Readable } from "node:stream";
import { answerEach, askAtTerminal } from "../examples/lib/ask.js";

const collect = () => {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (c: Buffer) => chunks.push(c.toString()));
  return { out, text: () => chunks.join("") };
};
const upper = async (s: string) => s.toUpperCase();

describe("examples' ask helpers", () => {
  it("answerEach prints `text  →  answer` for each text, in order", async () => {
    const { out, text } = collect();
    await answerEach(["one", "two"], upper, out);
    expect(text()).toBe("one  →  ONE\ntwo  →  TWO\n");
  });

  it("askAtTerminal answers each typed line until an empty one, and ignores what follows", async () => {
    const { out, text } = collect();
    const n = await askAtTerminal("Type a sentence", upper, { input: Readable.from(["first line\n  second  \n", "\nnever read\n"]), output: out, interactive: true });
    expect(n).toBe(2);
    expect(text()).toBe("\nType a sentence (an empty line ends):\n→ FIRST LINE\n→ SECOND\n");
  });

  it("askAtTerminal stops at the end of input, and reads nothing when not at a terminal", async () => {
    const { out, text } = collect();
    expect(await askAtTerminal("Ask", upper, { input: Readable.from(["only\n"]), output: out, interactive: true })).toBe(1);
    expect(text()).toContain("→ ONLY\n");
    const quiet = collect();
    expect(await askAtTerminal("Ask", upper, { input: Readable.from(["x\n"]), output: quiet.out, interactive: false })).toBe(0);
    expect(quiet.text()).toBe("");
  });
});
