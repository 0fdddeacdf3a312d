// Conformance cases of reductions, arg-reductions, cumsum, sort and matmul, with NaN / inf, ties, 0-d and empty inputs.

import type { ReduceOp } from "../../backend/index.js";
import type { Tensor } from "../../index.js";
import type { TestCase } from "./case.js";
import { FLOATS } from "./cases-elementwise.js";
import { LAYOUTS, type GenOptions } from "./harness.js";

const DIMS: readonly (number | number[] | undefined)[] = [undefined, 0, 1, 2, -1, [0, 2], [1, 2]];
const fmtDim = (d: number | number[] | undefined) => (d === undefined ? "all" : JSON.stringify(d));

function reduceVia(op: ReduceOp, x: Tensor, dim: number | number[] | undefined, keepdim: boolean): Tensor {
  const bool = x.dtype === "bool";
  switch (op) {
    case "sum":
      return x.sum(dim, keepdim);
    case "prod":
      return x.prod(dim, keepdim);
    case "max":
      return bool ? x.any(dim, keepdim) : x.amax(dim, keepdim);
    case "min":
      return bool ? x.all(dim, keepdim) : x.amin(dim, keepdim);
  }
}

/** sum / prod / max / min over every set of dims of a strided 3-D tensor; empty and 0-d inputs; NaN for max / min. */
export function reduceCase(op: ReduceOp): TestCase {
  const extremum = op === "max" || op === "min";
  return {
    dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8", "bool"],
    // Integer sums and products accumulate in int64.
    needs: extremum ? [] : ["int64"],
    async run(c, dtype) {
      const g: GenOptions = op === "prod" ? (FLOATS.includes(dtype) ? { lo: 0.5, hi: 1.5 } : { lo: dtype === "uint8" || dtype === "bool" ? 0 : -2, hi: 3 }) : {};
      for (const layout of LAYOUTS)
        for (const dim of DIMS)
          for (const keepdim of [false, true])
            await c.compare(`${dtype} [5, 4, 3] ${layout} dim=${fmtDim(dim)} keepdim=${keepdim}`, (d) => reduceVia(op, d.gen([5, 4, 3], dtype, { ...g, layout }), dim, keepdim));
      await c.compare(`${dtype} [33, 17] transposed dim=0`, (d) => reduceVia(op, d.gen([33, 17], dtype, { ...g, layout: "transposed" }), 0, false));
      await c.compare(`${dtype} 0-d`, (d) => reduceVia(op, d.gen([], dtype, g), undefined, false));
      await c.compare(`${dtype} [1001] all`, (d) => reduceVia(op, d.gen([1001], dtype, { lo: 0, hi: op === "prod" ? 1.5 : 2 }), undefined, false));
      if (!extremum) {
        await c.compare(`${dtype} [0, 3] over the empty dim`, (d) => reduceVia(op, d.gen([0, 3], dtype), 0, false));
        await c.compare(`${dtype} [3, 0] over the non-empty dim`, (d) => reduceVia(op, d.gen([3, 0], dtype), 0, false));
      } else {
        await c.compare(`${dtype} [0, 3] over the non-empty dim`, (d) => reduceVia(op, d.gen([0, 3], dtype), 1, false));
      }
      if (dtype === "float32") {
        const x = () => c.dev.t([[1, NaN, 3], [Infinity, -Infinity, 2], [-1, -5, -2]], "float32");
        if (op === "sum") {
          await c.expectValues("closed form", x().sum(1), [NaN, NaN, -8]);
          await c.expectValues("empty sum is 0", c.dev.gen([0, 3], "float32").sum(0), [0, 0, 0]);
        }
        if (op === "prod") await c.expectValues("empty prod is 1", c.dev.gen([0, 2], "float32").prod(0), [1, 1]);
        if (op === "max") await c.expectValues("NaN propagates, inf is kept", x().amax(1), [NaN, Infinity, -1]);
        if (op === "min") await c.expectValues("NaN propagates, -inf is kept", x().amin(1), [NaN, -Infinity, -5]);
      }
    },
  };
}

/** argmax / argmin along each dim and over the flattened tensor; ties pick the first; NaN counts as the extremum. */
export function argReduceCase(op: "argmax" | "argmin"): TestCase {
  return {
    dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8"],
    needs: ["int64"],
    async run(c, dtype) {
      const g: GenOptions = { lo: dtype === "uint8" ? 0 : -3, hi: 3, integers: true };
      for (const layout of LAYOUTS)
        for (const dim of [undefined, 0, 1, -1])
          for (const keepdim of [false, true])
            await c.compare(`${dtype} [7, 5] ${layout} dim=${fmtDim(dim)} keepdim=${keepdim} (ties)`, (d) =>
              d.gen([7, 5], dtype, { ...g, layout })[op](dim, keepdim),
            );
      await c.compare(`${dtype} [5, 4, 3] stepped dim=1`, (d) => d.gen([5, 4, 3], dtype, { layout: "stepped" })[op](1));
      await c.compare(`${dtype} 0-d`, (d) => d.gen([], dtype)[op]());
      await c.compare(`${dtype} [1001]`, (d) => d.gen([1001], dtype)[op]());
      if (FLOATS.includes(dtype)) {
        await c.compare(`${dtype} NaN and inf`, (d) => d.t([[1, NaN, 5, NaN], [Infinity, 2, Infinity, -Infinity]], dtype)[op](1));
        await c.expectValues("first NaN wins", c.dev.t([1, NaN, 5, NaN], dtype)[op](), [1]);
        await c.expectValues("first of ties", c.dev.t([2, 7, 7, -1, -1], dtype)[op](), [op === "argmax" ? 1 : 3]);
      }
      await c.expectThrows("empty input", () => c.dev.gen([0], dtype)[op](), /non-zero size|numel|empty|specified/i);
    },
  };
}

/** cumsum along each dim, strided, 0-d and empty; integers accumulate in int64. */
export const cumsumCase: TestCase = {
  dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8", "bool"],
  needs: ["int64"],
  async run(c, dtype) {
    for (const layout of LAYOUTS)
      for (const dim of [0, 1, -1]) await c.compare(`${dtype} [7, 5] ${layout} dim=${dim}`, (d) => d.gen([7, 5], dtype, { layout }).cumsum(dim));
    await c.compare(`${dtype} [3, 4, 5] transposed dim=1`, (d) => d.gen([3, 4, 5], dtype, { layout: "transposed" }).cumsum(1));
    await c.compare(`${dtype} [257] dim=0`, (d) => d.gen([257], dtype, { lo: 0, hi: 2 }).cumsum(0));
    await c.compare(`${dtype} 0-d`, (d) => d.gen([], dtype).cumsum(0));
    await c.compare(`${dtype} empty`, (d) => d.gen([0, 4], dtype).cumsum(1));
    if (dtype === "float32") await c.expectValues("closed form", c.dev.t([1, 2, NaN, 4], "float32").cumsum(0), [1, 3, NaN, NaN]);
  },
};

/** sort: stable in both directions (indices exact), NaN last ascending and first descending, strided, 0-d, empty. */
export const sortCase: TestCase = {
  dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8"],
  needs: ["int64"],
  async run(c, dtype) {
    const g: GenOptions = { lo: dtype === "uint8" ? 0 : -4, hi: 4, integers: true };
    for (const layout of LAYOUTS)
      for (const dim of [0, 1, -1])
        for (const descending of [false, true])
          await c.compare(`${dtype} [7, 5] ${layout} dim=${dim} descending=${descending} (ties)`, (d) => d.gen([7, 5], dtype, { ...g, layout }).sort(dim, descending));
    await c.compare(`${dtype} [300] distinct`, (d) => d.gen([300], dtype, { lo: 0, hi: dtype === "uint8" ? 255 : 1000 }).sort(0));
    await c.compare(`${dtype} 0-d`, (d) => d.gen([], dtype).sort(0));
    await c.compare(`${dtype} empty`, (d) => d.gen([3, 0], dtype).sort(1));
    await c.compare(`${dtype} argsort / topk`, (d) => {
      const x = d.gen([6, 9], dtype, g);
      const t = x.topk(4, 1);
      return [x.argsort(1, true), t.values, t.indices];
    });
    if (FLOATS.includes(dtype)) {
      const x = () => c.dev.t([3, NaN, -Infinity, 1, NaN, Infinity, 1], dtype);
      const up = x().sort(0);
      await c.expectValues("ascending: NaN last", up.values, [-Infinity, 1, 1, 3, Infinity, NaN, NaN]);
      await c.expectValues("ascending: stable indices", up.indices, [2, 3, 6, 0, 5, 1, 4]);
      const down = x().sort(0, true);
      await c.expectValues("descending: NaN first", down.values, [NaN, NaN, Infinity, 3, 1, 1, -Infinity]);
      await c.expectValues("descending: stable indices", down.indices, [1, 4, 5, 0, 3, 6, 2]);
    }
  },
};

const MATMUL_SHAPES: readonly (readonly [readonly number[], readonly number[]])[] = [
  [[5, 7], [7, 3]],
  [[2, 5, 7], [2, 7, 3]],
  [[2, 1, 5, 7], [3, 7, 4]],
  [[7], [7, 3]],
  [[5, 7], [7]],
  [[7], [7]],
  [[3, 0], [0, 4]],
  [[0, 7], [7, 3]],
  [[1, 1], [1, 1]],
];

/** matmul: transposed, offset, stepped and batch-broadcast operands; vector forms; K = 0 and M = 0; a larger odd product. */
export const matmulCase: TestCase = {
  // Integer matmul is not in the reference CPU backend (it refuses it), so the suite does not ask for it.
  dtypes: FLOATS,
  async run(c, dtype) {
    const g: GenOptions = { lo: -1, hi: 1 };
    for (const [sa, sb] of MATMUL_SHAPES)
      for (const [la, lb] of [["contiguous", "contiguous"], ["transposed", "contiguous"], ["contiguous", "transposed"], ["offset", "stepped"], ["broadcast", "transposed"]] as const)
        await c.compare(`${dtype} [${sa}] ${la} @ [${sb}] ${lb}`, (d) => d.gen(sa, dtype, { ...g, layout: la }).matmul(d.gen(sb, dtype, { ...g, layout: lb, seed: 3 })));
    if (dtype === "float32" || dtype === "float64")
      await c.compare(`${dtype} [33, 65] transposed @ [65, 17]`, (d) => d.gen([33, 65], dtype, { ...g, layout: "transposed" }).matmul(d.gen([65, 17], dtype, { ...g, seed: 5 })));
    if (dtype === "float32") {
      await c.expectValues("closed form", c.dev.t([[1, 2], [3, 4]], dtype).matmul(c.dev.t([[5, 6], [7, 8]], dtype)), [19, 22, 43, 50], [2, 2]);
      await c.expectValues("K = 0 gives zeros", c.dev.gen([2, 0], dtype).matmul(c.dev.gen([0, 3], dtype)), [0, 0, 0, 0, 0, 0], [2, 3]);
    }
    await c.expectThrows("mismatched shapes", () => c.dev.gen([2, 3], dtype).matmul(c.dev.gen([4, 5], dtype)), /cannot be multiplied/);
  },
};
