// Test helper: the HF fixture models (../shared/fixtures/models) — finding them, their goldens, inputs and the tolerance rule.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Tensor } from "@tsorch/tensor";
import { loadFile } from "@tsorch/tensor/node";
import { opsFixturesRoot } from "@tsorch/tensor/testing";
import { toCamel } from "@tsorch/transformers";

/** What goldens.json says of a tensor. */
export interface GoldenEntry {
  dtype: string;
  shape: number[];
  f64_err?: number;
  scale?: number;
  unstable?: boolean;
  tie_sensitive?: boolean;
}

/** goldens.json, the parts the tests read. */
export interface Goldens {
  model: string;
  class: string;
  task: string;
  parameters: [string, number[]][];
  state_dict_keys: string[];
  file_keys: string[];
  tied_weights_not_in_file: Record<string, string>;
  unstable_tensors: string[];
  tensors: Record<string, GoldenEntry>;
  adamw: { lr: number; weight_decay: number; betas: [number, number]; eps: number; steps: number };
  generation_beam?: { runs: Record<string, { kwargs: Record<string, unknown>; tie_sensitive: boolean }> };
  config_full: Record<string, unknown>;
}

/** One fixture model folder. */
export interface FixtureModel {
  name: string;
  dir: string;
  goldens: Goldens;
  tensors: Record<string, Tensor>;
}

const { root, explicit } = opsFixturesRoot();
/** Whether `$TSORCH_FIXTURES` was set (then missing fixtures fail instead of skipping). */
export const fixturesExplicit = explicit;
/** The folder holding the model folders, or null. */
export const modelsDir: string | null = [join(root, "models"), root].find((d) => existsSync(d) && readdirSync(d).some((n) => existsSync(join(d, n, "goldens.json")))) ?? null;
/** Names of the fixture model folders (each with config.json, model.safetensors, goldens.json, goldens.safetensors). */
export const fixtureNames: string[] = modelsDir ? readdirSync(modelsDir).filter((n) => existsSync(join(modelsDir, n, "goldens.json"))).sort() : [];
/** Where the fixtures were looked for, for skip messages. */
export const fixturesRoot = root;

/** Loads a fixture model's goldens (JSON and tensors). */
export async function loadFixture(name: string): Promise<FixtureModel> {
  const dir = join(modelsDir!, name);
  for (const f of ["config.json", "model.safetensors", "goldens.json", "goldens.safetensors"])
    if (!existsSync(join(dir, f))) throw new Error(`fixture ${name}: ${f} is missing from ${dir}`);
  const goldens = JSON.parse(readFileSync(join(dir, "goldens.json"), "utf8")) as Goldens;
  return { name, dir, goldens, tensors: await loadFile(join(dir, "goldens.safetensors")) };
}

/** The model inputs stored under `prefix` (`input.`), camelCased: `input.attention_mask` → `attentionMask`. */
export function inputsOf(fx: FixtureModel, prefix = "input."): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(fx.tensors)) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    if (rest.includes(".") || rest === "decoder_input_ids_from_labels") continue;
    out[toCamel(rest)] = t;
  }
  return out;
}

/** Result of comparing one tensor by the README's rule `max|ts - golden| <= 1e-4 * scale + 10 * f64_err`. */
export interface Comparison {
  key: string;
  ok: boolean;
  maxErr: number;
  bound: number;
}

/** Compares `got` with the golden tensor `key` by the tolerance rule (shapes must match). */
export function compare(fx: FixtureModel, key: string, got: Tensor): Comparison {
  const want = fx.tensors[key];
  const e = fx.goldens.tensors[key];
  if (!want) throw new Error(`${fx.name}: no golden ${key}`);
  if (want.shape.join() !== got.shape.join()) return { key: `${key} (shape [${got.shape}] vs [${want.shape}])`, ok: false, maxErr: Infinity, bound: 0 };
  const a = got.to("float64").contiguous().dataSync() as Float64Array;
  const b = want.to("float64").contiguous().dataSync() as Float64Array;
  let maxErr = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= maxErr)) maxErr = Number.isNaN(d) ? Infinity : d;
  }
  const bound = 1e-4 * (e?.scale ?? Math.max(...Array.from(b, Math.abs))) + 10 * (e?.f64_err ?? 0);
  return { key, ok: maxErr <= bound, maxErr, bound };
}

/** Integer tensors must match exactly. */
export function sameInts(a: Tensor, b: Tensor): boolean {
  if (a.shape.join() !== b.shape.join()) return false;
  const x = a.to("int64").contiguous().dataSync() as BigInt64Array;
  const y = b.to("int64").contiguous().dataSync() as BigInt64Array;
  return x.every((v, i) => v === y[i]);
}

/** The output field of a golden `forward.<field>` key, camelCased (`hidden_states.1` → ["hiddenStates", 1]). */
export function fieldOf(key: string): [string, number | null] {
  const rest = key.replace(/^(forward|train)\./, "");
  const m = /^(.*)\.(\d+)$/.exec(rest);
  return m ? [toCamel(m[1]), Number(m[2])] : [toCamel(rest), null];
}
