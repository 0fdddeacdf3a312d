// The interpreter of golden `expr` strings: evaluates the parsed Python subset with names bound to tensors and params.

import { index, sl } from "../ops/index-spec.js";
import type { IndexSpec } from "../ops/index-spec.js";
import { tensor } from "../ops/creation.js";
import { Tensor } from "../tensor.js";
import { binaryOp, unaryOp } from "./py-arith.js";
import { callFunctional, callMethod, FUNCTIONAL } from "./py-functional.js";
import { callTorch, TORCH_DTYPES, TORCH_FUNCTIONS } from "./py-torch.js";
import { parsePyExpr, type PyNode, type PySub } from "./py-expr.js";
import {
  ELLIPSIS,
  PyDType,
  PyNum,
  PyObject,
  PySeq,
  PySlice,
  describe,
  float,
  int,
  intArg,
  num,
  tuple,
  type PyValue,
} from "./py-values.js";

const fnObject = (name: string, call: (args: PyValue[], kw: Record<string, PyValue>) => PyValue) => new PyObject(name, {}, call);

const FUNCTIONAL_MODULE = new PyObject(
  "torch.nn.functional",
  Object.fromEntries(Object.keys(FUNCTIONAL).map((k) => [k, fnObject(`F.${k}`, (a, kw) => callFunctional(k, a, kw))])),
);

const TORCH_MODULE = new PyObject("torch", {
  ...Object.fromEntries(Object.keys(TORCH_FUNCTIONS).map((k) => [k, fnObject(`torch.${k}`, (a, kw) => callTorch(k, a, kw))])),
  ...TORCH_DTYPES,
  inf: float(Infinity),
  nan: float(NaN),
  pi: float(Math.PI),
  e: float(Math.E),
  nn: new PyObject("torch.nn", { functional: FUNCTIONAL_MODULE }),
});

function pyFloat(args: PyValue[]): PyValue {
  const v = args[0] ?? float(0);
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    const special: Record<string, number> = { inf: Infinity, "+inf": Infinity, "-inf": -Infinity, infinity: Infinity, "-infinity": -Infinity, nan: NaN };
    if (s in special) return float(special[s]);
    const n = Number(s);
    if (s === "" || Number.isNaN(n)) throw new TypeError(`float(): could not convert string to float: ${JSON.stringify(v)}.`);
    return float(n);
  }
  return float(num(v, "float()"));
}

const mathFn = (name: string, f: (x: number) => number) => fnObject(`math.${name}`, (a) => float(f(num(a[0], `math.${name}`))));

const BUILTINS: Record<string, PyValue> = {
  torch: TORCH_MODULE,
  F: FUNCTIONAL_MODULE,
  float: fnObject("float", pyFloat),
  int: fnObject("int", (a) => int(Math.trunc(typeof a[0] === "string" ? Number(a[0]) : num(a[0], "int()")))),
  bool: fnObject("bool", (a) => num(a[0], "bool()") !== 0),
  len: fnObject("len", (a) => int(a[0] instanceof Tensor ? a[0].shape[0] : a[0] instanceof PySeq ? a[0].items.length : String(a[0]).length)),
  abs: fnObject("abs", (a) => (a[0] instanceof Tensor ? a[0].abs() : new PyNum(Math.abs(num(a[0], "abs()")), (a[0] as PyNum).float))),
  min: fnObject("min", (a) => pickNum(a, (x, y) => x < y)),
  max: fnObject("max", (a) => pickNum(a, (x, y) => x > y)),
  tuple: fnObject("tuple", (a) => tuple(a[0] instanceof PySeq ? a[0].items : [])),
  list: fnObject("list", (a) => new PySeq(a[0] instanceof PySeq ? [...a[0].items] : [], "list")),
  range: fnObject("range", (a) => {
    const [s, e, st] = a.length === 1 ? [0, intArg(a[0], "range"), 1] : [intArg(a[0], "range"), intArg(a[1], "range"), a[2] ? intArg(a[2], "range") : 1];
    const items: PyValue[] = [];
    for (let i = s; st > 0 ? i < e : i > e; i += st) items.push(int(i));
    return new PySeq(items, "list");
  }),
  math: new PyObject("math", {
    pi: float(Math.PI),
    e: float(Math.E),
    inf: float(Infinity),
    nan: float(NaN),
    sqrt: mathFn("sqrt", Math.sqrt),
    log: mathFn("log", Math.log),
    exp: mathFn("exp", Math.exp),
  }),
};

function pickNum(args: PyValue[], better: (x: number, y: number) => boolean): PyValue {
  const items = args.length === 1 && args[0] instanceof PySeq ? args[0].items : args;
  let best = items[0];
  for (const v of items.slice(1)) if (better(num(v, "min/max"), num(best, "min/max"))) best = v;
  return best;
}

/** Python's index normalisation for sequences. */
function seqIndex(seq: PySeq, sub: PyValue): PyValue {
  const n = seq.items.length;
  if (sub instanceof PySlice) {
    const step = sub.step ?? 1;
    if (step === 0) throw new RangeError("slice step cannot be zero.");
    const clamp = (v: number | null, dflt: number, lo: number, hi: number) => (v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, lo), hi));
    const out: PyValue[] = [];
    if (step > 0) for (let i = clamp(sub.lo, 0, 0, n), e = clamp(sub.hi, n, 0, n); i < e; i += step) out.push(seq.items[i]);
    else for (let i = clamp(sub.lo, n - 1, -1, n - 1), e = clamp(sub.hi, -1, -1, n - 1); i > e; i += step) out.push(seq.items[i]);
    return new PySeq(out, seq.kind);
  }
  const i = intArg(sub, "index");
  if (i < -n || i >= n) throw new RangeError(`${seq.kind} index ${i} out of range (length ${n}).`);
  return seq.items[i < 0 ? i + n : i];
}

/** A subscript value as a tsorch index spec. */
function indexSpec(v: PyValue): IndexSpec {
  if (v === null) return null;
  if (v === ELLIPSIS) return "...";
  if (v instanceof PySlice) return sl(v.lo, v.hi, v.step ?? 1);
  if (v instanceof Tensor) return v;
  if (v instanceof PySeq) return tensor(v.items.map((x) => intArg(x, "index list")));
  if (typeof v === "boolean") throw new TypeError("index: a Python bool index is not supported.");
  return intArg(v, "index");
}

function tensorAttr(t: Tensor, name: string): PyValue {
  switch (name) {
    case "shape":
      return tuple(t.shape.map(int));
    case "ndim":
      return int(t.ndim);
    case "dtype":
      return new PyDType(t.dtype);
    case "T":
      return t.T;
    case "mT":
      return t.mT;
    case "device":
      return t.device;
    case "is_leaf":
      return t.isLeaf;
    case "requires_grad":
      return t.requiresGrad;
  }
  return fnObject(`Tensor.${name}`, (a, kw) => callMethod(t, name, a, kw));
}

/** Evaluates one node. */
export function evalPy(node: PyNode, env: Readonly<Record<string, PyValue>>): PyValue {
  const ev = (n: PyNode) => evalPy(n, env);
  switch (node.t) {
    case "num":
      return new PyNum(node.v, node.float);
    case "str":
      return node.v;
    case "const":
      return node.v;
    case "ellipsis":
      return ELLIPSIS;
    case "name": {
      if (Object.prototype.hasOwnProperty.call(env, node.id)) return env[node.id];
      if (Object.prototype.hasOwnProperty.call(BUILTINS, node.id)) return BUILTINS[node.id];
      throw new ReferenceError(`name '${node.id}' is not defined (inputs and params: ${Object.keys(env).join(", ") || "none"}).`);
    }
    case "tuple":
    case "list":
      return new PySeq(node.items.map(ev), node.t);
    case "attr": {
      const obj = ev(node.obj);
      if (obj instanceof Tensor) return tensorAttr(obj, node.name);
      if (obj instanceof PyObject && Object.prototype.hasOwnProperty.call(obj.attrs, node.name)) return obj.attrs[node.name];
      throw new TypeError(`${describe(obj)} has no attribute '${node.name}' known to the op interpreter.`);
    }
    case "call": {
      const fn = ev(node.fn);
      if (!(fn instanceof PyObject) || !fn.call) throw new TypeError(`${describe(fn)} is not callable.`);
      const kwargs: Record<string, PyValue> = {};
      for (const [k, v] of node.kwargs) kwargs[k] = ev(v);
      return fn.call(
        node.args.flatMap((a) => (a.t === "star" ? starItems(ev(a.x)) : [ev(a)])),
        kwargs,
      );
    }
    case "index": {
      const obj = ev(node.obj);
      const subs = node.subs.map((s) => evalSub(s, env));
      if (obj instanceof Tensor) return index(obj, ...subs.map(indexSpec));
      if (obj instanceof PySeq) {
        if (node.tuple) throw new TypeError(`${obj.kind} indices must be integers or slices, not tuple.`);
        return seqIndex(obj, subs[0]);
      }
      throw new TypeError(`${describe(obj)} is not subscriptable.`);
    }
    case "star":
      throw new SyntaxError("can't use starred expression here (only in call arguments).");
    case "unary":
      return unaryOp(node.op, ev(node.x));
    case "bin":
      return binaryOp(node.op, ev(node.a), ev(node.b));
  }
}

/** The items `*v` spreads: a tuple/list's items, or a tensor's slices along dim 0. */
function starItems(v: PyValue): PyValue[] {
  if (v instanceof PySeq) return v.items;
  if (v instanceof Tensor) return v.unbind(0);
  throw new TypeError(`argument after * must be an iterable, not ${describe(v)}.`);
}

function evalSub(s: PySub, env: Readonly<Record<string, PyValue>>): PyValue {
  if (s.t !== "slice") return evalPy(s, env);
  const bound = (n: PyNode | null) => (n === null ? null : intArg(evalPy(n, env), "slice bound"));
  return new PySlice(bound(s.lo), bound(s.hi), bound(s.step));
}

/**
 * Evaluates a golden's `expr` with names bound to values and returns its tensors in order (a tuple result, as
 * `torch.max(x, dim)` or `torch.split`, gives several).
 * @example evalPyExpr("torch.clamp(x, -0.5, 0.8)", { x })
 */
export function evalPyExpr(expr: string, env: Readonly<Record<string, PyValue>>): Tensor[] {
  const v = evalPy(parsePyExpr(expr), env);
  if (v instanceof Tensor) return [v];
  if (v instanceof PySeq && v.items.every((x) => x instanceof Tensor)) return v.items as Tensor[];
  // A Python number result (e.g. `x.sum().item()`) is compared as a 0-d tensor.
  if (v instanceof PyNum) return [v.float ? tensor(v.v, { dtype: "float32" }) : tensor(v.v)];
  throw new TypeError(`expr ${JSON.stringify(expr)} evaluated to ${describe(v)}, not a tensor or a tuple of tensors.`);
}
