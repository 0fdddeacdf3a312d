// Tests of the CPU matmul (against a naive triple loop), sort (stability, NaN), gather/scatter/indexSelect/indexAdd and the allocator.

import { describe, expect, it } from "vitest";
import { createCpuBackend } from "./cpu-backend.js";
import { close, dense, out, rng, values, view, type TT } from "./test-helpers.js";

const cpu = createCpuBackend();
const K = cpu.kernels as unknown as Record<string, (i: TT[], o: TT[], a: unknown) => void>;

function naive(a: TT, b: TT): number[] {
  const [B, M, Kd] = a.shape;
  const N = b.shape[2];
  const va = values(a);
  const vb = values(b);
  const res: number[] = [];
  for (let bi = 0; bi < B; bi++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < Kd; k++) s += va[(bi * M + i) * Kd + k] * vb[(bi * Kd + k) * N + j];
        res.push(s);
      }
  return res;
}

describe("matmul", () => {
  const sizes = [1, 3, 7, 33, 65];
  it("matches a naive triple loop on odd shapes, transposed operands and broadcast batches (float32, float64)", () => {
    const r = rng(21);
    let checked = 0;
    for (const dtype of ["float32", "float64"] as const)
      for (const M of sizes)
        for (const Kd of [1, 7, 65, 300])
          for (const N of [1, 5, 33]) {
            const B = 2;
            const mk = (n: number): Float32Array | Float64Array =>
              dtype === "float32" ? new Float32Array(Array.from({ length: n }, () => r())) : new Float64Array(Array.from({ length: n }, () => r()));
            // A transposed per batch: storage [B, K, M]; B broadcast over batch (stride 0) and dense.
            const a = view(mk(B * M * Kd), dtype, [B, M, Kd], [M * Kd, 1, M]);
            const b = view(mk(Kd * N), dtype, [B, Kd, N], [0, N, 1]);
            const o = out(dtype, [B, M, N]);
            K.matmul([a, b], [o], {});
            const want = naive(a, b);
            values(o).forEach((g, i) => {
              if (!close(g, want[i], dtype === "float32" ? 1e-5 : 1e-12, 1e-5)) throw new Error(`matmul ${dtype} ${M}x${Kd}x${N} at ${i}: ${g} != ${want[i]}`);
            });
            checked++;
          }
    expect(checked).toBe(2 * sizes.length * 4 * 3);
  });

  it("computes float16 / bfloat16 through float32 and handles K = 0", () => {
    const a = dense(new Uint16Array([0x3c00, 0x4000, 0x4200, 0x4400]), "float16", [1, 2, 2]); // [[1,2],[3,4]]
    const o = out("float16", [1, 2, 2]);
    K.matmul([a, a], [o], {});
    expect(values(o)).toEqual([7, 10, 15, 22]);
    const z = out("float32", [1, 2, 3]);
    K.matmul([dense(new Float32Array(0), "float32", [1, 2, 0]), dense(new Float32Array(0), "float32", [1, 0, 3])], [z], {});
    expect(values(z)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe("sort", () => {
  it("is stable, puts NaN last ascending and first descending, and returns int64 indices", () => {
    const x = dense(new Float32Array([3, NaN, 1, 3, 0, NaN, 1]), "float32", [7]);
    const v = out("float32", [7]);
    const i = out("int64", [7]);
    K.sort([x], [v, i], { dim: 0, descending: false });
    expect(values(i)).toEqual([4, 2, 6, 0, 3, 1, 5]);
    K.sort([x], [v, i], { dim: 0, descending: true });
    expect(values(i)).toEqual([1, 5, 0, 3, 2, 6, 4]);
    expect(values(v).slice(2)).toEqual([3, 3, 1, 1, 0]);
  });

  it("sorts each line along dim 0 of a transposed view, for int64 too", () => {
    const x = view(new BigInt64Array([5n, 1n, 9n, -2n, 5n, 0n]), "int64", [3, 2], [1, 3]); // [[5,-2],[1,5],[9,0]]
    const v = out("int64", [3, 2]);
    const i = out("int64", [3, 2]);
    K.sort([x], [v, i], { dim: 0, descending: false });
    expect(values(v)).toEqual([1, -2, 5, 0, 9, 5]);
    expect(values(i)).toEqual([1, 0, 0, 2, 2, 1]);
  });
});

describe("indexing", () => {
  const x = dense(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), "float32", [3, 4]);
  it("gather along dims 0 and 1 with int32 and int64 indices", () => {
    const o = out("float32", [2, 2]);
    K.gather([x, dense(new Int32Array([2, 0, 1, 3]), "int32", [2, 2])], [o], { dim: 1 });
    expect(values(o)).toEqual([2, 0, 5, 7]);
    K.gather([view(x.buffer, "float32", [3, 4], [1, 3]), dense(new BigInt64Array([2n, 0n, 1n, 2n]), "int64", [2, 2])], [o], { dim: 0 });
    expect(values(o)).toEqual([2, 3, 1, 5]);
  });

  it("refuses out-of-range and negative indices with the op, index, dim and size", () => {
    expect(() => K.gather([x, dense(new Int32Array([4]), "int32", [1, 1])], [out("float32", [1, 1])], { dim: 1 })).toThrow(
      /gather: index 4 is out of bounds for dimension 1 with size 4/,
    );
    expect(() => K.indexSelect([x, dense(new BigInt64Array([-1n]), "int64", [1])], [out("float32", [1, 4])], { dim: 0 })).toThrow(
      /indexSelect: index -1 is out of bounds for dimension 0 with size 3/,
    );
    expect(() =>
      K.scatterAdd([x, dense(new Int32Array([3]), "int32", [1, 1]), dense(new Float32Array([1]), "float32", [1, 1])], [out("float32", [3, 4])], { dim: 0 }),
    ).toThrow(/scatterAdd: index 3 is out of bounds for dimension 0 with size 3/);
  });

  it("scatter and scatterAdd (repeated indices accumulate)", () => {
    const idx = dense(new BigInt64Array([0n, 0n, 2n]), "int64", [1, 3]);
    const src = dense(new Float32Array([10, 20, 30, 40]), "float32", [1, 4]);
    const o = out("float32", [3, 4]);
    K.scatter([x, idx, src], [o], { dim: 1 });
    expect(values(o).slice(0, 4)).toEqual([20, 1, 30, 3]);
    K.scatterAdd([x, idx, src], [o], { dim: 1 });
    expect(values(o).slice(0, 4)).toEqual([30, 1, 32, 3]);
    const oh = out("bfloat16", [2]);
    K.scatterAdd([dense(new Uint16Array([0x3f80, 0x3f80]), "bfloat16", [2]), dense(new Int32Array([1, 1]), "int32", [2]), dense(new Uint16Array([0x3f80, 0x4000]), "bfloat16", [2])], [oh], { dim: 0 });
    expect(values(oh)).toEqual([1, 4]);
  });

  it("indexSelect and indexAdd along both dims", () => {
    const o = out("float32", [2, 4]);
    K.indexSelect([x, dense(new Int32Array([2, 0]), "int32", [2])], [o], { dim: 0 });
    expect(values(o)).toEqual([8, 9, 10, 11, 0, 1, 2, 3]);
    const oc = out("float32", [3, 2]);
    K.indexSelect([x, dense(new BigInt64Array([3n, 3n]), "int64", [2])], [oc], { dim: 1 });
    expect(values(oc)).toEqual([3, 3, 7, 7, 11, 11]);
    const oa = out("float32", [3, 4]);
    K.indexAdd([x, dense(new Int32Array([1, 1]), "int32", [2]), dense(new Float32Array([1, 1, 1, 1, 2, 2, 2, 2]), "float32", [2, 4])], [oa], { dim: 0 });
    expect(values(oa).slice(4, 8)).toEqual([7, 8, 9, 10]);
    K.indexAdd([x, dense(new Int32Array([0]), "int32", [1]), dense(new Float32Array([100, 200, 300]), "float32", [3, 1])], [oa], { dim: 1 });
    expect(values(oa).filter((_, i) => i % 4 === 0)).toEqual([100, 204, 308]);
  });
});

describe("storage and allocator", () => {
  it("reuses freed arrays, reports bytes, and read returns a copy", async () => {
    const be = createCpuBackend({ poolCapBytes: 4096 });
    const a = be.alloc("float32", 256);
    expect(be.memory!()).toEqual({ allocatedBytes: 1024, pooledBytes: 0 });
    be.free(a); // each buffer is freed once: Storage guarantees it, so the pool does not pay for double-free checks
    // A size is pooled once it recurs (asked for again after a free), not on its first free.
    expect(be.memory!()).toEqual({ allocatedBytes: 0, pooledBytes: 0 });
    const a2 = be.alloc("float32", 256);
    expect(a2).not.toBe(a);
    be.free(a2);
    expect(be.memory!()).toEqual({ allocatedBytes: 0, pooledBytes: 1024 });
    expect(be.alloc("float32", 256)).toBe(a2);
    expect(be.alloc("float64", 128)).not.toBe(a2);
    // sizes freed once and never asked for again (a growing cache) are not pooled
    for (let i = 0; i < 8; i++) be.free(be.alloc("float32", 300 + i));
    expect(be.memory!().pooledBytes).toBe(0);
    // the cap evicts the oldest
    for (let r = 0; r < 2; r++) for (let i = 0; i < 8; i++) be.free(be.alloc("float32", 256 + i));
    expect(be.memory!().pooledBytes).toBeLessThanOrEqual(4096);
    be.write(a2, "float32", new Float32Array([1, 2, 3]), 5);
    const r = await be.read(a2, "float32", 5, 3);
    expect([...r]).toEqual([1, 2, 3]);
    (r as Float32Array)[0] = 9;
    expect([...be.readSync!(a2, "float32", 5, 1)]).toEqual([1]);
  });
});
