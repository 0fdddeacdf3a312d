// Batched matmul on the CPU: GotoBLAS-style blocking with operands packed into float64 panels and a 4x4 register-tiled micro-kernel.

import type { AnyKernel } from "./half-wrap.js";
import { viaF32 } from "./half-wrap.js";
import type { CachingAllocator } from "./pool.js";

// Block sizes: a KC x 4 panel of B (8 KB) stays in L1 while MC x KC of A (~200 KB) sits in L2.
const KC = 256;
const MC = 96;
const NC = 512;
const MR = 4;
const NR = 4;

// Packed panels are float64 whatever the input dtype, so the micro-kernel sees one array type (and no
// float32 -> float64 conversions in its loop).
let aPack = new Float64Array(MC * KC);
let bPack = new Float64Array(KC * NC);

/** Packs B[k0:k0+kc, j0:j0+nc] as column panels of NR: bp[(jp*kc + k)*NR + c], zero-padded. */
function packB(b: Float32Array | Float64Array, off: number, sk: number, sn: number, k0: number, kc: number, j0: number, nc: number, bp: Float64Array): void {
  let q = 0;
  for (let jp = 0; jp < nc; jp += NR) {
    const w = Math.min(NR, nc - jp);
    for (let k = 0; k < kc; k++) {
      const base = off + (k0 + k) * sk + (j0 + jp) * sn;
      if (w === NR) {
        bp[q] = b[base];
        bp[q + 1] = b[base + sn];
        bp[q + 2] = b[base + 2 * sn];
        bp[q + 3] = b[base + 3 * sn];
      } else {
        for (let c = 0; c < NR; c++) bp[q + c] = c < w ? b[base + c * sn] : 0;
      }
      q += NR;
    }
  }
}

/** Packs A[i0:i0+mc, k0:k0+kc] as row panels of MR: ap[(ip*kc + k)*MR + r], zero-padded. */
function packA(a: Float32Array | Float64Array, off: number, sm: number, sk: number, i0: number, mc: number, k0: number, kc: number, ap: Float64Array): void {
  let q = 0;
  for (let ip = 0; ip < mc; ip += MR) {
    const h = Math.min(MR, mc - ip);
    for (let k = 0; k < kc; k++) {
      const base = off + (i0 + ip) * sm + (k0 + k) * sk;
      if (h === MR) {
        ap[q] = a[base];
        ap[q + 1] = a[base + sm];
        ap[q + 2] = a[base + 2 * sm];
        ap[q + 3] = a[base + 3 * sm];
      } else {
        for (let r = 0; r < MR; r++) ap[q + r] = r < h ? a[base + r * sm] : 0;
      }
      q += MR;
    }
  }
}

/** C[c0.., 4x4 block] += Ap panel · Bp panel over kc; the 16 sums live in locals (registers). */
function micro(ap: Float64Array, pa: number, bp: Float64Array, pb: number, kc: number, c: Float64Array, c0: number, ldc: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0; k < kc; k++) {
    const a0 = ap[pa], a1 = ap[pa + 1], a2 = ap[pa + 2], a3 = ap[pa + 3];
    const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    pa += 4;
    pb += 4;
  }
  let p = c0;
  c[p] += c00; c[p + 1] += c01; c[p + 2] += c02; c[p + 3] += c03; p += ldc;
  c[p] += c10; c[p + 1] += c11; c[p + 2] += c12; c[p + 3] += c13; p += ldc;
  c[p] += c20; c[p + 1] += c21; c[p + 2] += c22; c[p + 3] += c23; p += ldc;
  c[p] += c30; c[p + 1] += c31; c[p + 2] += c32; c[p + 3] += c33;
}

/**
 * acc[M x ldc] (float64, zeroed, ldc = N rounded up to NR, rows padded to MR) += A · B for one batch.
 * A and B are any strided float arrays.
 */
function gemm(
  M: number, N: number, K: number,
  a: Float32Array | Float64Array, ao: number, asm: number, ask: number,
  b: Float32Array | Float64Array, bo: number, bsk: number, bsn: number,
  acc: Float64Array, ldc: number,
): void {
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packB(b, bo, bsk, bsn, pc, kc, jc, nc, bPack);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packA(a, ao, asm, ask, ic, mc, pc, kc, aPack);
        for (let jr = 0; jr < nc; jr += NR)
          for (let ir = 0; ir < mc; ir += MR) micro(aPack, ir * kc, bPack, jr * kc, kc, acc, (ic + ir) * ldc + jc + jr, ldc);
      }
    }
  }
}

/** [B, M, K] @ [B, K, N] -> [B, M, N] for float32 / float64 (half via float32); batch stride may be 0. */
export function matmulKernel(pool: CachingAllocator): AnyKernel {
  const run: AnyKernel = (ins, outs) => {
    const [x, y] = ins;
    const out = outs[0];
    const [Bn, M, K] = x.shape;
    const N = y.shape[2];
    if (x.dtype === "int64" || x.dtype === "int32" || x.dtype === "uint8" || x.dtype === "bool") return integerMatmul(ins, outs);
    if (aPack.length < MC * KC) aPack = new Float64Array(MC * KC);
    if (bPack.length < KC * NC) bPack = new Float64Array(KC * NC);
    const o = out.buffer as Float32Array | Float64Array;
    const a = x.buffer as Float32Array | Float64Array;
    const b = y.buffer as Float32Array | Float64Array;
    const mn = M * N;
    if (mn === 0) return;
    if (K === 0) {
      o.fill(0, out.offset, out.offset + Bn * mn);
      return;
    }
    const ldc = Math.ceil(N / NR) * NR;
    const rows = Math.ceil(M / MR) * MR;
    const acc = pool.alloc("float64", rows * ldc) as Float64Array;
    try {
      for (let bi = 0; bi < Bn; bi++) {
        acc.fill(0);
        gemm(M, N, K, a, x.offset + bi * x.strides[0], x.strides[1], x.strides[2], b, y.offset + bi * y.strides[0], y.strides[1], y.strides[2], acc, ldc);
        const base = out.offset + bi * mn;
        if (ldc === N) o.set(acc.subarray(0, mn), base);
        else for (let i = 0; i < M; i++) o.set(acc.subarray(i * ldc, i * ldc + N), base + i * N);
      }
    } finally {
      pool.free(acc);
    }
  };
  return viaF32(pool, run);
}

// Integer matmul (rare: index arithmetic, tests) as a plain strided triple loop, wrapping like PyTorch's
// fixed-width integers: int64 in BigInt, int32 via Math.imul, uint8 modulo 256, bool as logical or-of-ands.
function integerMatmul(ins: Parameters<AnyKernel>[0], outs: Parameters<AnyKernel>[1]): void {
  const [x, y] = ins;
  const out = outs[0];
  const [Bn, M, K] = x.shape;
  const N = y.shape[2];
  const [xb, xm, xk] = x.strides;
  const [yb, yk, yn] = y.strides;
  const o = out.buffer;
  if (x.dtype === "int64") {
    const a = x.buffer as BigInt64Array;
    const b = y.buffer as BigInt64Array;
    const c = o as BigInt64Array;
    for (let bi = 0; bi < Bn; bi++)
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let acc = 0n;
          for (let k = 0; k < K; k++) acc += a[x.offset + bi * xb + i * xm + k * xk] * b[y.offset + bi * yb + k * yk + j * yn];
          c[out.offset + (bi * M + i) * N + j] = BigInt.asIntN(64, acc);
        }
    return;
  }
  const a = x.buffer as Int32Array | Uint8Array;
  const b = y.buffer as Int32Array | Uint8Array;
  const c = o as Int32Array | Uint8Array;
  for (let bi = 0; bi < Bn; bi++)
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc = (acc + Math.imul(a[x.offset + bi * xb + i * xm + k * xk], b[y.offset + bi * yb + k * yk + j * yn])) | 0;
        c[out.offset + (bi * M + i) * N + j] = x.dtype === "bool" ? (acc !== 0 ? 1 : 0) : acc;
      }
}
