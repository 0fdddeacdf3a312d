// Tests of the CPU copy (all dtype pairs, strided and negative-stride views), fill, random fills and reductions against reference loops.

import { describe, expect, it } from "vitest";
import { DTYPES, allocArray, floatToHalfBits, philoxFill, type DType } from "../backend/index.js";
import { createCpuBackend } from "./cpu-backend.js";
import { close, dense, out, rng, values, view, type TT } from "./test-helpers.js";

const cpu = createCpuBackend();
const K = cpu.kernels as unknown as Record<string, (i: TT[], o: TT[], a: unknown) => void>;

describe("copy", () => {
  it("converts between every pair of dtypes with PyTorch's cast rules", () => {
    const src = [1.7, -2.7, 0, 3, 200.5, -0.4];
    const want: Record<DType, number[]> = {
      float32: src.map(Math.fround),
      float64: src,
      float16: [1.7001953125, -2.69921875, 0, 3, 200.5, -0.39990234375],
      bfloat16: [1.703125, -2.703125, 0, 3, 200, -0.400390625],
      int32: [1, -2, 0, 3, 200, 0],
      int64: [1, -2, 0, 3, 200, 0],
      uint8: [1, 254, 0, 3, 200, 0],
      bool: [1, 1, 0, 1, 1, 1],
    };
    const f64 = dense(new Float64Array(src), "float64", [6]);
    let pairs = 0;
    for (const to of DTYPES) {
      const o = out(to, [6]);
      K.copy([f64], [o], {});
      expect(values(o), `float64 -> ${to}`).toEqual(want[to]);
      // and back from that dtype to every other one, compared with a two-step reference
      for (const to2 of DTYPES) {
        const o2 = out(to2, [6]);
        K.copy([o], [o2], {});
        const ref = out(to2, [6]);
        K.copy([dense(new Float64Array(values(o)), "float64", [6])], [ref], {});
        expect(values(o2), `${to} -> ${to2}`).toEqual(values(ref));
        pairs++;
      }
    }
    expect(pairs).toBe(64);
  });

  it("int64 keeps values beyond 2^53 exactly and NaN -> int64 is INT64_MIN", () => {
    const big = dense(new BigInt64Array([9007199254740993n, -5n]), "int64", [2]);
    const o = out("int64", [2]);
    K.copy([view(big.buffer, "int64", [2], [-1], 1)], [o], {});
    expect([...(o.buffer as BigInt64Array)]).toEqual([-5n, 9007199254740993n]);
    const i32 = out("int32", [2]);
    K.copy([big], [i32], {});
    expect([...(i32.buffer as Int32Array)]).toEqual([1, -5]);
    const n = out("int64", [1]);
    K.copy([dense(new Float32Array([NaN]), "float32", [1])], [n], {});
    expect((n.buffer as BigInt64Array)[0]).toBe(-9223372036854775808n);
  });

  it("handles negative strides, offsets and a strided output view", () => {
    const r = rng(5);
    const buf = new Float32Array(Array.from({ length: 60 }, () => r()));
    // a [3, 4] view walking rows backwards and columns with stride -2
    const src = view(buf, "float32", [3, 4], [-12, -2], 40);
    const dstBuf = new Float64Array(100).fill(-7);
    const dst = view(dstBuf, "float64", [3, 4], [1, 20], 3);
    K.copy([src], [dst], {});
    expect(values(dst)).toEqual(values(src));
    // untouched elements stay
    expect(dstBuf[0]).toBe(-7);
    expect(dstBuf.filter((x) => x === -7).length).toBe(88);
  });

  it("float16 round-to-nearest-even and bool from half", () => {
    const o = out("float16", [3]);
    K.copy([dense(new Float32Array([1 + 2 ** -11, 1 + 3 * 2 ** -11, 70000]), "float32", [3])], [o], {});
    expect(values(o)).toEqual([1, 1 + 2 * 2 ** -10, Infinity]);
    const b = out("bool", [3]);
    K.copy([dense(new Uint16Array([0x8000, floatToHalfBits(NaN), 0]), "float16", [3])], [b], {});
    expect([...(b.buffer as Uint8Array)]).toEqual([0, 1, 0]);
  });
});

describe("fill and random", () => {
  it("fill writes every element in the output dtype", () => {
    for (const dtype of DTYPES) {
      const o = out(dtype, [5]);
      K.fill([], [o], { value: dtype === "int64" ? 3n : 3 });
      expect(values(o)).toEqual(new Array(5).fill(dtype === "bool" ? 1 : 3));
    }
  });
  it("randUniform / randNormal reproduce philoxFill for every float dtype", () => {
    for (const kind of ["uniform", "normal"] as const) {
      const ref = new Float64Array(11);
      philoxFill(ref, [123, 4], 7, kind);
      for (const dtype of ["float32", "float64", "float16", "bfloat16"] as const) {
        const o = out(dtype, [11]);
        K[kind === "uniform" ? "randUniform" : "randNormal"]([], [o], { key: [123, 4], offset: 7 });
        const conv = out(dtype, [11]);
        K.copy([dense(ref, "float64", [11])], [conv], {});
        expect(values(o)).toEqual(values(conv));
      }
    }
  });
});

// Reference reduction over dims of a dense-logical [2, 3, 4] view.
function refReduce(v: number[], shape: number[], dims: number[], f: (a: number[]) => number): number[] {
  const outShape = shape.map((s, d) => (dims.includes(d) ? 1 : s));
  const groups = new Map<number, number[]>();
  const idx = [0, 0, 0];
  for (let e = 0; e < v.length; e++) {
    let k = 0;
    for (let d = 0; d < 3; d++) k = k * outShape[d] + (dims.includes(d) ? 0 : idx[d]);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(v[e]);
    for (let d = 2; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return [...groups.keys()].sort((a, b) => a - b).map((k) => f(groups.get(k)!));
}

describe("reductions", () => {
  const shape = [2, 3, 4];
  const dimSets = [[0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]];
  const nanMax = (a: number[]): number => (a.some(Number.isNaN) ? NaN : Math.max(...a));
  const nanMin = (a: number[]): number => (a.some(Number.isNaN) ? NaN : Math.min(...a));
  const ops: [string, (a: number[]) => number][] = [
    ["sum", (a) => a.reduce((x, y) => x + y, 0)],
    ["prod", (a) => a.reduce((x, y) => x * y, 1)],
    ["max", nanMax],
    ["min", nanMin],
  ];
  for (const dtype of ["float32", "float64", "float16", "int32", "int64"] as const) {
    it(`${dtype}: sum/prod/max/min over every dim set of dense and permuted views`, () => {
      const r = rng(9);
      const isInt = dtype === "int32" || dtype === "int64";
      const raw = Array.from({ length: 24 }, () => (isInt ? Math.floor(r(-4, 4)) : r(-2, 2)));
      if (!isInt) raw[13] = NaN;
      const buf = allocArray(dtype, 24);
      const asF = out(dtype, [24]);
      K.copy([dense(new Float64Array(raw), "float64", [24])], [asF], {});
      buf.set(asF.buffer as never);
      const inputs = [dense(buf, dtype, shape), view(buf, dtype, shape, [1, 8, 2])];
      let n = 0;
      for (const x of inputs)
        for (const dims of dimSets)
          for (const [op, f] of ops) {
            const o = out(dtype, shape.map((s, d) => (dims.includes(d) ? 1 : s)));
            K[op]([x], [o], { dims });
            const want = refReduce(values(x), shape, dims, f);
            values(o).forEach((g, i) => {
              const w = dtype === "float16" ? values(dense(new Uint16Array([floatToHalfBits(want[i])]), "float16", [1]))[0] : want[i];
              if (!close(g, w, dtype === "float32" ? 1e-6 : dtype === "float16" ? 2e-3 : 1e-12, 1e-6)) throw new Error(`${op} ${dtype} dims ${dims} at ${i}: ${g} != ${w}`);
            });
            n++;
          }
      expect(n).toBe(2 * dimSets.length * ops.length);
    });
  }

  it("argmax/argmin: first occurrence, NaN wins, int64 output with size 1 at dim", () => {
    const x = dense(new Float32Array([1, 5, 5, 0, 2, NaN, 7, NaN, 3, 3, 3, 3]), "float32", [3, 4]);
    const o = out("int64", [3, 1]);
    K.argmax([x], [o], { dim: 1 });
    expect([...(o.buffer as BigInt64Array)]).toEqual([1n, 1n, 0n]);
    K.argmin([x], [o], { dim: 1 });
    expect([...(o.buffer as BigInt64Array)]).toEqual([3n, 1n, 0n]);
    const o0 = out("int64", [1, 4]);
    K.argmax([x], [o0], { dim: 0 });
    expect([...(o0.buffer as BigInt64Array)]).toEqual([2n, 1n, 1n, 1n]);
    const b = dense(new BigInt64Array([3n, -9n, 12n, 12n]), "int64", [4]);
    const ob = out("int64", [1]);
    K.argmax([b], [ob], { dim: 0 });
    expect((ob.buffer as BigInt64Array)[0]).toBe(2n);
  });

  it("cumsum along each dim of a transposed view, for float32, int32 and int64", () => {
    for (const dtype of ["float32", "int32", "int64"] as const) {
      const src = Array.from({ length: 12 }, (_, i) => (i * 7) % 5 - 2);
      const t = out(dtype, [12]);
      K.copy([dense(new Float64Array(src), "float64", [12])], [t], {});
      const x = view(t.buffer, dtype, [4, 3], [1, 4]);
      const v = values(x);
      for (const dim of [0, 1]) {
        const o = out(dtype, [4, 3]);
        K.cumsum([x], [o], { dim });
        const want = v.map((_, e) => {
          const i = Math.floor(e / 3);
          const j = e % 3;
          let s = 0;
          if (dim === 0) for (let k = 0; k <= i; k++) s += v[k * 3 + j];
          else for (let k = 0; k <= j; k++) s += v[i * 3 + k];
          return s;
        });
        expect(values(o)).toEqual(want);
      }
    }
  });
});
