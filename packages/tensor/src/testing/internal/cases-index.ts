// Conformance cases of gather / scatter / scatterAdd / indexSelect / indexAdd (with out-of-range errors) and the Philox random fills.

import { philoxFill, type DType } from "../../backend/index.js";
import { Generator, rand, randn, type Tensor } from "../../index.js";
import type { CaseContext, TestCase } from "./case.js";
import { FLOATS } from "./cases-elementwise.js";
import { LAYOUTS, type Dev, type Layout } from "./harness.js";

const OUT_OF_RANGE = /out of (bounds|range)|index/i;

/** An index tensor from rows of host values, optionally stored transposed (a strided index). */
function idx(d: Dev, rows: readonly (readonly number[])[], dtype: DType, transposed = false): Tensor {
  const r = rows.length;
  const k = rows[0]?.length ?? 0;
  if (!transposed) return d.raw(rows.flat(), [r, k], dtype);
  const cols = Array.from({ length: k }, (_, j) => rows.map((row) => row[j]));
  return d.raw(cols.flat(), [k, r], dtype).T;
}

const INDEX_DTYPES = (c: CaseContext): DType[] => (["int64", "int32"] as const).filter((t) => c.has(t));
const gatherRows = (n: number, k: number, size: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, j) => (i * 7 + j * seed + 3) % size));

/** gather along both dims, strided input and index, int32 indices, 0-d and empty; out-of-range and negative indices fail. */
export const gatherCase: TestCase = {
  dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8", "bool"],
  needs: ["int64"],
  async run(c, dtype) {
    for (const it of INDEX_DTYPES(c))
      for (const layout of LAYOUTS)
        for (const tr of [false, true]) {
          await c.compare(`${dtype} [6, 5] ${layout} dim=1 index ${it} [6, 3]${tr ? " transposed" : ""}`, (d) => d.gen([6, 5], dtype, { layout }).gather(1, idx(d, gatherRows(6, 3, 5, 2), it, tr)));
          await c.compare(`${dtype} [6, 5] ${layout} dim=0 index ${it} [4, 5]${tr ? " transposed" : ""}`, (d) => d.gen([6, 5], dtype, { layout }).gather(0, idx(d, gatherRows(4, 5, 6, 5), it, tr)));
        }
    await c.compare(`${dtype} 0-d`, (d) => d.gen([], dtype).gather(0, d.raw([0], [], "int64")));
    await c.compare(`${dtype} empty index`, (d) => d.gen([6, 5], dtype).gather(1, d.raw([], [6, 0], "int64")));
    await c.expectDeviceError("index == size", (d) => d.gen([2, 5], dtype).gather(1, d.raw([0, 5, 1, 1], [2, 2], "int64")), OUT_OF_RANGE);
    await c.expectDeviceError("negative index", (d) => d.gen([2, 5], dtype).gather(1, d.raw([0, -1, 1, 1], [2, 2], "int64")), OUT_OF_RANGE);
  },
};

// Distinct positions along the scattered dim, so scatter's result does not depend on write order.
const rowsDim1 = Array.from({ length: 6 }, (_, r) => [r % 5, (r + 2) % 5, (r + 4) % 5]);
const rowsDim0 = [0, 1, 3].map((o) => Array.from({ length: 5 }, (_, j) => (j + o) % 6));

/** scatter along both dims with distinct positions, a larger src, strided operands, a scalar src; out-of-range fails. */
export const scatterCase: TestCase = {
  dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8", "bool"],
  needs: ["int64"],
  async run(c, dtype) {
    for (const it of INDEX_DTYPES(c))
      for (const layout of LAYOUTS) {
        const other: Layout = LAYOUTS[(LAYOUTS.indexOf(layout) + 1) % LAYOUTS.length];
        await c.compare(`${dtype} x ${layout}, src [6, 4] ${other}, dim=1, index ${it}`, (d) =>
          d.gen([6, 5], dtype, { layout }).scatter(1, idx(d, rowsDim1, it, layout === "transposed"), d.gen([6, 4], dtype, { layout: other, seed: 3 })),
        );
        await c.compare(`${dtype} x ${layout}, dim=0, index ${it}`, (d) => d.gen([6, 5], dtype, { layout }).scatter(0, idx(d, rowsDim0, it), d.gen([3, 5], dtype, { seed: 4 })));
      }
    await c.compare(`${dtype} scalar src`, (d) => d.gen([6, 5], dtype).scatter(1, idx(d, rowsDim1, "int64"), dtype === "bool" ? true : 7));
    await c.compare(`${dtype} empty index`, (d) => d.gen([6, 5], dtype).scatter(1, d.raw([], [6, 0], "int64"), d.gen([6, 0], dtype)));
    await c.expectDeviceError("index == size", (d) => d.gen([2, 3], dtype).scatter(1, d.raw([3, 0], [2, 1], "int64"), d.gen([2, 1], dtype)), OUT_OF_RANGE);
  },
};

/** scatterAdd with duplicate positions (they accumulate), strided operands, int32 indices; out-of-range fails. */
export const scatterAddCase: TestCase = {
  dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8"],
  needs: ["int64"],
  async run(c, dtype) {
    for (const it of INDEX_DTYPES(c))
      for (const layout of LAYOUTS) {
        await c.compare(`${dtype} x ${layout}, duplicates along dim=1, index ${it}`, (d) =>
          d.gen([6, 5], dtype, { layout }).scatterAdd(1, d.gen([6, 4], it, { lo: 0, hi: 5, layout }), d.gen([6, 4], dtype, { seed: 5, layout: "stepped" })),
        );
        await c.compare(`${dtype} x ${layout}, duplicates along dim=0, index ${it}`, (d) =>
          d.gen([6, 5], dtype, { layout }).scatterAdd(0, d.gen([9, 5], it, { lo: 0, hi: 6 }), d.gen([9, 5], dtype, { seed: 6 })),
        );
      }
    if (dtype === "float32")
      await c.expectValues("closed form", c.dev.t([0, 0, 0], dtype).scatterAdd(0, c.dev.t([0, 2, 0, 0], "int64"), c.dev.t([1, 2, 3, 4], dtype)), [8, 0, 2]);
    await c.expectDeviceError("negative index", (d) => d.gen([2, 3], dtype).scatterAdd(1, d.raw([-1, 0], [2, 1], "int64"), d.gen([2, 1], dtype)), OUT_OF_RANGE);
  },
};

/** indexSelect along both dims with repeated indices, strided input and index, int32, 0-d and empty; out-of-range fails. */
export const indexSelectCase: TestCase = {
  dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8", "bool"],
  needs: ["int64"],
  async run(c, dtype) {
    for (const it of INDEX_DTYPES(c))
      for (const layout of LAYOUTS) {
        await c.compare(`${dtype} [6, 5] ${layout} dim=0 index ${it}`, (d) => d.gen([6, 5], dtype, { layout }).indexSelect(0, d.raw([2, 0, 2, 5], [4], it)));
        await c.compare(`${dtype} [6, 5] ${layout} dim=1 strided index ${it}`, (d) => d.gen([6, 5], dtype, { layout }).indexSelect(1, d.gen([3], it, { lo: 0, hi: 5, layout: "stepped" })));
      }
    await c.compare(`${dtype} 0-d index`, (d) => d.gen([6, 5], dtype).indexSelect(1, d.raw([3], [], "int64")));
    await c.compare(`${dtype} empty index`, (d) => d.gen([6, 5], dtype).indexSelect(0, d.raw([], [0], "int64")));
    await c.compare(`${dtype} 0-d input`, (d) => d.gen([], dtype).indexSelect(0, d.raw([0], [1], "int64")));
    await c.compare(`${dtype} advanced indexing wraps negatives`, (d) => d.gen([6, 5], dtype).index(d.raw([-1, 0, 3], [3], "int64")));
    await c.expectDeviceError("index == size", (d) => d.gen([4, 3], dtype).indexSelect(0, d.raw([1, 4], [2], "int64")), OUT_OF_RANGE);
  },
};

/** indexAdd with repeated indices (they accumulate), strided source, alpha; out-of-range fails. */
export const indexAddCase: TestCase = {
  dtypes: ["float32", "float64", "float16", "bfloat16", "int32", "int64"],
  needs: ["int64"],
  async run(c, dtype) {
    for (const it of INDEX_DTYPES(c))
      for (const layout of LAYOUTS) {
        await c.compare(`${dtype} x ${layout} dim=0 index ${it}`, (d) => d.gen([6, 5], dtype, { layout }).indexAdd(0, d.raw([0, 4, 0], [3], it), d.gen([3, 5], dtype, { layout, seed: 2 })));
        await c.compare(`${dtype} x ${layout} dim=1 alpha=2 index ${it}`, (d) =>
          d.gen([6, 5], dtype, { layout }).indexAdd(1, d.raw([1, 1, 3], [3], it), d.gen([6, 3], dtype, { layout: "transposed", seed: 3 }), { alpha: 2 }),
        );
      }
    await c.expectDeviceError("index == size", (d) => d.gen([3, 2], dtype).indexAdd(0, d.raw([3], [1], "int64"), d.gen([1, 2], dtype)), OUT_OF_RANGE);
  },
};

const RAND_SHAPES: readonly (readonly number[])[] = [[1001], [3, 5], [2, 3, 7], [], [0, 4]];

/** randUniform / randNormal: the Philox contract, bitwise for float32 against the host stream, the CPU for other dtypes. */
export function randCase(kind: "uniform" | "normal"): TestCase {
  const draw = kind === "uniform" ? rand : randn;
  return {
    dtypes: FLOATS,
    async run(c, dtype) {
      const exact = dtype === "float32" && (kind === "uniform" || !c.tolerance.randnApproximate);
      const cases: { label: string; state: { seed: bigint; offset: number }; key: [number, number] }[] = [
        { label: "seed 1234", state: { seed: 1234n, offset: 0 }, key: [1234, 0] },
        { label: "64-bit seed", state: { seed: (1n << 40n) + 5n, offset: 0 }, key: [5, 256] },
        { label: "offset beyond 2^32 blocks", state: { seed: 7n, offset: 2 ** 32 + 3 }, key: [7, 0] },
      ];
      for (const { label, state, key } of cases)
        for (const shape of RAND_SHAPES) {
          const gen = (device: string) => {
            const g = new Generator();
            g.setState(state);
            return draw(shape, { dtype, device, generator: g });
          };
          await c.compare(`${dtype} ${label} [${shape}]`, (d) => gen(d.device), { exact });
          if (dtype === "float32") {
            const n = shape.reduce((a, b) => a * b, 1);
            const want = new Float32Array(n);
            philoxFill(want, key, state.offset, kind);
            await c.expectValues(`${label} [${shape}] equals philoxFill${exact ? " bit for bit" : ""}`, gen(c.device), Array.from(want), undefined, exact);
          }
        }
      // A stream continues where the previous draw stopped (whole 4-word blocks).
      await c.compare(`${dtype} consecutive draws`, (d) => {
        const g = new Generator(99);
        return [draw([5], { dtype, device: d.device, generator: g }), draw([6], { dtype, device: d.device, generator: g })];
      }, { exact });
      if (kind === "uniform") {
        const u = await rand([4096], { dtype, device: c.device, generator: new Generator(3) }).data();
        const vals = dtype === "float32" || dtype === "float64" ? Array.from(u as Float32Array) : [];
        if (vals.some((v) => !(v >= 0 && v < 1))) throw new Error(`randUniform on "${c.device}": a value outside [0, 1).`);
      }
    },
  };
}
