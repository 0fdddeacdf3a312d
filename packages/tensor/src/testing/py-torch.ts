// The `torch.*` functions (and the Tensor methods that share their signature) the interpreter maps to tsorch, by Python name.

import type { DType } from "../backend/dtype.js";
import { getDefaultDtype } from "../defaults.js";
import * as ts from "../index.js";
import { Tensor } from "../tensor.js";
import { floatFor } from "./py-arith.js";
import {
  PyDType,
  PyNum,
  PyObject,
  PySeq,
  bind,
  boolArg,
  describe,
  dimArg,
  dtypeArg,
  float,
  int,
  intArg,
  num,
  scalarOrTensor,
  tensorArg,
  tensorsArg,
  tuple,
  varInts,
  type PyValue,
  type Signature,
} from "./py-values.js";

/** One Python function: its signature and what it does with the bound arguments. */
export interface PyFn {
  readonly sig: Signature;
  readonly run: (a: Record<string, PyValue>) => PyValue;
}

type Args = Record<string, PyValue>;

const T = (a: Args, k: string): Tensor => tensorArg(a[k], k);
const N = (a: Args, k: string): number => num(a[k], k);
const I = (a: Args, k: string): number => intArg(a[k], k);
const B = (a: Args, k: string): boolean => boolArg(a[k], k);
const optT = (a: Args, k: string): Tensor | null => (a[k] === null ? null : T(a, k));
const optN = (a: Args, k: string): number | undefined => (a[k] === null ? undefined : N(a, k));
const dims = (a: Args, k: string): number | number[] | null => dimArg(a[k], k);
/** PyTorch's `dim=()` means every dim, as does None. */
const dimsOrAll = (a: Args, k: string): number | number[] | null => {
  const d = dims(a, k);
  return Array.isArray(d) && d.length === 0 ? null : d;
};
const opt = (dtype: DType | undefined) => (dtype ? { dtype } : undefined);

/** A scalar or tensor operand; a Python float next to an integer tensor makes the op compute in floats. */
function operands(a: Args, x: string, y: string): [Tensor | number | boolean, Tensor | number | boolean] {
  const ax = a[x] instanceof Tensor ? floatFor(a[x] as Tensor, a[y]) : scalarOrTensor(a[x], x);
  const ay = a[y] instanceof Tensor ? floatFor(a[y] as Tensor, a[x]) : scalarOrTensor(a[y], y);
  return [ax, ay];
}

const method = (name: string): PyFn => ({
  sig: ["input"],
  run: (a) => (T(a, "input") as unknown as Record<string, () => Tensor>)[name](),
});

const binary = (f: (x: Tensor | number | boolean, y: Tensor | number | boolean) => Tensor, other = "other"): PyFn => ({
  sig: ["input", other],
  run: (a) => f(...operands(a, "input", other)),
});

const cmp = (name: "eq" | "ne" | "gt" | "ge" | "lt" | "le" | "logicalAnd" | "logicalOr" | "logicalXor"): PyFn =>
  binary((x, y) => (x instanceof Tensor ? x[name](y) : ts.tensor(x)[name](y)));

const valuesIndices = (r: { values: Tensor; indices: Tensor }): PySeq => tuple([r.values, r.indices]);

function maxMin(which: "max" | "min"): PyFn {
  return {
    sig: ["input", ["dim", null], ["keepdim", false]],
    run: (a) => {
      const x = T(a, "input");
      // torch.max(a, b) with a tensor second argument is the elementwise maximum.
      if (a.dim instanceof Tensor) return which === "max" ? ts.maximum(x, a.dim) : ts.minimum(x, a.dim);
      if (a.dim === null) return which === "max" ? ts.max(x) : ts.min(x);
      return valuesIndices(which === "max" ? ts.max(x, I(a, "dim"), B(a, "keepdim")) : ts.min(x, I(a, "dim"), B(a, "keepdim")));
    },
  };
}

function varStd(which: "var" | "std"): PyFn {
  return {
    sig: ["input", ["dim", null], ["unbiased", null], ["keepdim", false], "*", ["correction", null]],
    run: (a) => {
      const x = T(a, "input");
      let d: PyValue = a.dim;
      let unbiased = a.unbiased;
      // x.var(True) is the legacy var(unbiased) overload.
      if (typeof d === "boolean") [d, unbiased] = [null, d];
      const o = { keepdim: B(a, "keepdim"), correction: optN(a, "correction"), unbiased: unbiased === null ? undefined : boolArg(unbiased, "unbiased") };
      const dd = dimArg(d, "dim");
      return which === "var" ? ts.variance(x, dd, o) : ts.std(x, dd, o);
    },
  };
}

const reduceFn = (f: (x: Tensor, d: number | number[] | null, k: boolean, o?: { dtype?: DType }) => Tensor): PyFn => ({
  sig: ["input", ["dim", null], ["keepdim", false], "*", ["dtype", null]],
  run: (a) => f(T(a, "input"), dimsOrAll(a, "dim"), B(a, "keepdim"), opt(dtypeArg(a.dtype, "dtype"))),
});

const sortOf = (a: Args) => ts.sort(T(a, "input"), I(a, "dim"), B(a, "descending"));

/** Creation options: a Python float value or bound decides a float dtype that tsorch's JS numbers cannot express. */
function creationDtype(a: Args, values: PyValue[]): DType | undefined {
  const given = dtypeArg(a.dtype ?? null, "dtype");
  if (given) return given;
  return values.some((v) => v instanceof PyNum && v.float) ? getDefaultDtype() : undefined;
}

const FINFO: Partial<Record<DType, Record<string, number>>> = {
  float32: { min: -3.4028234663852886e38, max: 3.4028234663852886e38, eps: 1.1920928955078125e-7, tiny: 1.1754943508222875e-38 },
  float64: { min: -Number.MAX_VALUE, max: Number.MAX_VALUE, eps: Number.EPSILON, tiny: 2.2250738585072014e-308 },
  float16: { min: -65504, max: 65504, eps: 0.0009765625, tiny: 6.103515625e-5 },
  bfloat16: { min: -3.3895313892515355e38, max: 3.3895313892515355e38, eps: 0.0078125, tiny: 1.1754943508222875e-38 },
};

/** torch.* functions; a Tensor method call `x.f(...)` uses the same entry with `x` as the first argument. */
export const TORCH_FUNCTIONS: Record<string, PyFn> = {
  ...Object.fromEntries(
    [
      "abs", "neg", "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan",
      "tanh", "sigmoid", "erf", "asin", "acos", "atan", "sinh", "cosh", "floor", "ceil", "round", "trunc", "sign", "square",
      "relu", "isnan", "isinf", "isfinite", "contiguous", "clone", "detach", "float", "double", "half", "bfloat16", "long",
      "int", "bool", "byte", "t",
    ].map((n) => [n, method(n)]),
  ),
  negative: method("neg"),
  logical_not: method("logicalNot"),
  clamp: { sig: ["input", ["min", null], ["max", null]], run: (a) => ts.clamp(T(a, "input"), a.min === null ? null : scalarOrTensor(a.min, "min"), a.max === null ? null : scalarOrTensor(a.max, "max")) },
  clamp_min: { sig: ["input", "min"], run: (a) => ts.clamp(T(a, "input"), scalarOrTensor(a.min, "min"), null) },
  clamp_max: { sig: ["input", "max"], run: (a) => ts.clamp(T(a, "input"), null, scalarOrTensor(a.max, "max")) },
  add: { sig: ["input", "other", "*", ["alpha", int(1)]], run: (a) => ts.add(...operands(a, "input", "other"), { alpha: N(a, "alpha") }) },
  sub: { sig: ["input", "other", "*", ["alpha", int(1)]], run: (a) => ts.sub(...operands(a, "input", "other"), { alpha: N(a, "alpha") }) },
  mul: binary((x, y) => ts.mul(x, y)),
  div: {
    sig: ["input", "other", "*", ["rounding_mode", null]],
    run: (a) => ts.div(...operands(a, "input", "other"), { roundingMode: a.rounding_mode as "trunc" | "floor" | null }),
  },
  true_divide: binary((x, y) => ts.div(x, y)),
  pow: binary((x, y) => ts.pow(x, y), "exponent"),
  maximum: binary((x, y) => ts.maximum(x, y)),
  minimum: binary((x, y) => ts.minimum(x, y)),
  remainder: binary((x, y) => ts.remainder(x, y)),
  floor_divide: binary((x, y) => ts.floorDivide(x, y)),
  atan2: binary((x, y) => ts.atan2(x, y)),
  eq: cmp("eq"), ne: cmp("ne"), gt: cmp("gt"), ge: cmp("ge"), lt: cmp("lt"), le: cmp("le"),
  greater: cmp("gt"), less: cmp("lt"), greater_equal: cmp("ge"), less_equal: cmp("le"), not_equal: cmp("ne"),
  logical_and: cmp("logicalAnd"), logical_or: cmp("logicalOr"), logical_xor: cmp("logicalXor"),
  where: {
    sig: ["condition", "input", "other"],
    run: (a) => {
      const [x, y] = operands(a, "input", "other");
      return ts.where(T(a, "condition"), x, y);
    },
  },
  masked_fill: { sig: ["input", "mask", "value"], run: (a) => ts.maskedFill(T(a, "input"), T(a, "mask"), scalarOrTensor(a.value, "value")) },
  sum: reduceFn((x, d, k, o) => ts.sum(x, d, k, o)),
  mean: reduceFn((x, d, k, o) => ts.mean(x, d, k, o)),
  prod: reduceFn((x, d, k, o) => ts.prod(x, d, k, o)),
  amax: { sig: ["input", ["dim", tuple([])], ["keepdim", false]], run: (a) => ts.amax(T(a, "input"), dimsOrAll(a, "dim"), B(a, "keepdim")) },
  amin: { sig: ["input", ["dim", tuple([])], ["keepdim", false]], run: (a) => ts.amin(T(a, "input"), dimsOrAll(a, "dim"), B(a, "keepdim")) },
  max: maxMin("max"),
  min: maxMin("min"),
  argmax: { sig: ["input", ["dim", null], ["keepdim", false]], run: (a) => ts.argmax(T(a, "input"), a.dim === null ? null : I(a, "dim"), B(a, "keepdim")) },
  argmin: { sig: ["input", ["dim", null], ["keepdim", false]], run: (a) => ts.argmin(T(a, "input"), a.dim === null ? null : I(a, "dim"), B(a, "keepdim")) },
  var: varStd("var"),
  std: varStd("std"),
  logsumexp: { sig: ["input", "dim", ["keepdim", false]], run: (a) => ts.logsumexp(T(a, "input"), dims(a, "dim"), B(a, "keepdim")) },
  norm: {
    sig: ["input", ["p", "fro"], ["dim", null], ["keepdim", false], ["dtype", null]],
    run: (a) => {
      const p = a.p === "fro" || a.p === null ? 2 : N(a, "p");
      if (typeof a.p === "string" && a.p !== "fro") throw new TypeError(`norm: p=${JSON.stringify(a.p)} is not supported.`);
      return ts.norm(T(a, "input"), p, dimsOrAll(a, "dim"), B(a, "keepdim"));
    },
  },
  any: { sig: ["input", ["dim", null], ["keepdim", false]], run: (a) => ts.any(T(a, "input"), dims(a, "dim"), B(a, "keepdim")) },
  all: { sig: ["input", ["dim", null], ["keepdim", false]], run: (a) => ts.all(T(a, "input"), dims(a, "dim"), B(a, "keepdim")) },
  cumsum: { sig: ["input", "dim", "*", ["dtype", null]], run: (a) => ts.cumsum(T(a, "input"), I(a, "dim"), opt(dtypeArg(a.dtype, "dtype"))) },
  matmul: { sig: ["input", "other"], run: (a) => ts.matmul(T(a, "input"), T(a, "other")) },
  mm: { sig: ["input", "mat2"], run: (a) => ts.mm(T(a, "input"), T(a, "mat2")) },
  bmm: { sig: ["input", "mat2"], run: (a) => ts.bmm(T(a, "input"), T(a, "mat2")) },
  mv: { sig: ["input", "vec"], run: (a) => ts.mv(T(a, "input"), T(a, "vec")) },
  dot: { sig: ["input", "other"], run: (a) => ts.dot(T(a, "input"), T(a, "other")) },
  outer: { sig: ["input", "vec2"], run: (a) => ts.outer(T(a, "input"), T(a, "vec2")) },
  einsum: {
    sig: ["equation", "*operands"],
    run: (a) => {
      const ops = a.operands as PySeq;
      // einsum(eq, [a, b]) and einsum(eq, a, b) are both accepted by PyTorch.
      const list = ops.items.length === 1 && ops.items[0] instanceof PySeq ? tensorsArg(ops.items[0], "operands") : tensorsArg(ops, "operands");
      return ts.einsum(String(a.equation), ...list);
    },
  },
  baddbmm: {
    sig: ["input", "batch1", "batch2", "*", ["beta", int(1)], ["alpha", int(1)]],
    run: (a) => ts.baddbmm(T(a, "input"), T(a, "batch1"), T(a, "batch2"), { beta: N(a, "beta"), alpha: N(a, "alpha") }),
  },
  addmm: {
    sig: ["input", "mat1", "mat2", "*", ["beta", int(1)], ["alpha", int(1)]],
    run: (a) => ts.addmm(T(a, "input"), T(a, "mat1"), T(a, "mat2"), { beta: N(a, "beta"), alpha: N(a, "alpha") }),
  },
  softmax: { sig: ["input", "dim", ["dtype", null]], run: (a) => ts.softmax(castOpt(T(a, "input"), a.dtype), I(a, "dim")) },
  log_softmax: { sig: ["input", "dim", ["dtype", null]], run: (a) => ts.logSoftmax(castOpt(T(a, "input"), a.dtype), I(a, "dim")) },
  gather: { sig: ["input", "dim", "index", "*", ["sparse_grad", false]], run: (a) => ts.gather(T(a, "input"), I(a, "dim"), T(a, "index")) },
  scatter: {
    sig: ["input", "dim", "index", ["src", null], "*", ["value", null], ["reduce", null]],
    run: (a) => {
      if (a.reduce !== null) throw new TypeError("scatter: reduce= is not supported by the interpreter.");
      const src = a.src !== null ? scalarOrTensor(a.src, "src") : scalarOrTensor(a.value, "value");
      if (typeof src === "boolean") throw new TypeError("scatter: a bool src is not supported.");
      return ts.scatter(T(a, "input"), I(a, "dim"), T(a, "index"), src);
    },
  },
  scatter_add: { sig: ["input", "dim", "index", "src"], run: (a) => ts.scatterAdd(T(a, "input"), I(a, "dim"), T(a, "index"), T(a, "src")) },
  index_select: { sig: ["input", "dim", "index"], run: (a) => ts.indexSelect(T(a, "input"), I(a, "dim"), T(a, "index")) },
  index_add: {
    sig: ["input", "dim", "index", "source", "*", ["alpha", int(1)]],
    run: (a) => ts.indexAdd(T(a, "input"), I(a, "dim"), T(a, "index"), T(a, "source"), { alpha: N(a, "alpha") }),
  },
  cat: { sig: ["tensors", ["dim", int(0)]], run: (a) => ts.cat(tensorsArg(a.tensors, "tensors"), I(a, "dim")) },
  stack: { sig: ["tensors", ["dim", int(0)]], run: (a) => ts.stack(tensorsArg(a.tensors, "tensors"), I(a, "dim")) },
  split: {
    sig: ["tensor", "split_size_or_sections", ["dim", int(0)]],
    run: (a) => {
      const s = a.split_size_or_sections;
      return tuple(ts.split(T(a, "tensor"), s instanceof PySeq ? varInts(s, "split_size") : intArg(s, "split_size"), I(a, "dim")));
    },
  },
  tensor_split: {
    sig: ["input", "indices_or_sections", ["dim", int(0)]],
    run: (a) => {
      const x = T(a, "input");
      const d = I(a, "dim");
      const n = x.size(d);
      const spec = a.indices_or_sections;
      let bounds: number[];
      if (spec instanceof PySeq) bounds = varInts(spec, "indices");
      else {
        // n sections: the first n % k get one more element, as torch.tensor_split.
        const k = intArg(spec, "sections");
        bounds = [];
        for (let i = 1, at = 0; i < k; i++) bounds.push((at += Math.floor(n / k) + (i - 1 < n % k ? 1 : 0)));
      }
      const edges = [0, ...bounds.map((b) => Math.min(Math.max(b < 0 ? b + n : b, 0), n)), n];
      return tuple(edges.slice(1).map((e, i) => ts.slice(x, d, edges[i], Math.max(e, edges[i]))));
    },
  },
  chunk: { sig: ["input", "chunks", ["dim", int(0)]], run: (a) => tuple(ts.chunk(T(a, "input"), I(a, "chunks"), I(a, "dim"))) },
  unbind: { sig: ["input", ["dim", int(0)]], run: (a) => tuple(ts.unbind(T(a, "input"), I(a, "dim"))) },
  transpose: { sig: ["input", "dim0", "dim1"], run: (a) => ts.transpose(T(a, "input"), I(a, "dim0"), I(a, "dim1")) },
  swapaxes: { sig: ["input", "axis0", "axis1"], run: (a) => ts.transpose(T(a, "input"), I(a, "axis0"), I(a, "axis1")) },
  permute: { sig: ["input", "*dims"], run: (a) => ts.permute(T(a, "input"), varInts(a.dims, "dims")) },
  reshape: { sig: ["input", "*shape"], run: (a) => ts.reshape(T(a, "input"), varInts(a.shape, "shape")) },
  flatten: { sig: ["input", ["start_dim", int(0)], ["end_dim", int(-1)]], run: (a) => ts.flatten(T(a, "input"), I(a, "start_dim"), I(a, "end_dim")) },
  unflatten: { sig: ["input", "dim", "sizes"], run: (a) => ts.unflatten(T(a, "input"), I(a, "dim"), varInts(a.sizes, "sizes")) },
  squeeze: { sig: ["input", ["dim", null]], run: (a) => ts.squeeze(T(a, "input"), a.dim === null ? undefined : (dims(a, "dim") as number | number[])) },
  unsqueeze: { sig: ["input", "dim"], run: (a) => ts.unsqueeze(T(a, "input"), I(a, "dim")) },
  narrow: { sig: ["input", "dim", "start", "length"], run: (a) => ts.narrow(T(a, "input"), I(a, "dim"), I(a, "start"), I(a, "length")) },
  select: { sig: ["input", "dim", "index"], run: (a) => ts.select(T(a, "input"), I(a, "dim"), I(a, "index")) },
  flip: { sig: ["input", "*dims"], run: (a) => ts.flip(T(a, "input"), varInts(a.dims, "dims")) },
  movedim: { sig: ["input", "source", "destination"], run: (a) => ts.movedim(T(a, "input"), I(a, "source"), I(a, "destination")) },
  tile: { sig: ["input", "dims"], run: (a) => ts.tile(T(a, "input"), varInts(a.dims, "dims")) },
  broadcast_to: { sig: ["input", "size"], run: (a) => ts.broadcastTo(T(a, "input"), varInts(a.size, "size")) },
  topk: {
    sig: ["input", "k", ["dim", int(-1)], ["largest", true], ["sorted", true]],
    run: (a) => valuesIndices(ts.topk(T(a, "input"), I(a, "k"), I(a, "dim"), B(a, "largest"), B(a, "sorted"))),
  },
  sort: { sig: ["input", ["dim", int(-1)], ["descending", false], "*", ["stable", false]], run: (a) => valuesIndices(sortOf(a)) },
  argsort: { sig: ["input", ["dim", int(-1)], ["descending", false], "*", ["stable", false]], run: (a) => ts.argsort(T(a, "input"), I(a, "dim"), B(a, "descending")) },
  triu: { sig: ["input", ["diagonal", int(0)]], run: (a) => ts.triu(T(a, "input"), I(a, "diagonal")) },
  tril: { sig: ["input", ["diagonal", int(0)]], run: (a) => ts.tril(T(a, "input"), I(a, "diagonal")) },
  full: {
    sig: ["size", "fill_value", "*", ["dtype", null], ["device", null], ["requires_grad", false]],
    run: (a) => ts.full(varInts(a.size, "size"), fillValue(a.fill_value), { dtype: creationDtype(a, [a.fill_value]) }),
  },
  zeros: { sig: ["*size", "*", ["dtype", null]], run: (a) => ts.zeros(varInts(a.size, "size"), opt(dtypeArg(a.dtype, "dtype"))) },
  ones: { sig: ["*size", "*", ["dtype", null]], run: (a) => ts.ones(varInts(a.size, "size"), opt(dtypeArg(a.dtype, "dtype"))) },
  zeros_like: { sig: ["input", "*", ["dtype", null]], run: (a) => ts.zerosLike(T(a, "input"), opt(dtypeArg(a.dtype, "dtype"))) },
  ones_like: { sig: ["input", "*", ["dtype", null]], run: (a) => ts.onesLike(T(a, "input"), opt(dtypeArg(a.dtype, "dtype"))) },
  full_like: { sig: ["input", "fill_value", "*", ["dtype", null]], run: (a) => ts.fullLike(T(a, "input"), fillValue(a.fill_value), opt(dtypeArg(a.dtype, "dtype"))) },
  arange: {
    sig: ["start", ["end", null], ["step", int(1)], "*", ["dtype", null], ["device", null], ["requires_grad", false]],
    run: (a) => {
      const bounds: PyValue[] = a.end === null ? [int(0), a.start, a.step] : [a.start, a.end, a.step];
      const [s, e, st] = bounds.map((v) => num(v, "arange"));
      return ts.arange(s, e, st, opt(creationDtype(a, bounds)));
    },
  },
  linspace: { sig: ["start", "end", "steps", "*", ["dtype", null]], run: (a) => ts.linspace(N(a, "start"), N(a, "end"), I(a, "steps"), opt(dtypeArg(a.dtype, "dtype"))) },
  eye: { sig: ["n", ["m", null], "*", ["dtype", null]], run: (a) => ts.eye(I(a, "n"), a.m === null ? I(a, "n") : I(a, "m"), opt(dtypeArg(a.dtype, "dtype"))) },
  tensor: { sig: ["data", "*", ["dtype", null]], run: (a) => ts.tensor(toData(a.data) as ts.TensorData, opt(creationDtype(a, flatNums(a.data)))) },
  finfo: {
    sig: [["type", null]],
    run: (a) => {
      const dtype = dtypeArg(a.type, "type") ?? getDefaultDtype();
      const f = FINFO[dtype];
      if (!f) throw new TypeError(`finfo: torch.${dtype} is not a floating point dtype.`);
      return new PyObject(`finfo(torch.${dtype})`, Object.fromEntries(Object.entries(f).map(([k, v]) => [k, float(v)])));
    },
  },
};

// NumPy-style aliases PyTorch also accepts.
Object.assign(TORCH_FUNCTIONS, {
  clip: TORCH_FUNCTIONS.clamp,
  concat: TORCH_FUNCTIONS.cat,
  concatenate: TORCH_FUNCTIONS.cat,
  absolute: TORCH_FUNCTIONS.abs,
  multiply: TORCH_FUNCTIONS.mul,
  divide: TORCH_FUNCTIONS.div,
  subtract: TORCH_FUNCTIONS.sub,
  arctan2: TORCH_FUNCTIONS.atan2,
});

function castOpt(x: Tensor, dtype: PyValue): Tensor {
  const d = dtypeArg(dtype, "dtype");
  return d ? x.to(d) : x;
}

function fillValue(v: PyValue): number | boolean {
  if (typeof v === "boolean") return v;
  return num(v, "fill_value");
}

function flatNums(v: PyValue): PyValue[] {
  return v instanceof PySeq ? v.items.flatMap(flatNums) : [v];
}

function toData(v: PyValue): unknown {
  if (v instanceof PySeq) return v.items.map(toData);
  if (v instanceof PyNum) return v.v;
  if (typeof v === "boolean") return v;
  throw new TypeError(`tensor: unsupported element ${describe(v)}.`);
}

/** Calls a torch function by Python name with Python arguments. */
export function callTorch(name: string, args: PyValue[], kwargs: Record<string, PyValue>): PyValue {
  const f = TORCH_FUNCTIONS[name];
  if (!f) throw new TypeError(`torch.${name} is not known to the op interpreter; add it to TORCH_FUNCTIONS in testing/py-torch.ts.`);
  return f.run(bind(`torch.${name}`, f.sig, args, kwargs));
}

/** The dtypes reachable as `torch.<name>`. */
export const TORCH_DTYPES: Record<string, PyDType> = Object.fromEntries(
  (
    [
      ["float32", "float32"], ["float", "float32"], ["float64", "float64"], ["double", "float64"], ["float16", "float16"],
      ["half", "float16"], ["bfloat16", "bfloat16"], ["int32", "int32"], ["int", "int32"], ["int64", "int64"], ["long", "int64"],
      ["bool", "bool"], ["uint8", "uint8"],
    ] as const
  ).map(([k, v]) => [k, new PyDType(v)]),
);
