// Fuzzing of config.json loading (fast-check, fixed seed): mutated fixture configs and random JSON through AutoConfig.fromPretrained give a config or an error naming the loader, never an engine error.
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { fuzzRuns, fuzzSeed } from "@tsorch/tensor/testing";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AutoConfig, PretrainedConfig } from "@tsorch/transformers";
import { modelsDir } from "../parity.test-util.js";

const RUNS = fuzzRuns(300);
const SEED = fuzzSeed();

const configs = modelsDir ? readdirSync(modelsDir).filter((n) => existsSync(join(modelsDir!, n, "config.json"))).sort() : [];
if (configs.length === 0) console.warn("[config fuzz] mutations of fixture configs SKIPPED: no model fixtures with a config.json (random JSON still runs)");

const work = mkdtempSync(join(tmpdir(), "tsorch-config-fuzz-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * The property: a PretrainedConfig, or an Error raised by the loader itself, whose message opens with the loader's
 * name (`AutoConfig`, `fromPretrained`, a config class) — never an engine message from deep inside.
 */
async function check(text: string): Promise<void> {
  writeFileSync(join(work, "config.json"), text);
  try {
    const cfg = await AutoConfig.fromPretrained(work);
    expect(cfg).toBeInstanceOf(PretrainedConfig);
    JSON.parse(cfg.toJsonString());
  } catch (e) {
    if (!(e instanceof Error) || !/^(AutoConfig|fromPretrained|\w+Config)\b/.test(e.message))
      throw new Error(`not an error of the config loader: ${String(e)}`, { cause: e });
  }
}

const value = fc.oneof(
  fc.constantFrom(-1, 0, 1e308, 2 ** 53 + 2, 0.5, "", "\u0000", null, [], {}, true, "bert", "gpt2", "__proto__", { "0": "a" }, [1, 2]),
  fc.jsonValue({ maxDepth: 2 }),
);
const KEYS = ["model_type", "num_labels", "id2label", "label2id", "hidden_size", "vocab_size", "architectures", "eos_token_id", "__proto__", "constructor", "problem_type", "tie_word_embeddings", "n_embd", "rope_scaling"];

describe("config.json loading under fuzzing", () => {
  it.skipIf(configs.length === 0)(`mutations of the fixture configs (${RUNS} cases)`, async () => {
    const parsed = configs.map((n) => JSON.parse(readFileSync(join(modelsDir!, n, "config.json"), "utf8")) as Record<string, unknown>);
    const mutation = fc.tuple(
      fc.nat({ max: parsed.length - 1 }),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.nat().map(String)), fc.option(value)), { minLength: 1, maxLength: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ([i, edits]) => {
        const obj: Record<string, unknown> = { ...parsed[i] };
        const keys = Object.keys(obj);
        for (const [k, v] of edits) {
          const key = /^\d+$/.test(k) ? keys[Number(k) % keys.length] : k;
          if (v === null) delete obj[key];
          else Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        }
        await check(JSON.stringify(obj));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`[config fuzz] mutations of ${configs.length} fixture configs: ${RUNS} cases, seed ${SEED}`);
  });

  it(`random JSON and text (${RUNS} cases)`, async () => {
    const text = fc.oneof(fc.json(), fc.string({ maxLength: 30 }), fc.dictionary(fc.constantFrom(...KEYS), value).map((d) => JSON.stringify(d)));
    await fc.assert(fc.asyncProperty(text, check), { seed: SEED, numRuns: RUNS });
    console.log(`[config fuzz] random JSON: ${RUNS} cases`);
  });

  describe("regression inputs (each was a TypeError or RangeError from deep inside before its fix)", () => {
    const cases: [string, string, RegExp][] = [
      ["config.json holding null", "null", /AutoConfig: .* must hold a JSON object, got null/],
      ["config.json holding an array", "[1]", /must hold a JSON object, got an array/],
      ["num_labels 1e308", JSON.stringify({ model_type: "bert", num_labels: 1e308 }), /BertConfig: numLabels must be a positive integer up to/],
      ["t5 feed_forward_proj that is not a string", JSON.stringify({ model_type: "t5", feed_forward_proj: [] }), /T5Config: feedForwardProj/],
    ];
    for (const [name, text, message] of cases)
      it(name, async () => {
        writeFileSync(join(work, "config.json"), text);
        await expect(AutoConfig.fromPretrained(work)).rejects.toThrow(message);
      });
  });
});
