// Bulk float16 / bfloat16 <-> float32 conversion for the CPU backend (round-to-nearest-even, as backend/half.ts).

import { floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat } from "../../backend/index.js";

let f16Table: Float32Array | undefined;

// float16 has only 65536 values: a table makes decoding one load.
function halfTable(): Float32Array {
  if (f16Table === undefined) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = halfBitsToFloat(h);
  }
  return f16Table;
}

/** Decodes `n` half values from `src[so..]` into `dst[d0..]`. */
export function halfToF32(bf16: boolean, src: Uint16Array, so: number, dst: Float32Array, d0: number, n: number): void {
  if (bf16) {
    const u = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
    for (let i = 0; i < n; i++) u[d0 + i] = src[so + i] << 16;
  } else {
    const tab = halfTable();
    for (let i = 0; i < n; i++) dst[d0 + i] = tab[src[so + i]];
  }
}

/** Encodes `n` float32 values from `src[so..]` into half bits at `dst[d0..]`. */
export function f32ToHalf(bf16: boolean, src: Float32Array, so: number, dst: Uint16Array, d0: number, n: number): void {
  if (bf16) {
    const u = new Uint32Array(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < n; i++) {
      const b = u[so + i];
      dst[d0 + i] = (b & 0x7fffffff) > 0x7f800000 ? ((b >>> 16) | 0x40) & 0xffff : ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
    }
  } else {
    for (let i = 0; i < n; i++) dst[d0 + i] = floatToHalfBits(src[so + i]);
  }
}

/** One number -> half bits of either kind. */
export function toHalfBits(bf16: boolean, x: number): number {
  return bf16 ? floatToBfloat16Bits(x) : floatToHalfBits(x);
}
