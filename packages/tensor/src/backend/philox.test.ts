// Philox4x32-10 against Random123's known-answer vectors, and philoxFill against a plain per-block reference loop.
import { describe, expect, it } from "vitest";
import { philox4x32, philoxFill, uint32ToUnitFloat } from "@tsorch/tensor/backend";

// The fill contract written the slow, obvious way: one philox4x32 call per block, Box-Muller on word pairs.
function referenceFill(out: Float32Array | Float64Array, key: [number, number], offset: number, kind: "uniform" | "normal"): void {
  const w = new Uint32Array(4);
  for (let i = 0; i < out.length; i++) {
    const block = offset + Math.floor(i / 4);
    philox4x32(block >>> 0, Math.floor(block / 4294967296) >>> 0, 0, 0, key[0], key[1], w);
    const j = i % 4;
    if (kind === "uniform") out[i] = uint32ToUnitFloat(w[j]);
    else {
      const a = j - (j % 2);
      const r = Math.sqrt(-2 * Math.log(1 - uint32ToUnitFloat(w[a])));
      const t = 2 * Math.PI * uint32ToUnitFloat(w[a + 1]);
      out[i] = j % 2 === 0 ? r * Math.cos(t) : r * Math.sin(t);
    }
  }
}

describe("Philox4x32-10", () => {
  it("gives Random123's known answers (kat_vectors: philox4x32 10 rounds)", () => {
    const w = new Uint32Array(4);
    const kat: [number[], number[], number[]][] = [
      [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
      [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
      [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
    ];
    for (const [c, k, want] of kat) {
      philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], w);
      expect(Array.from(w)).toEqual(want);
    }
  });

  it("philoxFill equals the per-block reference bit for bit (lengths 0–13 and 1001, offsets past 2^32, both kinds, float32/64)", () => {
    let cases = 0;
    const keys: [number, number][] = [[0, 0], [123, 4], [0xffffffff, 0x9e3779b9], [0xdeadbeef, 1]];
    const offsets = [0, 7, 2 ** 32 - 1, 2 ** 32 + 5, 3 * 2 ** 40 + 11];
    for (const key of keys)
      for (const offset of offsets)
        for (const kind of ["uniform", "normal"] as const)
          for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 1001])
            for (const Arr of [Float64Array, Float32Array]) {
              const got = new Arr(n);
              const want = new Arr(n);
              philoxFill(got, key, offset, kind);
              referenceFill(want, key, offset, kind);
              expect(got).toEqual(want);
              cases++;
            }
    console.log(`philoxFill vs reference: ${cases} cases`);
  });
});
