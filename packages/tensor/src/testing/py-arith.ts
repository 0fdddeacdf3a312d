// Python operators over interpreter values: tensor ops with PyTorch's scalar rules, and int/float arithmetic on Python numbers.

import { isFloatingPoint } from "../backend/dtype.js";
import { getDefaultDtype } from "../defaults.js";
import * as ts from "../index.js";
import { Tensor } from "../tensor.js";
import { PyNum, PySeq, describe, float, int, type PyValue } from "./py-values.js";

/**
 * A tensor operand next to a Python scalar: an integer tensor combined with a Python float computes in the default
 * float dtype (`int_tensor * 1.0` is float32). tsorch sees `1.0` as the integer 1, so the cast happens here.
 */
export function floatFor(t: Tensor, other: PyValue): Tensor {
  if (other instanceof PyNum && other.float && !isFloatingPoint(t.dtype)) return t.to(getDefaultDtype());
  return t;
}

function operand(v: PyValue, other: PyValue, op: string): Tensor | number | boolean {
  if (v instanceof Tensor) return floatFor(v, other);
  if (v instanceof PyNum) return v.v;
  if (typeof v === "boolean") return v;
  throw new TypeError(`operator ${op}: unsupported operand ${describe(v)}.`);
}

function pyNumber(v: PyValue): PyNum | null {
  if (v instanceof PyNum) return v;
  if (typeof v === "boolean") return int(v ? 1 : 0);
  return null;
}

function numberOp(op: string, a: PyNum, b: PyNum): PyValue {
  const f = a.float || b.float;
  const mk = (v: number) => (f ? float(v) : int(v));
  switch (op) {
    case "+": return mk(a.v + b.v);
    case "-": return mk(a.v - b.v);
    case "*": return mk(a.v * b.v);
    case "/": return float(a.v / b.v);
    case "//": return mk(Math.floor(a.v / b.v));
    case "%": return mk(a.v - Math.floor(a.v / b.v) * b.v);
    case "**": return !f && b.v < 0 ? float(a.v ** b.v) : mk(a.v ** b.v);
    case ">": return a.v > b.v;
    case "<": return a.v < b.v;
    case ">=": return a.v >= b.v;
    case "<=": return a.v <= b.v;
    case "==": return a.v === b.v;
    case "!=": return a.v !== b.v;
  }
  throw new TypeError(`operator ${op} is not supported between numbers.`);
}

const TENSOR_OPS: Record<string, (a: Tensor | number | boolean, b: Tensor | number | boolean) => Tensor> = {
  "+": (a, b) => ts.add(a, b),
  "-": (a, b) => ts.sub(a, b),
  "*": (a, b) => ts.mul(a, b),
  "/": (a, b) => ts.div(a, b),
  "//": (a, b) => ts.div(a, b, { roundingMode: "floor" }),
  "%": (a, b) => ts.remainder(a, b),
  "**": (a, b) => ts.pow(a, b),
  "@": (a, b) => ts.matmul(a as Tensor, b as Tensor),
  ">": (a, b) => (a instanceof Tensor ? a.gt(b) : (b as Tensor).lt(a)),
  "<": (a, b) => (a instanceof Tensor ? a.lt(b) : (b as Tensor).gt(a)),
  ">=": (a, b) => (a instanceof Tensor ? a.ge(b) : (b as Tensor).le(a)),
  "<=": (a, b) => (a instanceof Tensor ? a.le(b) : (b as Tensor).ge(a)),
  "==": (a, b) => (a instanceof Tensor ? a.eq(b) : (b as Tensor).eq(a)),
  "!=": (a, b) => (a instanceof Tensor ? a.ne(b) : (b as Tensor).ne(a)),
  "&": (a, b) => (a instanceof Tensor ? a.logicalAnd(b) : (b as Tensor).logicalAnd(a)),
  "|": (a, b) => (a instanceof Tensor ? a.logicalOr(b) : (b as Tensor).logicalOr(a)),
};

/** `a op b` with Python semantics: tensors broadcast and promote as PyTorch; numbers keep int/float; `+` joins sequences. */
export function binaryOp(op: string, a: PyValue, b: PyValue): PyValue {
  const na = pyNumber(a);
  const nb = pyNumber(b);
  if (na && nb) return numberOp(op, na, nb);
  if (a instanceof PySeq && b instanceof PySeq && op === "+") return new PySeq([...a.items, ...b.items], a.kind);
  if ((a instanceof PySeq || b instanceof PySeq) && (op === "==" || op === "!=")) {
    const eq = a instanceof PySeq && b instanceof PySeq && a.items.length === b.items.length && a.items.every((x, i) => binaryOp("==", x, b.items[i]) === true);
    return op === "==" ? eq : !eq;
  }
  const f = TENSOR_OPS[op];
  if (!f || !(a instanceof Tensor || b instanceof Tensor)) throw new TypeError(`operator ${op}: unsupported operands ${describe(a)} and ${describe(b)}.`);
  return f(operand(a, b, op), operand(b, a, op));
}

/** Unary `-`, `+`, `~` and `not`. */
export function unaryOp(op: string, x: PyValue): PyValue {
  if (op === "not") {
    if (x instanceof Tensor) throw new TypeError("not: the truth value of a tensor is ambiguous.");
    return !(x instanceof PyNum ? x.v !== 0 : Boolean(x));
  }
  if (x instanceof PyNum) return op === "-" ? new PyNum(-x.v, x.float) : op === "+" ? x : int(~x.v);
  if (typeof x === "boolean") return unaryOp(op, int(x ? 1 : 0));
  if (x instanceof Tensor) {
    if (op === "-") return x.neg();
    if (op === "+") return x;
    return x.dtype === "bool" ? x.logicalNot() : x.neg().sub(1);
  }
  throw new TypeError(`unary ${op}: unsupported operand ${describe(x)}.`);
}
