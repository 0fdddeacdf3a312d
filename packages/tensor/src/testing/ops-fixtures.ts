// Op goldens (fixtures models/ops/: ops.jsonl + ops.safetensors): loading, evaluating each case's `expr` with tsorch, and the tolerance rule.

import type { DType, StorageArray } from "../backend/dtype.js";
import { DTYPE_FROM_SAFETENSORS } from "../safetensors/format.js";
import { loadSafetensors } from "../safetensors/index.js";
import { scope } from "../memory.js";
import { Tensor } from "../tensor.js";
import { evalPyExpr } from "./py-eval.js";
import { PyNum, PyObject, PySeq, type PyValue } from "./py-values.js";

/** An input of a case: a tensor in ops.safetensors. */
export interface OpsTensorRef {
  readonly key: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly requires_grad?: boolean;
}

/** An output (or gradient) of a case, with the float64-replay error estimate and scale of the tolerance rule. */
export interface OpsOutputRef extends OpsTensorRef {
  readonly f64_err?: number;
  readonly scale?: number;
}

/** One line of ops.jsonl. */
export interface OpsCase {
  readonly name: string;
  readonly expr: string;
  /** The raw params (numbers lose int/float here; `pyParams` keeps it). */
  readonly params: Readonly<Record<string, unknown>>;
  /** The params as interpreter values: `0.0` stays a Python float. */
  readonly pyParams: Readonly<Record<string, PyValue>>;
  readonly inputs: Readonly<Record<string, OpsTensorRef>>;
  readonly outputs: readonly OpsOutputRef[];
  readonly upstream?: readonly { key: string; output?: string }[];
  readonly grads?: Readonly<Record<string, OpsOutputRef>>;
  readonly differentiable?: boolean;
}

/** The loaded goldens. */
export interface OpsFixtures {
  /** The folder holding ops.jsonl and ops.safetensors. */
  readonly dir: string;
  readonly cases: readonly OpsCase[];
  /** Every tensor of ops.safetensors by key (`<case>.in.<arg>`, `<case>.out[.<i>]`, …). */
  readonly tensors: Readonly<Record<string, Tensor>>;
}

/** Parses JSON keeping whether each number was written as a float (`1.0`), since Python's int/float decides dtypes. */
function parsePyJson(text: string): PyValue {
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i] ?? "")) i++;
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const attrs: Record<string, PyValue> = {};
      ws();
      if (text[i] === "}") return i++, new PyObject("dict", attrs);
      for (;;) {
        ws();
        const k = value();
        ws();
        if (text[i++] !== ":") throw new SyntaxError(`ops.jsonl: expected ':' at ${i - 1}.`);
        attrs[String(k)] = value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i++] === "}") return new PyObject("dict", attrs);
        else throw new SyntaxError(`ops.jsonl: expected ',' or '}' at ${i - 1}.`);
      }
    }
    if (c === "[") {
      i++;
      const items: PyValue[] = [];
      ws();
      if (text[i] === "]") return i++, new PySeq(items, "list");
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i++] === "]") return new PySeq(items, "list");
        else throw new SyntaxError(`ops.jsonl: expected ',' or ']' at ${i - 1}.`);
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) throw new SyntaxError(`ops.jsonl: unterminated string at ${i}.`);
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const lit = /^(?:true|false|null|NaN|-?Infinity|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!lit) throw new SyntaxError(`ops.jsonl: unexpected ${JSON.stringify(text.slice(i, i + 10))} at ${i}.`);
    i += lit[0].length;
    const s = lit[0];
    if (s === "true" || s === "false") return s === "true";
    if (s === "null") return null;
    return new PyNum(Number(s), /[.eEIN]/.test(s));
  };
  return value();
}

/**
 * Parses ops.jsonl (one case per non-empty line).
 * @example const cases = parseOpsJsonl(readFileSync("ops.jsonl", "utf8"))
 */
export function parseOpsJsonl(text: string): OpsCase[] {
  return text
    .split(/\r?\n/)
    .map((l, n) => [l.trim(), n + 1] as const)
    .filter(([l]) => l.length > 0)
    .map(([line, n]) => {
      let raw: Record<string, unknown>;
      let py: PyValue;
      try {
        raw = JSON.parse(line) as Record<string, unknown>;
        py = parsePyJson(line);
      } catch (e) {
        throw new SyntaxError(`ops.jsonl line ${n}: not valid JSON (${(e as Error).message}).`);
      }
      if (typeof raw.name !== "string" || typeof raw.expr !== "string" || !Array.isArray(raw.outputs))
        throw new TypeError(`ops.jsonl line ${n}: expected "name", "expr" and "outputs" fields.`);
      const params = (py instanceof PyObject ? py.attrs.params : null) ?? null;
      return {
        ...(raw as unknown as OpsCase),
        params: (raw.params ?? {}) as Record<string, unknown>,
        pyParams: params instanceof PyObject ? params.attrs : {},
        inputs: (raw.inputs ?? {}) as Record<string, OpsTensorRef>,
      };
    });
}

/**
 * Builds the goldens from the two files' contents (no file system needed: works in browsers too).
 * @example const fx = opsFixturesFromBytes(jsonlText, safetensorsBytes, "models/ops")
 */
export function opsFixturesFromBytes(jsonl: string, safetensors: Uint8Array, dir = "<memory>"): OpsFixtures {
  return { dir, cases: parseOpsJsonl(jsonl), tensors: loadSafetensors(safetensors) };
}

interface NodeFs {
  existsSync(p: string): boolean;
  readFileSync(p: string, enc?: string): Uint8Array | string;
}

// process.getBuiltinModule keeps node:fs out of static imports, so browser bundles of this module stay clean.
function nodeFs(): NodeFs | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:fs") as NodeFs | undefined;
}

function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

/**
 * Where the goldens are looked for: `$TSORCH_FIXTURES` (when set); inside the tsorch repository (this file run from
 * its source) also `<repo>/../shared/fixtures`. An installed package has no default: `root` is "" and
 * {@link loadOpsFixtures} finds nothing.
 * @example const { root, explicit } = opsFixturesRoot()
 */
export function opsFixturesRoot(): { root: string; explicit: boolean } {
  const explicit = env("TSORCH_FIXTURES");
  if (explicit) return { root: explicit.replace(/\/+$/, ""), explicit: true };
  // Only from source (<repo>/packages/tensor/src/testing/ops-fixtures.ts): five levels up is the repo's parent.
  if (!import.meta.url.endsWith("/src/testing/ops-fixtures.ts")) return { root: "", explicit: false };
  const url = new URL("../../../../../shared/fixtures", import.meta.url);
  return { root: decodeURIComponent(url.pathname).replace(/\/+$/, ""), explicit: false };
}

/**
 * Folders that may hold ops.jsonl under a fixtures root (lenient: `<root>/models/ops`, `<root>/ops`, `<root>`).
 * @example opsFixturesCandidates("/data/fixtures")[0] // "/data/fixtures/models/ops"
 */
export function opsFixturesCandidates(root: string): string[] {
  return [`${root}/models/ops`, `${root}/ops`, root, `${root}/fixtures/models/ops`];
}

/**
 * Finds and loads the op goldens from disk (Node). Returns null when no folder has them; the caller decides whether
 * that is a skip (no fixtures around) or a failure (`$TSORCH_FIXTURES` set).
 * @example const fx = loadOpsFixtures(); if (fx) console.log(fx.cases.length)
 */
export function loadOpsFixtures(root = opsFixturesRoot().root): OpsFixtures | null {
  if (!root) return null;
  const fs = nodeFs();
  if (!fs) throw new Error("loadOpsFixtures: needs Node's file system (Node >= 20.16); elsewhere use opsFixturesFromBytes.");
  for (const dir of opsFixturesCandidates(root)) {
    const jsonl = `${dir}/ops.jsonl`;
    const st = `${dir}/ops.safetensors`;
    if (!fs.existsSync(jsonl)) continue;
    if (!fs.existsSync(st)) throw new Error(`loadOpsFixtures: found ${jsonl} but not ${st}; the goldens come as a pair.`);
    const bytes = fs.readFileSync(st) as Uint8Array;
    return opsFixturesFromBytes(fs.readFileSync(jsonl, "utf8") as string, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), dir);
  }
  return null;
}

/**
 * The golden tensor of a key, with a clear error when the file lacks it.
 * @example const golden = opsTensor(fx, "unary_exp.out")
 */
export function opsTensor(fx: OpsFixtures, key: string): Tensor {
  const t = fx.tensors[key];
  if (!t) throw new Error(`ops fixtures: key ${JSON.stringify(key)} is not in ${fx.dir}/ops.safetensors.`);
  return t;
}

/**
 * The names an `expr` sees: each input as its golden tensor and each param as a Python value. With `leaves`, inputs
 * marked `requires_grad` become fresh leaves that require gradients (detached views the caller disposes), for backward checks.
 * @example evalPyExpr(c.expr, opsCaseEnv(fx, c))
 */
export function opsCaseEnv(fx: OpsFixtures, c: OpsCase, opts: { leaves?: boolean } = {}): Record<string, PyValue> {
  const out: Record<string, PyValue> = { ...c.pyParams };
  for (const [name, ref] of Object.entries(c.inputs)) {
    const t = opsTensor(fx, ref.key);
    out[name] = opts.leaves && ref.requires_grad ? t.detach().requiresGrad_() : t;
  }
  return out;
}

/**
 * Runs a case's forward expression with tsorch; the outputs are returned in `outputs[i]` order.
 * @example const [values, indices] = evaluateOpsCase(fx, fx.cases.find((c) => c.name === "max_dim")!)
 */
export function evaluateOpsCase(fx: OpsFixtures, c: OpsCase): Tensor[] {
  const outs = evalPyExpr(c.expr, opsCaseEnv(fx, c));
  if (outs.length !== c.outputs.length)
    throw new RangeError(`ops case ${c.name}: expr ${JSON.stringify(c.expr)} gave ${outs.length} tensors but the golden lists ${c.outputs.length} outputs.`);
  return outs;
}

/** The result of comparing one tensor with its golden. */
export interface OpsComparison {
  readonly ok: boolean;
  /** max |ours - golden| (0 for exact matches, Infinity for a shape/dtype/NaN-placement mismatch). */
  readonly maxAbs: number;
  /** The allowed error: 1e-4 · scale + 10 · f64_err for floats, 0 for integer and bool tensors. */
  readonly tol: number;
  readonly message: string;
}

const FLOAT_STORAGE = new Set(["float32", "float64"]);

function toNumbers(a: StorageArray, dtype: DType, t: Tensor): ArrayLike<number> {
  if (dtype === "float16" || dtype === "bfloat16") return t.to("float32").dataSync() as Float32Array;
  return a as ArrayLike<number>;
}

/**
 * Compares a tensor with a golden using the fixtures' rule: floats within `1e-4 · scale + 10 · f64_err`
 * (NaN and ±inf must sit at the same places), integer and bool tensors exactly; shape and dtype must match.
 * @example const r = compareWithGolden(ours, golden, c.outputs[0]); if (!r.ok) throw new Error(r.message)
 */
export function compareWithGolden(ours: Tensor, golden: Tensor, ref: OpsOutputRef, label = ref.key): OpsComparison {
  const fail = (message: string): OpsComparison => ({ ok: false, maxAbs: Infinity, tol: 0, message: `${label}: ${message}` });
  const want = DTYPE_FROM_SAFETENSORS[ref.dtype] ?? golden.dtype;
  if (ours.shape.length !== golden.shape.length || ours.shape.some((s, i) => s !== golden.shape[i]))
    return fail(`shape [${ours.shape.join(", ")}] != golden [${golden.shape.join(", ")}]`);
  if (ours.dtype !== want) return fail(`dtype ${ours.dtype} != golden ${want}`);
  const a = ours.dataSync();
  const b = golden.dataSync();
  if (!FLOAT_STORAGE.has(want) && want !== "float16" && want !== "bfloat16") {
    for (let i = 0; i < a.length; i++)
      if (a[i] !== b[i]) return { ok: false, maxAbs: Infinity, tol: 0, message: `${label}: element ${i} is ${a[i]}, golden ${b[i]} (exact match required)` };
    return { ok: true, maxAbs: 0, tol: 0, message: `${label}: exact` };
  }
  const x = toNumbers(a, want, ours);
  const y = toNumbers(b, want, golden);
  const tol = 1e-4 * (ref.scale ?? 0) + 10 * (ref.f64_err ?? 0);
  let maxAbs = 0;
  let worst = -1;
  for (let i = 0; i < x.length; i++) {
    const p = x[i];
    const q = y[i];
    if (Number.isNaN(p) || Number.isNaN(q) || !Number.isFinite(p) || !Number.isFinite(q)) {
      if (Object.is(p, q) || (Number.isNaN(p) && Number.isNaN(q))) continue;
      return { ok: false, maxAbs: Infinity, tol, message: `${label}: element ${i} is ${p}, golden ${q}` };
    }
    const d = Math.abs(p - q);
    if (d > maxAbs) [maxAbs, worst] = [d, i];
  }
  const ok = maxAbs <= tol;
  const where = worst >= 0 ? ` (worst element ${worst}: ${x[worst]} vs golden ${y[worst]})` : "";
  return { ok, maxAbs, tol, message: `${label}: max|diff| ${maxAbs.toExponential(3)} ${ok ? "<=" : ">"} tol ${tol.toExponential(3)}${where}` };
}

/**
 * Evaluates a case and compares every forward output with its golden; intermediates are freed.
 * @example for (const c of fx.cases) for (const r of checkOpsCaseForward(fx, c)) expect(r.ok, r.message).toBe(true)
 */
export function checkOpsCaseForward(fx: OpsFixtures, c: OpsCase): OpsComparison[] {
  return scope(() => {
    const outs = evaluateOpsCase(fx, c);
    return c.outputs.map((ref, i) => compareWithGolden(outs[i], opsTensor(fx, ref.key), ref, `${c.name} outputs[${i}]`));
  });
}
