// generate() against HF 4.37's greedy and beam-search goldens on every generative fixture model, and on stories260k.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { manualSeed, stack, tensor, type Tensor } from "@tsorch/tensor";
import { AutoModelForCausalLM, classByName, toCamel, type GenerateOutput, type PreTrainedModel } from "@tsorch/transformers";
import { compare, fixtureNames, fixturesExplicit, fixturesRoot, inputsOf, loadFixture, sameInts } from "../parity.test-util.js";

const skip = fixtureNames.length === 0 && !fixturesExplicit;
if (skip) console.warn(`generate goldens: SKIPPED, no fixture models under ${fixturesRoot}`);

/** Compares scores where -inf must stay -inf and finite values follow the tolerance rule. */
function compareScores(fxName: string, want: Tensor, got: Tensor, scale: number, f64: number): string | null {
  const a = got.contiguous().dataSync() as Float32Array;
  const b = want.contiguous().dataSync() as Float32Array;
  if (a.length !== b.length) return `${fxName}: scores of ${a.length} values, golden ${b.length}`;
  const bound = 1e-4 * scale + 10 * f64;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(b[i]) || !Number.isFinite(a[i])) {
      if (a[i] !== b[i]) return `${fxName}: score ${i} is ${a[i]}, golden ${b[i]}`;
    } else if (Math.abs(a[i] - b[i]) > bound) return `${fxName}: score ${i} differs by ${Math.abs(a[i] - b[i])} > ${bound}`;
  }
  return null;
}

let checked = 0;
describe.skipIf(skip)("generate() vs HF goldens", () => {
  for (const name of fixtureNames) {
    it(`${name}: greedy and beam search`, async () => {
      const fx = await loadFixture(name);
      if (!fx.tensors["generate.sequences"]) return;
      const cls = classByName(fx.goldens.class);
      if (!cls) return console.warn(`${name}: ${fx.goldens.class} is not implemented; generation skipped`);
      const model = (await cls.fromPretrained(fx.dir)) as PreTrainedModel;
      const prompt = inputsOf(fx, "generate.input.");
      const args = { inputIds: prompt.inputIds, attentionMask: prompt.attentionMask };
      const steps = fx.tensors["generate.scores"]?.shape[1] ?? 8;
      const greedy = (await model.generate(args, { maxNewTokens: steps, outputScores: true, returnDictInGenerate: true })) as GenerateOutput;
      expect(await greedy.sequences.tolist(), `${name}: greedy ids`).toEqual(await fx.tensors["generate.sequences"].tolist());
      if (fx.tensors["generate.scores"]) {
        const e = fx.goldens.tensors["generate.scores"];
        const stacked = greedy.scores!.length ? stack(greedy.scores!, 1) : null; // [B, steps, V]
        expect(stacked && compareScores(name, fx.tensors["generate.scores"], stacked, e.scale ?? 1, e.f64_err ?? 0)).toBeNull();
      }
      checked++;
      for (const [run, info] of Object.entries(fx.goldens.generation_beam?.runs ?? {})) {
        if (info.tie_sensitive) {
          console.warn(`${name}: ${run} is marked tie_sensitive; skipped as the README says`);
          continue;
        }
        const kw = Object.fromEntries(Object.entries(info.kwargs).map(([k, v]) => [toCamel(k), v]));
        const out = (await model.generate(args, { ...kw, outputScores: false, returnDictInGenerate: true })) as GenerateOutput;
        expect(sameInts(out.sequences, fx.tensors[`${run}.sequences`]), `${name}: ${run} ids ${JSON.stringify(out.sequences.tolistSync?.() ?? "")}`).toBe(true);
        const c = compare(fx, `${run}.sequences_scores`, out.sequencesScores!);
        expect(c.ok, `${name}: ${run} scores err ${c.maxErr} > ${c.bound}`).toBe(true);
        checked++;
      }
    });
  }
  it("reports what it checked", () => console.log(`generate goldens: ${checked} generation runs matched`));
});

const stories = join(fixturesRoot, "..", "pretrained", "stories260k");
const hasStories = existsSync(join(stories, "expected.json"));
if (!hasStories) console.warn(`stories260k: SKIPPED, no ${stories}/expected.json`);

describe.skipIf(!hasStories)("stories260k (a real trained Llama)", () => {
  interface Greedy {
    prompt: string;
    input_ids: number[];
    max_new_tokens: number;
    generated_ids: number[];
  }
  const expected = hasStories ? (JSON.parse(readFileSync(join(stories, "expected.json"), "utf8")) as { greedy: Greedy[]; first_positions_top5: { input_ids: number[]; ids: number[][]; logits: number[][] } }) : null;

  it("greedy generation reproduces every reference run token for token", async () => {
    const model = await AutoModelForCausalLM.fromPretrained(stories);
    for (const g of expected!.greedy) {
      const ids = tensor([g.input_ids], { dtype: "int64" });
      const out = (await model.generate(ids, { maxNewTokens: g.max_new_tokens })) as Tensor;
      const got = ((await out.tolist()) as number[][])[0].slice(g.input_ids.length);
      expect(got, `prompt ${JSON.stringify(g.prompt)}`).toEqual(g.generated_ids.slice(0, got.length));
      expect(got.length).toBe(Math.min(g.generated_ids.length, g.max_new_tokens));
    }
  });

  it("top-5 logits at the first positions match HF's", async () => {
    const model = await AutoModelForCausalLM.fromPretrained(stories);
    const fp = expected!.first_positions_top5;
    const out = (model as unknown as { forward(i: unknown): { logits: Tensor } }).forward({ inputIds: tensor([fp.input_ids], { dtype: "int64" }) });
    fp.ids.forEach((ids, pos) => {
      const row = out.logits.select(0, 0).select(0, pos);
      ids.forEach((id, j) => expect(Math.abs((row.select(0, id).itemSync() as number) - fp.logits[pos][j])).toBeLessThan(2e-4));
    });
  });

  it("sampling is reproducible from manualSeed and respects top-p", async () => {
    const model = await AutoModelForCausalLM.fromPretrained(stories);
    const ids = tensor([[1]], { dtype: "int64" });
    manualSeed(42);
    const a = await ((await model.generate(ids, { doSample: true, temperature: 0.8, topP: 0.9, maxNewTokens: 30 })) as Tensor).tolist();
    manualSeed(42);
    const b = await ((await model.generate(ids, { doSample: true, temperature: 0.8, topP: 0.9, maxNewTokens: 30 })) as Tensor).tolist();
    expect(a).toEqual(b);
    manualSeed(7);
    const c = await ((await model.generate(ids, { doSample: true, temperature: 1.5, maxNewTokens: 30 })) as Tensor).tolist();
    expect(c).not.toEqual(a);
  });
});
