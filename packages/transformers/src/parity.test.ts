// Parity with Python transformers 4.37 on every fixture model: forward outputs, loss, gradients, 3 AdamW steps, save/load.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scope, type Tensor } from "@tsorch/tensor";
import { safeOpen } from "@tsorch/tensor/node";
import { AdamW } from "@tsorch/optim";
import { classByName, type ModelConstructor, type PreTrainedModel } from "@tsorch/transformers";
import { compare, fieldOf, fixtureNames, fixturesExplicit, fixturesRoot, inputsOf, loadFixture, type Comparison, type FixtureModel } from "./parity.test-util.js";

const skipAll = fixtureNames.length === 0 && !fixturesExplicit;
if (skipAll) console.warn(`transformers parity: SKIPPED, no models/*/goldens.json under ${fixturesRoot} (set TSORCH_FIXTURES to the fixtures folder)`);

type Out = Record<string, unknown>;
const stats = { models: 0, tensors: 0, skipped: [] as string[] };

/** The model's output field for a golden key (`forward.hidden_states.1` → out.hiddenStates[1]). */
function pick(out: Out, key: string): Tensor | undefined {
  const [field, i] = fieldOf(key);
  const v = out[field];
  return (i === null ? v : (v as Tensor[] | undefined)?.[i]) as Tensor | undefined;
}

/** The scalar the goldens differentiate: the model's loss, or for headless models Σ out·upstream (README). */
function lossOf(fx: FixtureModel, out: Out): Tensor {
  if (out.loss) return out.loss as Tensor;
  let total: Tensor | null = null;
  for (const k of Object.keys(fx.tensors).filter((k) => k.startsWith("upstream.")).sort()) {
    const v = pick(out, k.replace(/^upstream\./, "forward."));
    if (!v) throw new Error(`${fx.name}: the model gives no output for ${k}`);
    const term = v.mul(fx.tensors[k]).sum();
    total = total ? total.add(term) : term;
  }
  if (!total) throw new Error(`${fx.name}: no loss and no upstream.* tensors`);
  return total;
}

function check(fx: FixtureModel, results: Comparison[]): void {
  stats.tensors += results.length;
  const bad = results.filter((r) => !r.ok);
  expect(bad.map((r) => `${r.key}: max err ${r.maxErr.toExponential(3)} > ${r.bound.toExponential(3)}`), `${fx.name}`).toEqual([]);
}

const unstable = (fx: FixtureModel, key: string) => fx.goldens.unstable_tensors.includes(key) || !!fx.goldens.tensors[key]?.unstable;

async function load(cls: ModelConstructor, fx: FixtureModel): Promise<PreTrainedModel> {
  const warnings: string[] = [];
  const m = await cls.fromPretrained(fx.dir, { warn: (w) => warnings.push(w) });
  expect(warnings, `${fx.name}: loading the fixture reported missing or unused weights`).toEqual([]);
  return m;
}

const forward = (m: PreTrainedModel, inputs: Record<string, unknown>): Out => (m as unknown as { forward(i: unknown): Out }).forward(inputs);

describe.skipIf(skipAll)("HF fixture models (transformers 4.37 goldens)", () => {
  it("finds the fixture models", () => expect(fixtureNames.length, `no fixture models under ${fixturesRoot}`).toBeGreaterThan(0));

  afterAll(() => {
    console.log(`transformers parity: ${stats.models} model folders, ${stats.tensors} tensors checked; families not implemented: ${stats.skipped.join(", ") || "none"}`);
  });

  for (const name of fixtureNames) {
    describe(name, () => {
      let fx: FixtureModel;
      let cls: ModelConstructor | undefined;
      const ready = (async () => {
        fx = await loadFixture(name);
        cls = classByName(fx.goldens.class);
        if (!cls) stats.skipped.push(`${name} (${fx.goldens.class})`);
        else stats.models++;
      })();

      it("forward outputs: logits, every hidden state and attention map (eval)", async () => {
        await ready;
        if (!cls) return console.warn(`${name}: ${fx.goldens.class} is not implemented; skipped`);
        const model = await load(cls, fx);
        const inputs = inputsOf(fx);
        const seq2seq = "decoderInputIds" in inputs || fx.goldens.task === "seq2seq";
        const args = { ...inputs, ...(seq2seq ? {} : { labels: undefined, startPositions: undefined, endPositions: undefined }), outputHiddenStates: true, outputAttentions: true };
        scope(() => {
          const out = forward(model, args);
          const results: Comparison[] = [];
          for (const key of Object.keys(fx.tensors).filter((k) => k.startsWith("forward."))) {
            const got = pick(out, key);
            results.push(got ? compare(fx, key, got) : { key: `${key} (missing from the output)`, ok: false, maxErr: Infinity, bound: 0 });
          }
          check(fx, results);
        });
      });

      it("loss and the gradient of every parameter (train mode)", async () => {
        await ready;
        if (!cls) return;
        const model = await load(cls, fx);
        model.train();
        const out = forward(model, inputsOf(fx));
        const loss = lossOf(fx, out);
        const results: Comparison[] = [compare(fx, "loss", loss)];
        for (const key of Object.keys(fx.tensors).filter((k) => k.startsWith("train."))) {
          const got = pick(out, key);
          if (got) results.push(compare(fx, key, got));
        }
        loss.backward();
        for (const [pname, p] of model.namedParameters()) {
          const key = `grad.${pname}`;
          if (!fx.tensors[key]) continue;
          expect(p.grad, `${name}: ${pname} got no gradient`).toBeTruthy();
          if (unstable(fx, key)) {
            // Exactly zero in exact arithmetic: only check it is rounding noise.
            const g = p.grad!.abs().max().itemSync() as number;
            expect(g, `${name}: ${key} should be ~0`).toBeLessThan(1e-4);
            continue;
          }
          results.push(compare(fx, key, p.grad!));
        }
        check(fx, results);
      });

      it("3 AdamW steps: losses and parameters", async () => {
        await ready;
        if (!cls) return;
        const model = await load(cls, fx);
        model.train();
        const a = fx.goldens.adamw;
        const opt = new AdamW(model.parameters(), { lr: a.lr, weightDecay: a.weight_decay, betas: a.betas, eps: a.eps });
        const losses: number[] = [];
        for (let s = 0; s < a.steps; s++) {
          scope(() => {
            opt.zeroGrad();
            const loss = lossOf(fx, forward(model, inputsOf(fx)));
            losses.push(loss.itemSync() as number);
            loss.backward();
            opt.step();
          });
        }
        const want = Array.from(fx.tensors["adamw.losses"].to("float64").dataSync() as Float64Array);
        const results: Comparison[] = [];
        losses.forEach((l, i) => {
          const bound = 1e-4 * Math.abs(want[i]) + 1e-5;
          results.push({ key: `adamw.losses[${i}]`, ok: Math.abs(l - want[i]) <= bound, maxErr: Math.abs(l - want[i]), bound });
        });
        for (const [pname, p] of model.namedParameters()) {
          const key = `adamw.param.${pname}`;
          if (!fx.tensors[key] || unstable(fx, key)) continue;
          results.push(compare(fx, key, p));
        }
        check(fx, results);
      });

      it("load → save → load: same state dict, HF's file keys, same config", async () => {
        await ready;
        if (!cls) return;
        const model = await load(cls, fx);
        const dir = mkdtempSync(join(tmpdir(), `tsorch-${name}-`));
        try {
          await model.savePretrained(dir);
          const f = await safeOpen(join(dir, "model.safetensors"));
          const keys = f.keys();
          await f.close();
          expect(keys).toEqual([...fx.goldens.file_keys].sort());
          const again = await load(cls, { ...fx, dir });
          const a = model.stateDict();
          const b = again.stateDict();
          expect(Object.keys(b)).toEqual(Object.keys(a));
          expect(Object.keys(a)).toEqual(fx.goldens.state_dict_keys);
          for (const k of Object.keys(a)) expect(Array.from(b[k].contiguous().dataSync() as ArrayLike<number>), k).toEqual(Array.from(a[k].contiguous().dataSync() as ArrayLike<number>));
          const original = JSON.parse(readFileSync(join(fx.dir, "config.json"), "utf8"));
          const saved = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
          expect(saved).toEqual(original);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  }
});
