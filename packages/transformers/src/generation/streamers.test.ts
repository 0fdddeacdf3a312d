// Streaming: the pieces streamText yields, joined, are the decoded generation; pieces arrive before generation ends.
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { tensor, type Tensor } from "@tsorch/tensor";
import { opsFixturesRoot } from "@tsorch/tensor/testing";
import { AutoModelForCausalLM, AutoTokenizer, TextStreamer, streamText } from "@tsorch/transformers";

const stories = join(opsFixturesRoot().root, "..", "pretrained", "stories260k");
const have = existsSync(join(stories, "model.safetensors"));
if (!have) console.warn(`streaming: SKIPPED, no ${stories}`);

describe.skipIf(!have)("streaming generation (stories260k)", () => {
  it("streamText yields pieces whose concatenation is the generated text", async () => {
    const model = await AutoModelForCausalLM.fromPretrained(stories);
    const tok = await AutoTokenizer.fromPretrained(stories);
    const ids = tensor([tok.encode("Lily and Tom")], { dtype: "int64" });
    const pieces: string[] = [];
    for await (const p of streamText(model, tok, ids, { maxNewTokens: 40 })) pieces.push(p);
    const full = (await model.generate(ids, { maxNewTokens: 40 })) as Tensor;
    const row = ((await full.tolist()) as number[][])[0];
    expect(pieces.join("")).toBe(tok.decode(row.slice(ids.shape[1]), { skipSpecialTokens: true, cleanUpTokenizationSpaces: false }));
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.slice(0, -1).every((p) => p.endsWith(" ") || p.endsWith("\n"))).toBe(true);
  });

  it("TextStreamer releases whole words through a callback", async () => {
    const model = await AutoModelForCausalLM.fromPretrained(stories);
    const tok = await AutoTokenizer.fromPretrained(stories);
    const got: string[] = [];
    const s = new TextStreamer(tok, (p) => got.push(p));
    await model.generate(tensor([[1]], { dtype: "int64" }), { maxNewTokens: 20, onTokens: s.onTokens });
    s.end();
    expect(got.join("").startsWith("Once upon a time")).toBe(true);
  });
});
