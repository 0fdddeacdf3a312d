// Conformance cases of the elementwise primitives (unary, binary, compare, where, fill, copy), through the public Tensor API.

import { DTYPES, type BinaryOp, type CompareOp, type DType, type UnaryFloatOp, type UnaryPredicateOp, type UnarySameOp } from "../../backend/index.js";
import { full, type Tensor } from "../../index.js";
import type { TestCase } from "./case.js";
import { LAYOUTS, type GenOptions, type Layout } from "./harness.js";

export const FLOATS: readonly DType[] = ["float32", "float64", "float16", "bfloat16"];
export const NUMERIC: readonly DType[] = [...FLOATS, "int32", "int64", "uint8"];
export const ALL: readonly DType[] = [...NUMERIC, "bool"];

/** Shapes and layouts every elementwise op is run over: odd sizes, every strided layout, 0-d, empty, a larger one. */
export const SHAPE_LAYOUTS: readonly (readonly [readonly number[], Layout])[] = [
  ...LAYOUTS.map((l) => [[7, 5], l] as const),
  ...LAYOUTS.map((l) => [[13], l] as const),
  [[], "contiguous"],
  [[], "offset"],
  [[0, 3], "contiguous"],
  [[2, 0, 3], "contiguous"],
  [[33, 17], "transposed"],
  [[257], "contiguous"],
];

const label = (shape: readonly number[], layout: Layout, dtype: DType) => `${dtype} [${shape.join(", ")}] ${layout}`;

const SPECIAL = [0, -0, 1, -1, 0.5, -2.5, 3, Infinity, -Infinity, NaN];

type Method = (this: Tensor, ...args: unknown[]) => Tensor;
const call = (t: Tensor, op: string, ...args: unknown[]): Tensor => ((t as unknown as Record<string, Method>)[op] as Method).apply(t, args);

const UNARY_DOMAIN: Partial<Record<UnaryFloatOp, GenOptions>> = {
  log: { lo: 0.05, hi: 4 },
  log1p: { lo: -0.9, hi: 4 },
  sqrt: { lo: 0, hi: 4 },
  rsqrt: { lo: 0.05, hi: 4 },
  reciprocal: { lo: -3, hi: 3, minAbs: 0.1 },
  asin: { lo: -0.99, hi: 0.99 },
  acos: { lo: -0.99, hi: 0.99 },
  tan: { lo: -1.4, hi: 1.4 },
  exp: { lo: -4, hi: 4 },
  expm1: { lo: -4, hi: 4 },
  sinh: { lo: -4, hi: 4 },
  cosh: { lo: -4, hi: 4 },
};

/** exp, log, sin, …: every float dtype, every layout, special values, and an integer input (computed as float32). */
export function unaryFloatCase(op: UnaryFloatOp): TestCase {
  return {
    dtypes: FLOATS,
    async run(c, dtype) {
      const dom = UNARY_DOMAIN[op] ?? { lo: -3, hi: 3 };
      for (const [shape, layout] of SHAPE_LAYOUTS) await c.compare(label(shape, layout, dtype), (d) => call(d.gen(shape, dtype, { ...dom, layout }), op));
      await c.compare(`${dtype} special values (0, -0, ±1, ±inf, NaN)`, (d) => call(d.t(SPECIAL, dtype), op));
      if (dtype === "float32" && c.has("int32")) await c.compare("int32 input computes in float32", (d) => call(d.gen([4, 3], "int32", { lo: 1, hi: 5 }), op));
    },
  };
}

/** neg, abs, floor, …: every numeric dtype keeps its dtype. */
export function unarySameCase(op: UnarySameOp): TestCase {
  return {
    dtypes: NUMERIC,
    async run(c, dtype) {
      const opts: GenOptions = { lo: dtype === "uint8" ? 0 : -4, hi: 4 };
      for (const [shape, layout] of SHAPE_LAYOUTS) await c.compare(label(shape, layout, dtype), (d) => call(d.gen(shape, dtype, { ...opts, layout }), op));
      if (FLOATS.includes(dtype)) {
        await c.compare(`${dtype} special values`, (d) => call(d.t([...SPECIAL, 2.5, -2.5, 0.49999997, 1.5, -0.5], dtype), op));
      }
      if (op === "round" && dtype === "float32") await c.expectValues("round half to even", c.dev.t([0.5, 1.5, 2.5, -0.5, -1.5], "float32").round(), [0, 2, 2, -0, -2]);
      if (op === "abs" && dtype === "int32") await c.expectValues("abs int32", c.dev.t([-3, 0, 7], "int32").abs(), [3, 0, 7]);
    },
  };
}

/** isnan, isinf, isfinite, logicalNot: any dtype in, bool out. */
export function predicateCase(op: UnaryPredicateOp): TestCase {
  return {
    dtypes: ALL,
    needs: ["bool"],
    async run(c, dtype) {
      for (const [shape, layout] of SHAPE_LAYOUTS) await c.compare(label(shape, layout, dtype), (d) => call(d.gen(shape, dtype, { layout, lo: -2, hi: 3, integers: true }), op));
      if (FLOATS.includes(dtype)) await c.compare(`${dtype} special values`, (d) => call(d.t(SPECIAL, dtype), op));
      if (op === "isnan" && dtype === "float32") await c.expectValues("isnan closed form", c.dev.t([1, NaN, Infinity], "float32").isnan(), [false, true, false]);
    },
  };
}

function binaryDomain(op: BinaryOp, dtype: DType): [GenOptions, GenOptions] {
  const int = !FLOATS.includes(dtype);
  const u8 = dtype === "uint8";
  switch (op) {
    case "div":
    case "atan2":
      return [{ lo: u8 ? 0 : -3, hi: 3 }, { lo: u8 ? 1 : -3, hi: 3, minAbs: int ? 1 : 0.25 }];
    case "remainder":
    case "floorDivide":
      return [{ lo: u8 ? 0 : -9, hi: 9 }, { lo: u8 ? 1 : -4, hi: 4, minAbs: int ? 1 : 0.25 }];
    case "pow":
      return int ? [{ lo: u8 ? 0 : -3, hi: 4 }, { lo: 0, hi: 4 }] : [{ lo: 0.1, hi: 2 }, { lo: -2, hi: 2 }];
    default:
      return [{}, { seed: 7 }];
  }
}

/** add, sub, …: every numeric dtype, every layout of either operand, broadcasting, scalars, 0-d and empty operands. */
export function binaryCase(op: BinaryOp): TestCase {
  const bools = op === "maximum" || op === "minimum";
  // The reference CPU backend refuses 64-bit integer pow (and div / atan2 only ever see floats).
  const dtypes = bools ? ALL : op === "pow" ? NUMERIC.filter((d) => d !== "int64") : NUMERIC;
  return {
    dtypes,
    async run(c, dtype) {
      const [da, db] = binaryDomain(op, dtype);
      const bOpts = { ...db, seed: 7 };
      for (const [shape, layout] of SHAPE_LAYOUTS) {
        const other = LAYOUTS[(LAYOUTS.indexOf(layout) + 2) % LAYOUTS.length];
        await c.compare(`a ${label(shape, layout, dtype)} op b ${other}`, (d) => call(d.gen(shape, dtype, { ...da, layout }), op, d.gen(shape, dtype, { ...bOpts, layout: other })));
      }
      await c.compare(`${dtype} [7, 5] op [5] (broadcast)`, (d) => call(d.gen([7, 5], dtype, da), op, d.gen([5], dtype, bOpts)));
      await c.compare(`${dtype} [7, 1] op [1, 5] (both broadcast)`, (d) => call(d.gen([7, 1], dtype, da), op, d.gen([1, 5], dtype, bOpts)));
      await c.compare(`${dtype} [3, 4] op 0-d tensor`, (d) => call(d.gen([3, 4], dtype, da), op, d.gen([], dtype, bOpts)));
      await c.compare(`${dtype} [0, 4] op [4] (empty)`, (d) => call(d.gen([0, 4], dtype, da), op, d.gen([4], dtype, bOpts)));
      if (dtype !== "bool") {
        const s = op === "pow" ? 2 : dtype === "uint8" ? 3 : FLOATS.includes(dtype) ? 1.5 : 3;
        await c.compare(`${dtype} tensor op scalar ${s}`, (d) => call(d.gen([6, 5], dtype, da), op, s));
      }
      if (FLOATS.includes(dtype)) {
        const a = [NaN, 1, Infinity, -Infinity, 0, -0, 2, NaN];
        const b = [1, NaN, 1, Infinity, 0, 0, -Infinity, NaN];
        await c.compare(`${dtype} NaN / inf operands`, (d) => call(d.t(a, dtype), op, d.t(b, dtype)));
      }
      if (op === "maximum" && dtype === "float32")
        await c.expectValues("NaN propagates", c.dev.t([1, NaN, 3], "float32").maximum(c.dev.t([NaN, 2, 1], "float32")), [NaN, NaN, 3]);
      if (op === "sub" && dtype === "uint8") await c.expectValues("uint8 wraps around", c.dev.t([1, 0], "uint8").sub(c.dev.t([2, 1], "uint8")), [255, 255]);
      if (op === "remainder" && dtype === "int32") await c.expectValues("sign of the divisor", c.dev.t([-7, 7, -7], "int32").remainder(c.dev.t([3, -3, -3], "int32")), [2, -2, -1]);
      if (op === "floorDivide" && dtype === "int64") await c.expectValues("floors", c.dev.t([-7, 7], "int64").floorDivide(c.dev.t([2, -2], "int64")), [-4, -4]);
    },
  };
}

/** eq, lt, logicalAnd, …: every dtype with ties, NaN, broadcasting; bool out. */
export function compareCase(op: CompareOp): TestCase {
  return {
    dtypes: ALL,
    needs: ["bool"],
    async run(c, dtype) {
      const a: GenOptions = { lo: dtype === "uint8" || dtype === "bool" ? 0 : -3, hi: dtype === "bool" ? 2 : 3, integers: true };
      for (const [shape, layout] of SHAPE_LAYOUTS) {
        const other = LAYOUTS[(LAYOUTS.indexOf(layout) + 1) % LAYOUTS.length];
        await c.compare(`a ${label(shape, layout, dtype)} op b ${other}`, (d) => call(d.gen(shape, dtype, { ...a, layout }), op, d.gen(shape, dtype, { ...a, layout: other, seed: 9 })));
      }
      await c.compare(`${dtype} [7, 1] op [5] (broadcast)`, (d) => call(d.gen([7, 1], dtype, a), op, d.gen([5], dtype, { ...a, seed: 3 })));
      await c.compare(`${dtype} op scalar`, (d) => call(d.gen([4, 4], dtype, a), op, dtype === "bool" ? true : 1));
      if (FLOATS.includes(dtype)) await c.compare(`${dtype} NaN / inf`, (d) => call(d.t([NaN, 1, Infinity, -Infinity, NaN, 0], dtype), op, d.t([NaN, NaN, Infinity, 1, 0, -0], dtype)));
    },
  };
}

/** where(cond, a, b): every dtype, strided and broadcast conditions and operands, a scalar branch. */
export const whereCase: TestCase = {
  dtypes: ALL,
  needs: ["bool"],
  async run(c, dtype) {
    for (const [shape, layout] of SHAPE_LAYOUTS) {
      const other = LAYOUTS[(LAYOUTS.indexOf(layout) + 3) % LAYOUTS.length];
      await c.compare(`cond ${layout}, a/b ${other} ${label(shape, layout, dtype)}`, (d) =>
        d.gen(shape, dtype, { layout: other }).where(d.gen(shape, "bool", { layout }), d.gen(shape, dtype, { layout, seed: 4 })),
      );
    }
    await c.compare(`${dtype} cond [7, 1], a [5], b 0-d`, (d) => d.gen([5], dtype).where(d.gen([7, 1], "bool", { seed: 2 }), d.gen([], dtype, { seed: 5 })));
    await c.compare(`${dtype} scalar other`, (d) => d.gen([4, 3], dtype).where(d.gen([4, 3], "bool", { seed: 8 }), dtype === "bool" ? false : 1));
  },
};

const FILL_VALUES: Record<DType, readonly (number | bigint | boolean)[]> = {
  float32: [0, 0.1, -2.5, Infinity, NaN],
  float64: [0.1, -1e300, -Infinity],
  float16: [0.1, 65504, -Infinity],
  bfloat16: [0.1, 3e38, NaN],
  int32: [-7, 2147483647, -2147483648],
  int64: [9007199254740993n, -1n, 5],
  uint8: [255, 0, 17],
  bool: [true, false],
};

/** fill: `full`, `zeros`, `ones` of every dtype, odd, 0-d and empty shapes; int64 beyond 2^53 stays exact. */
export const fillCase: TestCase = {
  dtypes: ALL,
  async run(c, dtype) {
    for (const v of FILL_VALUES[dtype])
      for (const shape of [[7, 5], [], [0, 3], [1001]])
        await c.compare(`full(${shape.join("x") || "0-d"}, ${String(v)}) ${dtype}`, (d) => full(shape, v, { dtype, device: d.device }));
    if (dtype === "int64") await c.expectValues("int64 beyond 2^53", full([2], 9007199254740993n, { dtype, device: c.device }), [9007199254740993n, 9007199254740993n]);
    if (dtype === "float32") await c.expectValues("ones", full([3], 1, { dtype, device: c.device }), [1, 1, 1]);
  },
};

function castRange(from: DType): GenOptions {
  // Values every target dtype holds, so the casts are defined (float -> uint8 of negatives is not, in PyTorch).
  if (FLOATS.includes(from)) return { lo: 0, hi: 120 };
  if (from === "uint8") return { lo: 0, hi: 256 };
  if (from === "bool") return { lo: 0, hi: 2 };
  return { lo: -120, hi: 120 };
}

/** copy: `to(dtype)` from this dtype to every other one the device holds, from every layout; clone of strided views. */
export const copyCase: TestCase = {
  dtypes: ALL,
  async run(c, dtype) {
    for (const to of DTYPES) {
      if (!c.has(to)) continue;
      for (const [shape, layout] of SHAPE_LAYOUTS)
        await c.compare(`${label(shape, layout, dtype)} -> ${to}`, (d) => {
          const x = d.gen(shape, dtype, { ...castRange(dtype), layout });
          const y = x.to(to);
          return y === x ? x.clone() : y;
        });
    }
    if (FLOATS.includes(dtype))
      for (const to of ["int32", "int64"] as const)
        if (c.has(to)) await c.compare(`negative ${dtype} -> ${to} truncates`, (d) => d.t([-2.7, -0.5, 2.7, -100.25], dtype).to(to));
    if (dtype === "int64" && c.has("float64")) await c.compare("int64 beyond 2^53 -> float64", (d) => d.t([9007199254740993n, -(2n ** 62n)], "int64").to("float64"));
    if (dtype === "int64") await c.expectValues("int64 clone keeps 2^53 + 1", c.dev.t([9007199254740993n], "int64").T.clone(), [9007199254740993n]);
    if (dtype === "int32" && c.has("uint8")) await c.expectValues("int32 -> uint8 wraps", c.dev.t([-1, 256, 300], "int32").to("uint8"), [255, 0, 44]);
  },
};
