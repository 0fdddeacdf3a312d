// Gradient formulas of the elementwise primitives: unary float / same ops, binary arithmetic, where, copy (dtype casts).

import type { BinaryOp, UnaryFloatOp, UnarySameOp } from "@tsorch/tensor/backend";
import { where } from "@tsorch/tensor";
import type { Tensor } from "@tsorch/tensor";
import type { FormulaContext, GradFormula } from "../internal/formula.js";
import { backwardName, needed, zerosOf } from "./helpers.js";

type Ctx = FormulaContext<UnaryFloatOp>;

/** A unary formula that saves its input (`x`) or its output (`y`). */
function unary(op: UnaryFloatOp, uses: "x" | "y", f: (g: Tensor, v: Tensor) => Tensor): GradFormula<UnaryFloatOp> {
  return {
    name: backwardName(op),
    save: () => (uses === "x" ? { inputs: [0] } : { outputs: [0] }),
    backward: (g: Tensor, ctx: Ctx) => [f(g, uses === "x" ? ctx.input(0) : ctx.output(0))],
  };
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** d/dx of the unary float ops. */
export const UNARY_FLOAT_FORMULAS: { [K in UnaryFloatOp]: GradFormula<K> } = {
  exp: unary("exp", "y", (g, y) => g.mul(y)),
  expm1: unary("expm1", "y", (g, y) => g.mul(y.add(1))),
  log: unary("log", "x", (g, x) => g.div(x)),
  log1p: unary("log1p", "x", (g, x) => g.div(x.add(1))),
  sqrt: unary("sqrt", "y", (g, y) => g.div(y.mul(2))),
  rsqrt: unary("rsqrt", "y", (g, y) => g.mul(y.pow(3)).mul(-0.5)),
  sin: unary("sin", "x", (g, x) => g.mul(x.cos())),
  cos: unary("cos", "x", (g, x) => g.mul(x.sin().neg())),
  tan: unary("tan", "y", (g, y) => g.mul(y.mul(y).add(1))),
  tanh: unary("tanh", "y", (g, y) => g.mul(y.mul(y).neg().add(1))),
  sigmoid: unary("sigmoid", "y", (g, y) => g.mul(y.neg().add(1)).mul(y)),
  erf: unary("erf", "x", (g, x) => g.mul(x.mul(x).neg().exp().mul(TWO_OVER_SQRT_PI))),
  reciprocal: unary("reciprocal", "y", (g, y) => g.mul(y.mul(y)).neg()),
  asin: unary("asin", "x", (g, x) => g.mul(x.mul(x).neg().add(1).rsqrt())),
  acos: unary("acos", "x", (g, x) => g.mul(x.mul(x).neg().add(1).rsqrt()).neg()),
  atan: unary("atan", "x", (g, x) => g.div(x.mul(x).add(1))),
  sinh: unary("sinh", "x", (g, x) => g.mul(x.cosh())),
  cosh: unary("cosh", "x", (g, x) => g.mul(x.sinh())),
};

/** A piecewise-constant op: zero gradient everywhere, as PyTorch's floor/round/sign. */
function zeroGrad(op: UnarySameOp): GradFormula<UnarySameOp> {
  return { name: backwardName(op), backward: (_g, ctx) => [zerosOf(ctx.inputs[0])] };
}

/** d/dx of the dtype-keeping unary ops. */
export const UNARY_SAME_FORMULAS: { [K in UnarySameOp]: GradFormula<K> } = {
  neg: { name: "NegBackward0", backward: (g) => [g.neg()] },
  abs: { name: "AbsBackward0", save: () => ({ inputs: [0] }), backward: (g, ctx) => [g.mul(ctx.input(0).sign())] },
  floor: zeroGrad("floor"),
  ceil: zeroGrad("ceil"),
  round: zeroGrad("round"),
  trunc: zeroGrad("trunc"),
  sign: zeroGrad("sign"),
};

type BCtx = FormulaContext<BinaryOp>;
const both = { inputs: [0, 1] } as const;

/** Gradients of maximum / minimum: to the larger (smaller) input, split evenly on ties, as PyTorch. */
function extremum(op: "maximum" | "minimum"): GradFormula<BinaryOp> {
  return {
    name: backwardName(op),
    save: () => both,
    backward: (g, ctx: BCtx) => {
      const a = ctx.input(0);
      const b = ctx.input(1);
      const half = where(a.eq(b), g.mul(0.5), g);
      const aLoses = op === "maximum" ? a.lt(b) : a.gt(b);
      const bLoses = op === "maximum" ? a.gt(b) : a.lt(b);
      return needed(ctx.needs, () => where(aLoses, 0, half), () => where(bLoses, 0, half));
    },
  };
}

/** d/da and d/db of the binary ops (inputs are already broadcast and of one dtype). */
export const BINARY_FORMULAS: { [K in BinaryOp]: GradFormula<K> } = {
  add: { name: "AddBackward0", backward: (g) => [g, g] },
  sub: { name: "SubBackward0", backward: (g, ctx) => [g, ctx.needs[1] ? g.neg() : null] },
  mul: {
    name: "MulBackward0",
    save: (needs) => ({ inputs: [needs[1] ? 0 : -1, needs[0] ? 1 : -1].filter((i) => i >= 0) }),
    backward: (g, ctx) => needed(ctx.needs, () => g.mul(ctx.input(1)), () => g.mul(ctx.input(0))),
  },
  div: {
    name: "DivBackward0",
    save: (needs) => (needs[1] ? both : { inputs: [1] }),
    backward: (g, ctx) => {
      const b = ctx.input(1);
      return needed(ctx.needs, () => g.div(b), () => g.neg().mul(ctx.input(0).div(b).div(b)));
    },
  },
  pow: {
    name: (call) => (call.inputs[1].requiresGrad ? "PowBackward1" : "PowBackward0"),
    save: (needs) => ({ inputs: [0, 1], outputs: needs[1] ? [0] : [] }),
    backward: (g, ctx) => {
      const a = ctx.input(0);
      const b = ctx.input(1);
      return needed(
        ctx.needs,
        // b · a^(b-1), with 0 where b == 0 (so 0^0 contributes nothing), as PyTorch's pow_backward.
        () => g.mul(where(b.eq(0), 0, b.mul(a.pow(b.sub(1))))),
        // a^b · log a, with 0 where a == 0 and b >= 0.
        () => g.mul(where(a.eq(0).logicalAnd(b.ge(0)), 0, ctx.output(0).mul(a.log()))),
      );
    },
  },
  maximum: extremum("maximum"),
  minimum: extremum("minimum"),
  remainder: {
    name: "RemainderBackward0",
    save: (needs) => (needs[1] ? both : {}),
    backward: (g, ctx) => needed(ctx.needs, () => g, () => g.neg().mul(ctx.input(0).div(ctx.input(1), { roundingMode: "floor" }))),
  },
  floorDivide: {
    name: "FloorDivideBackward0",
    backward: (_g, ctx) => [zerosOf(ctx.inputs[0]), zerosOf(ctx.inputs[1])],
  },
  atan2: {
    name: "Atan2Backward0",
    save: () => both,
    backward: (g, ctx) => {
      const a = ctx.input(0);
      const b = ctx.input(1);
      const r = g.div(a.mul(a).add(b.mul(b)));
      return needed(ctx.needs, () => r.mul(b), () => r.mul(a).neg());
    },
  },
};

/** where(cond, a, b): the gradient goes to a where cond holds, to b elsewhere. */
export const WHERE_FORMULA: GradFormula<"where"> = {
  name: "WhereBackward0",
  save: () => ({ inputs: [0] }),
  backward: (g, ctx) => {
    const c = ctx.input(0);
    return [null, ctx.needs[1] ? where(c, g, 0) : null, ctx.needs[2] ? where(c, 0, g) : null];
  },
};

/** copy (clone, contiguous, dtype cast): the gradient, cast back to the input's dtype. */
export const COPY_FORMULA: GradFormula<"copy"> = {
  name: (call) => (call.outputs && call.outputs[0].dtype !== call.inputs[0].dtype ? "ToCopyBackward0" : "CloneBackward0"),
  backward: (g, ctx) => [g.dtype === ctx.inputs[0].dtype ? g : g.to(ctx.inputs[0].dtype)],
};
