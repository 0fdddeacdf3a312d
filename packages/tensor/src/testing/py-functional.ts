// The `torch.nn.functional` (F.*) functions and Tensor-only methods the interpreter maps to tsorch, by Python name.

import type { DType } from "../backend/dtype.js";
import * as ts from "../index.js";
import { Tensor } from "../tensor.js";
import type { PyFn } from "./py-torch.js";
import { TORCH_FUNCTIONS } from "./py-torch.js";
import {
  PyDType,
  PySeq,
  bind,
  boolArg,
  describe,
  dtypeArg,
  float,
  int,
  intArg,
  num,
  tensorArg,
  tuple,
  varInts,
  type PyValue,
} from "./py-values.js";

type Args = Record<string, PyValue>;

const T = (a: Args, k: string): Tensor => tensorArg(a[k], k);
const N = (a: Args, k: string): number => num(a[k], k);
const I = (a: Args, k: string): number => intArg(a[k], k);
const B = (a: Args, k: string): boolean => boolArg(a[k], k);
const optT = (a: Args, k: string): Tensor | null => (a[k] === null ? null : T(a, k));
const optN = (a: Args, k: string): number | undefined => (a[k] === null ? undefined : N(a, k));
/** conv arguments may be an int or a 1-tuple. */
const one = (a: Args, k: string): number => (a[k] instanceof PySeq ? varInts(a[k], k)[0] : I(a, k));

type Reduction = "mean" | "sum" | "none";

/** The reduction of a loss, honouring the deprecated size_average / reduce pair as PyTorch does. */
function reduction(a: Args): Reduction {
  if (a.size_average !== null || a.reduce !== null) {
    const sizeAverage = a.size_average === null ? true : B(a, "size_average");
    const reduce = a.reduce === null ? true : B(a, "reduce");
    return !reduce ? "none" : sizeAverage ? "mean" : "sum";
  }
  const r = a.reduction;
  if (r !== "mean" && r !== "sum" && r !== "none") throw new TypeError(`reduction must be 'mean', 'sum' or 'none', got ${describe(r)}.`);
  return r;
}

const LEGACY = [["size_average", null], ["reduce", null]] as const;

const unary = (f: (x: Tensor) => Tensor): PyFn => ({ sig: ["input", ["inplace", false]], run: (a) => f(T(a, "input")) });

const softmaxLike = (f: (x: Tensor, d: number) => Tensor): PyFn => ({
  sig: ["input", ["dim", null], ["_stacklevel", int(3)], ["dtype", null]],
  run: (a) => {
    if (a.dim === null) throw new TypeError("softmax: pass dim explicitly (PyTorch's implicit dim is deprecated).");
    const d = dtypeArg(a.dtype, "dtype");
    return f(d ? T(a, "input").to(d) : T(a, "input"), I(a, "dim"));
  },
});

/** F.* functions. */
export const FUNCTIONAL: Record<string, PyFn> = {
  relu: unary(ts.relu),
  silu: unary(ts.silu),
  mish: unary(ts.mish),
  sigmoid: { sig: ["input"], run: (a) => T(a, "input").sigmoid() },
  tanh: { sig: ["input"], run: (a) => T(a, "input").tanh() },
  gelu: {
    sig: ["input", "*", ["approximate", "none"]],
    run: (a) => ts.gelu(T(a, "input"), a.approximate as "none" | "tanh"),
  },
  softplus: { sig: ["input", ["beta", int(1)], ["threshold", int(20)]], run: (a) => ts.softplus(T(a, "input"), N(a, "beta"), N(a, "threshold")) },
  leaky_relu: { sig: ["input", ["negative_slope", float(0.01)], ["inplace", false]], run: (a) => ts.leakyRelu(T(a, "input"), N(a, "negative_slope")) },
  elu: { sig: ["input", ["alpha", float(1)], ["inplace", false]], run: (a) => ts.elu(T(a, "input"), N(a, "alpha")) },
  softmax: softmaxLike(ts.softmax),
  log_softmax: softmaxLike(ts.logSoftmax),
  layer_norm: {
    sig: ["input", "normalized_shape", ["weight", null], ["bias", null], ["eps", float(1e-5)]],
    run: (a) => ts.layerNorm(T(a, "input"), varInts(a.normalized_shape, "normalized_shape"), optT(a, "weight"), optT(a, "bias"), N(a, "eps")),
  },
  rms_norm: {
    sig: ["input", "normalized_shape", ["weight", null], ["eps", null]],
    run: (a) => ts.rmsNorm(T(a, "input"), varInts(a.normalized_shape, "normalized_shape"), optT(a, "weight"), optN(a, "eps")),
  },
  normalize: { sig: ["input", ["p", float(2)], ["dim", int(1)], ["eps", float(1e-12)]], run: (a) => ts.normalize(T(a, "input"), N(a, "p"), I(a, "dim"), N(a, "eps")) },
  embedding: {
    sig: ["input", "weight", ["padding_idx", null], ["max_norm", null], ["norm_type", float(2)], ["scale_grad_by_freq", false], ["sparse", false]],
    run: (a) => {
      if (a.max_norm !== null) throw new TypeError("embedding: max_norm is not supported by tsorch.");
      return ts.embedding(T(a, "input"), T(a, "weight"), a.padding_idx === null ? null : I(a, "padding_idx"));
    },
  },
  one_hot: { sig: ["tensor", ["num_classes", int(-1)]], run: (a) => ts.oneHot(T(a, "tensor"), I(a, "num_classes")) },
  linear: { sig: ["input", "weight", ["bias", null]], run: (a) => ts.linear(T(a, "input"), T(a, "weight"), optT(a, "bias")) },
  conv1d: {
    sig: ["input", "weight", ["bias", null], ["stride", int(1)], ["padding", int(0)], ["dilation", int(1)], ["groups", int(1)]],
    run: (a) =>
      ts.conv1d(T(a, "input"), T(a, "weight"), optT(a, "bias"), {
        stride: one(a, "stride"),
        padding: typeof a.padding === "string" ? (a.padding as "same" | "valid") : one(a, "padding"),
        dilation: one(a, "dilation"),
        groups: I(a, "groups"),
      }),
  },
  pad: {
    sig: ["input", "pad", ["mode", "constant"], ["value", null]],
    run: (a) => {
      if (a.mode !== "constant") throw new TypeError(`pad: mode=${describe(a.mode)} is not supported (only 'constant').`);
      return ts.pad(T(a, "input"), varInts(a.pad, "pad"), a.value === null ? 0 : N(a, "value"));
    },
  },
  dropout: {
    sig: ["input", ["p", float(0.5)], ["training", true], ["inplace", false]],
    run: (a) => ts.dropout(T(a, "input"), N(a, "p"), B(a, "training")),
  },
  cross_entropy: {
    sig: ["input", "target", ["weight", null], ...LEGACY.slice(0, 1), ["ignore_index", int(-100)], ...LEGACY.slice(1), ["reduction", "mean"], ["label_smoothing", float(0)]],
    run: (a) =>
      ts.crossEntropy(T(a, "input"), T(a, "target"), {
        weight: optT(a, "weight"),
        ignoreIndex: I(a, "ignore_index"),
        reduction: reduction(a),
        labelSmoothing: N(a, "label_smoothing"),
      }),
  },
  nll_loss: {
    sig: ["input", "target", ["weight", null], ...LEGACY.slice(0, 1), ["ignore_index", int(-100)], ...LEGACY.slice(1), ["reduction", "mean"]],
    run: (a) => ts.nllLoss(T(a, "input"), T(a, "target"), { weight: optT(a, "weight"), ignoreIndex: I(a, "ignore_index"), reduction: reduction(a) }),
  },
  mse_loss: { sig: ["input", "target", ...LEGACY, ["reduction", "mean"]], run: (a) => ts.mseLoss(T(a, "input"), T(a, "target"), reduction(a)) },
  l1_loss: { sig: ["input", "target", ...LEGACY, ["reduction", "mean"]], run: (a) => ts.l1Loss(T(a, "input"), T(a, "target"), reduction(a)) },
  smooth_l1_loss: {
    sig: ["input", "target", ...LEGACY, ["reduction", "mean"], ["beta", float(1)]],
    run: (a) => ts.smoothL1Loss(T(a, "input"), T(a, "target"), reduction(a), N(a, "beta")),
  },
  huber_loss: { sig: ["input", "target", ["reduction", "mean"], ["delta", float(1)]], run: (a) => ts.huberLoss(T(a, "input"), T(a, "target"), reduction(a), N(a, "delta")) },
  binary_cross_entropy: {
    sig: ["input", "target", ["weight", null], ...LEGACY, ["reduction", "mean"]],
    run: (a) => ts.bceLoss(T(a, "input"), T(a, "target"), { weight: optT(a, "weight"), reduction: reduction(a) }),
  },
  binary_cross_entropy_with_logits: {
    sig: ["input", "target", ["weight", null], ...LEGACY, ["reduction", "mean"], ["pos_weight", null]],
    run: (a) => ts.bceWithLogits(T(a, "input"), T(a, "target"), { weight: optT(a, "weight"), posWeight: optT(a, "pos_weight"), reduction: reduction(a) }),
  },
  kl_div: {
    sig: ["input", "target", ...LEGACY, ["reduction", "mean"], ["log_target", false]],
    run: (a) => ts.klDiv(T(a, "input"), T(a, "target"), a.reduction === "batchmean" ? "batchmean" : reduction(a), B(a, "log_target")),
  },
  scaled_dot_product_attention: {
    sig: ["query", "key", "value", ["attn_mask", null], ["dropout_p", float(0)], ["is_causal", false], "*", ["scale", null]],
    run: (a) =>
      ts.scaledDotProductAttention(T(a, "query"), T(a, "key"), T(a, "value"), {
        attnMask: optT(a, "attn_mask"),
        dropoutP: N(a, "dropout_p"),
        isCausal: B(a, "is_causal"),
        scale: optN(a, "scale"),
      }),
  },
};

/** The dtype of `x.to(...)` / `x.type(...)` arguments (a dtype, a tensor to match, or a device string that changes nothing here). */
function toDtype(args: PyValue[]): DType | undefined {
  for (const v of args) {
    if (v instanceof PyDType) return v.dtype;
    if (v instanceof Tensor) return v.dtype;
  }
  return undefined;
}

/** Tensor methods whose Python signature differs from the torch.* function of the same name. */
export const TENSOR_METHODS: Record<string, PyFn> = {
  view: {
    sig: ["self", "*shape"],
    run: (a) => {
      const s = a.shape as PySeq;
      if (s.items.length === 1 && s.items[0] instanceof PyDType) throw new TypeError("view(dtype) is not supported by tsorch.");
      return ts.view(T(a, "self"), varInts(s, "shape"));
    },
  },
  expand: { sig: ["self", "*size"], run: (a) => ts.expand(T(a, "self"), varInts(a.size, "size")) },
  repeat: { sig: ["self", "*repeats"], run: (a) => ts.repeat(T(a, "self"), varInts(a.repeats, "repeats")) },
  expand_as: { sig: ["self", "other"], run: (a) => ts.expandAs(T(a, "self"), T(a, "other")) },
  view_as: { sig: ["self", "other"], run: (a) => ts.view(T(a, "self"), T(a, "other").shape) },
  reshape_as: { sig: ["self", "other"], run: (a) => ts.reshape(T(a, "self"), T(a, "other").shape) },
  type_as: { sig: ["self", "other"], run: (a) => T(a, "self").to(T(a, "other").dtype) },
  to: {
    sig: ["self", "*args", ["dtype", null], ["device", null], ["non_blocking", false], ["copy", false]],
    run: (a) => {
      const d = dtypeArg(a.dtype, "dtype") ?? toDtype((a.args as PySeq).items);
      return d ? T(a, "self").to(d) : T(a, "self");
    },
  },
  type: { sig: ["self", ["dtype", null]], run: (a) => T(a, "self").to(dtypeArg(a.dtype, "dtype") ?? T(a, "self").dtype) },
  size: { sig: ["self", ["dim", null]], run: (a) => (a.dim === null ? tuple(T(a, "self").shape.map(int)) : int(T(a, "self").size(I(a, "dim")))) },
  dim: { sig: ["self"], run: (a) => int(T(a, "self").ndim) },
  numel: { sig: ["self"], run: (a) => int(T(a, "self").numel()) },
  item: {
    sig: ["self"],
    run: (a) => {
      const x = T(a, "self");
      const v = x.itemSync();
      return typeof v === "boolean" ? v : x.isFloatingPoint ? float(Number(v)) : int(Number(v));
    },
  },
  split: {
    sig: ["self", "split_size", ["dim", int(0)]],
    run: (a) => TORCH_FUNCTIONS.split.run({ tensor: a.self, split_size_or_sections: a.split_size, dim: a.dim }),
  },
};

/** Calls an F.* function by Python name. */
export function callFunctional(name: string, args: PyValue[], kwargs: Record<string, PyValue>): PyValue {
  const f = FUNCTIONAL[name];
  if (!f) throw new TypeError(`F.${name} is not known to the op interpreter; add it to FUNCTIONAL in testing/py-functional.ts.`);
  return f.run(bind(`F.${name}`, f.sig, args, kwargs));
}

/** Calls `self.name(...)`: a Tensor-only method, else the torch.* function with `self` first. */
export function callMethod(self: Tensor, name: string, args: PyValue[], kwargs: Record<string, PyValue>): PyValue {
  const m = TENSOR_METHODS[name];
  if (m) return m.run(bind(`Tensor.${name}`, m.sig, [self, ...args], kwargs));
  const f = TORCH_FUNCTIONS[name];
  if (!f) throw new TypeError(`Tensor.${name} is not known to the op interpreter; add it to TENSOR_METHODS in testing/py-functional.ts.`);
  return f.run(bind(`Tensor.${name}`, f.sig, [self, ...args], kwargs));
}
