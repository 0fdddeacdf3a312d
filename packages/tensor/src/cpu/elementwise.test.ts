// Tests of the CPU elementwise kernels (unary, binary, compare, where) against reference loops, per dtype family and layout.

import { describe, expect, it } from "vitest";
import { allocArray, floatToBfloat16Bits, floatToHalfBits, type DType } from "../backend/index.js";
import { createCpuBackend } from "./cpu-backend.js";
import { close, dense, out, rng, values, view, type TT } from "./test-helpers.js";

const cpu = createCpuBackend();
const K = cpu.kernels as unknown as Record<string, (i: TT[], o: TT[], a: unknown) => void>;

function encode(dtype: DType, xs: number[]): TT["buffer"] {
  const b = allocArray(dtype, xs.length);
  xs.forEach((x, i) => {
    if (dtype === "int64") (b as BigInt64Array)[i] = BigInt(Math.trunc(x));
    else if (dtype === "float16") (b as Uint16Array)[i] = floatToHalfBits(x);
    else if (dtype === "bfloat16") (b as Uint16Array)[i] = floatToBfloat16Bits(x);
    else if (dtype === "bool") (b as Uint8Array)[i] = x !== 0 ? 1 : 0;
    else (b as Float64Array)[i] = x;
  });
  return b;
}

// Four layouts of a [3, 4] operand: dense, transposed storage, broadcast row (stride 0), offset slice.
function layouts(dtype: DType, gen: () => number): { name: string; t: TT }[] {
  const d = Array.from({ length: 12 }, gen);
  const tr = Array.from({ length: 12 }, gen);
  const row = Array.from({ length: 4 }, gen);
  const big = Array.from({ length: 40 }, gen);
  return [
    { name: "dense", t: dense(encode(dtype, d), dtype, [3, 4]) },
    { name: "transposed", t: view(encode(dtype, tr), dtype, [3, 4], [1, 3]) },
    { name: "broadcast", t: view(encode(dtype, row), dtype, [3, 4], [0, 1]) },
    { name: "offset", t: view(encode(dtype, big), dtype, [3, 4], [10, 2], 5) },
    { name: "scalar", t: view(encode(dtype, [gen()]), dtype, [3, 4], [0, 0]) },
  ];
}

const FAMILIES: { dtype: DType; gen: (r: ReturnType<typeof rng>) => number; tol: number }[] = [
  { dtype: "float32", gen: (r) => r(-3, 3), tol: 1e-6 },
  { dtype: "float64", gen: (r) => r(-3, 3), tol: 1e-12 },
  { dtype: "float16", gen: (r) => r(-3, 3), tol: 2e-3 },
  { dtype: "bfloat16", gen: (r) => r(-3, 3), tol: 1e-2 },
  { dtype: "int32", gen: (r) => Math.floor(r(-50, 50)), tol: 0 },
  { dtype: "int64", gen: (r) => Math.floor(r(-50, 50)), tol: 0 },
  { dtype: "uint8", gen: (r) => Math.floor(r(0, 15)), tol: 0 },
  { dtype: "bool", gen: (r) => (r() > 0 ? 1 : 0), tol: 0 },
];

const round = (dtype: DType, x: number): number => values(dense(encode(dtype, [x]), dtype, [1]))[0];

describe("binary and compare kernels", () => {
  for (const { dtype, gen, tol } of FAMILIES) {
    it(`${dtype}: add, mul, maximum, minimum, lt, eq over every layout pair`, () => {
      const r = rng(7);
      const ls = layouts(dtype, () => gen(r));
      const wrap = (x: number): number =>
        dtype === "bool" ? (x !== 0 ? 1 : 0) : dtype === "uint8" ? ((x % 256) + 256) % 256 : round(dtype, x);
      const ops: [string, (a: number, b: number) => number, boolean][] = [
        ["add", (a, b) => wrap(a + b), false],
        ["mul", (a, b) => wrap(a * b), false],
        ["maximum", (a, b) => Math.max(a, b), false],
        ["minimum", (a, b) => Math.min(a, b), false],
        ["lt", (a, b) => (a < b ? 1 : 0), true],
        ["eq", (a, b) => (a === b ? 1 : 0), true],
      ];
      let checked = 0;
      for (const a of ls)
        for (const b of ls)
          for (const [op, ref, isCmp] of ops) {
            const o = out(isCmp ? "bool" : dtype, [3, 4]);
            K[op]([a.t, b.t], [o], {});
            const va = values(a.t);
            const vb = values(b.t);
            const got = values(o);
            got.forEach((g, i) => {
              const want = ref(va[i], vb[i]);
              if (!close(g, want, tol, tol)) throw new Error(`${op} ${dtype} ${a.name}x${b.name} at ${i}: ${g} != ${want}`);
            });
            checked++;
          }
      expect(checked).toBe(ls.length * ls.length * ops.length);
    });
  }

  it("int64 sub/floorDivide/remainder follow Python semantics", () => {
    const a = dense(new BigInt64Array([7n, -7n, 7n, -7n, 9007199254740993n]), "int64", [5]);
    const b = dense(new BigInt64Array([2n, 2n, -2n, -2n, 2n]), "int64", [5]);
    const o = out("int64", [5]);
    K.floorDivide([a, b], [o], {});
    expect([...(o.buffer as BigInt64Array)]).toEqual([3n, -4n, -4n, 3n, 4503599627370496n]);
    K.remainder([a, b], [o], {});
    expect([...(o.buffer as BigInt64Array)]).toEqual([1n, 1n, -1n, -1n, 1n]);
    K.sub([a, b], [o], {});
    expect((o.buffer as BigInt64Array)[4]).toBe(9007199254740991n);
  });

  it("float remainder takes the divisor's sign, floorDivide floors, NaN propagates through maximum", () => {
    const a = dense(new Float32Array([5.5, -5.5, 5.5, NaN, 1]), "float32", [5]);
    const b = dense(new Float32Array([2, 2, -2, 1, NaN]), "float32", [5]);
    const o = out("float32", [5]);
    K.remainder([a, b], [o], {});
    expect(values(o).slice(0, 3)).toEqual([1.5, 0.5, -0.5]);
    K.floorDivide([a, b], [o], {});
    expect(values(o).slice(0, 3)).toEqual([2, -3, -3]);
    K.maximum([a, b], [o], {});
    expect(values(o).slice(3).map(Number.isNaN)).toEqual([true, true]);
    K.minimum([a, b], [o], {});
    expect(values(o).slice(3).map(Number.isNaN)).toEqual([true, true]);
  });

  it("int32 pow wraps and refuses negative exponents; int64 pow says to cast", () => {
    const o = out("int32", [2]);
    K.pow([dense(new Int32Array([3, 2]), "int32", [2]), dense(new Int32Array([4, 31]), "int32", [2])], [o], {});
    expect([...(o.buffer as Int32Array)]).toEqual([81, -2147483648]);
    expect(() => K.pow([dense(new Int32Array([2]), "int32", [1]), dense(new Int32Array([-1]), "int32", [1])], [out("int32", [1])], {})).toThrow(/negative/);
    const b = dense(new BigInt64Array([2n]), "int64", [1]);
    expect(() => K.pow([b, b], [out("int64", [1])], {})).toThrow(/pow: 64-bit integer arithmetic is not supported.*cast to float64 or int32/);
  });

  it("integer division by zero is an error", () => {
    const a = dense(new Int32Array([1]), "int32", [1]);
    const z = dense(new Int32Array([0]), "int32", [1]);
    expect(() => K.floorDivide([a, z], [out("int32", [1])], {})).toThrow(/floorDivide.*zero/);
  });
});

describe("unary kernels", () => {
  const xs = [-2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.5, 3.7, -3.7, NaN, Infinity, -Infinity];
  for (const dtype of ["float32", "float64"] as const) {
    it(`${dtype}: math ops match Math.* on a transposed view`, () => {
      const r = rng(3);
      const src = Array.from({ length: 12 }, () => r(-2, 2));
      const t = view(encode(dtype, src), dtype, [4, 3], [1, 4]);
      const cases: [string, (x: number) => number][] = [
        ["exp", Math.exp], ["log1p", Math.log1p], ["tanh", Math.tanh], ["sqrt", Math.sqrt], ["rsqrt", (x) => 1 / Math.sqrt(x)],
        ["sigmoid", (x) => 1 / (1 + Math.exp(-x))], ["reciprocal", (x) => 1 / x], ["atan", Math.atan], ["cosh", Math.cosh],
      ];
      for (const [op, f] of cases) {
        const o = out(dtype, [4, 3]);
        K[op]([t], [o], {});
        const v = values(t);
        values(o).forEach((g, i) => expect(close(g, round(dtype, f(v[i])), 1e-6, 1e-7), `${op}(${v[i]})`).toBe(true));
      }
    });
    it(`${dtype}: round is half-to-even, sign keeps NaN and 0, floor/ceil/trunc`, () => {
      const t = dense(encode(dtype, xs), dtype, [12]);
      const o = out(dtype, [12]);
      K.round([t], [o], {});
      expect(values(o).slice(0, 9)).toEqual([-2, -2, -0, 0, 0, 2, 2, 4, -4]);
      K.sign([t], [o], {});
      const s = values(o);
      expect(s.slice(0, 9)).toEqual([-1, -1, -1, 0, 1, 1, 1, 1, -1]);
      expect(Number.isNaN(s[9])).toBe(true);
      K.trunc([t], [o], {});
      expect(values(o).slice(7, 9)).toEqual([3, -3]);
    });
  }

  it("erf is accurate to float32 everywhere and about 1e-15 in float64", () => {
    const ref: [number, number][] = [
      [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [3, 0.9999779095030014],
      [-0.1, -0.1124629160182849], [1e-5, 1.1283791670579e-5], [1.9999, 0.9953201979070294], [2.0001, 0.9953243313041966],
      [4.5, 0.9999999998033839], [-5.9, -0.9999999999999999], [0.84375, 0.7672256612323416], [1.25, 0.9229001282564582],
    ];
    const t = dense(new Float64Array(ref.map((r) => r[0])), "float64", [ref.length]);
    const o = out("float64", [ref.length]);
    K.erf([t], [o], {});
    values(o).forEach((g, i) => expect(Math.abs(g - ref[i][1]) <= 1e-14 * Math.abs(ref[i][1]) + 1e-16, `erf(${ref[i][0]})`).toBe(true));
  });

  it("sigmoid is stable for large |x|", () => {
    const t = dense(new Float32Array([-1000, -100, 100, 1000]), "float32", [4]);
    const o = out("float32", [4]);
    K.sigmoid([t], [o], {});
    expect(values(o)).toEqual([0, round("float32", 1 / (1 + Math.exp(100))), 1, 1]);
  });

  it("int dtypes: neg/abs wrap, round is identity; int64 abs/sign/neg", () => {
    const t = dense(new Int32Array([-2147483648, -3, 0, 5]), "int32", [4]);
    const o = out("int32", [4]);
    K.abs([t], [o], {});
    expect([...(o.buffer as Int32Array)]).toEqual([-2147483648, 3, 0, 5]);
    K.round([t], [o], {});
    expect([...(o.buffer as Int32Array)]).toEqual([-2147483648, -3, 0, 5]);
    const b = dense(new BigInt64Array([-5n, 0n, 7n]), "int64", [3]);
    const ob = out("int64", [3]);
    K.sign([b], [ob], {});
    expect([...(ob.buffer as BigInt64Array)]).toEqual([-1n, 0n, 1n]);
    K.neg([b], [ob], {});
    expect([...(ob.buffer as BigInt64Array)]).toEqual([5n, 0n, -7n]);
  });

  it("predicates on float, half and int inputs", () => {
    const f = dense(new Float32Array([1, NaN, Infinity, -Infinity, 0]), "float32", [5]);
    const o = out("bool", [5]);
    K.isnan([f], [o], {});
    expect([...(o.buffer as Uint8Array)]).toEqual([0, 1, 0, 0, 0]);
    K.isfinite([f], [o], {});
    expect([...(o.buffer as Uint8Array)]).toEqual([1, 0, 0, 0, 1]);
    K.logicalNot([f], [o], {});
    expect([...(o.buffer as Uint8Array)]).toEqual([0, 0, 0, 0, 1]);
    const h = dense(encode("float16", [1, NaN, Infinity, -Infinity, 0]), "float16", [5]);
    K.isinf([h], [o], {});
    expect([...(o.buffer as Uint8Array)]).toEqual([0, 0, 1, 1, 0]);
    const i = dense(new BigInt64Array([1n, 0n, 2n, 0n, 3n]), "int64", [5]);
    K.isfinite([i], [o], {});
    expect([...(o.buffer as Uint8Array)]).toEqual([1, 1, 1, 1, 1]);
    K.logicalNot([i], [o], {});
    expect([...(o.buffer as Uint8Array)]).toEqual([0, 1, 0, 1, 0]);
  });
});

describe("where", () => {
  for (const { dtype, gen } of FAMILIES) {
    it(`${dtype}: picks by a broadcast condition`, () => {
      const r = rng(11);
      const [a, b] = layouts(dtype, () => gen(r));
      const cond = view(new Uint8Array([1, 0, 1, 1]), "bool", [3, 4], [0, 1]);
      const o = out(dtype, [3, 4]);
      K.where([cond, a.t, b.t], [o], {});
      const va = values(a.t);
      const vb = values(b.t);
      const vc = values(cond);
      expect(values(o)).toEqual(vc.map((c, i) => (c ? va[i] : vb[i])));
    });
  }
});
