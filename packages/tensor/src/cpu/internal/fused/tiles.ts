// Small dense matrix products on float64 scratch for the fused attention: 4×4 register tiles (16 sums in locals), as the CPU matmul's micro-kernel.

/** C[m, n] = Σ_k A[m, k] · B[n, k] (A [M, K], B [N, K], row strides lda, ldb, ldc), overwriting C. */
export function abT(a: Float64Array, lda: number, b: Float64Array, ldb: number, c: Float64Array, ldc: number, M: number, N: number, K: number): void {
  const m4 = M & ~3;
  const n4 = N & ~3;
  for (let m = 0; m < m4; m += 4) {
    const a0 = m * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    for (let n = 0; n < n4; n += 4) {
      const b0 = n * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
        const y0 = b[b0 + k], y1 = b[b1 + k], y2 = b[b2 + k], y3 = b[b3 + k];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let p = m * ldc + n;
      c[p] = c00; c[p + 1] = c01; c[p + 2] = c02; c[p + 3] = c03; p += ldc;
      c[p] = c10; c[p + 1] = c11; c[p + 2] = c12; c[p + 3] = c13; p += ldc;
      c[p] = c20; c[p + 1] = c21; c[p + 2] = c22; c[p + 3] = c23; p += ldc;
      c[p] = c30; c[p + 1] = c31; c[p + 2] = c32; c[p + 3] = c33;
    }
  }
  // Edges: the rows below the last full tile, and the columns right of it.
  for (let m = 0; m < M; m++)
    for (let n = m < m4 ? n4 : 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[m * lda + k] * b[n * ldb + k];
      c[m * ldc + n] = s;
    }
}

/** C[m, n] = Σ_k A[m, k] · B[k, n] (A [M, K], B [K, N]), overwriting C. */
export function ab(a: Float64Array, lda: number, b: Float64Array, ldb: number, c: Float64Array, ldc: number, M: number, N: number, K: number): void {
  const m4 = M & ~3;
  const n4 = N & ~3;
  for (let m = 0; m < m4; m += 4) {
    const a0 = m * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    for (let n = 0; n < n4; n += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0, bk = n; k < K; k++, bk += ldb) {
        const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
        const y0 = b[bk], y1 = b[bk + 1], y2 = b[bk + 2], y3 = b[bk + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let p = m * ldc + n;
      c[p] = c00; c[p + 1] = c01; c[p + 2] = c02; c[p + 3] = c03; p += ldc;
      c[p] = c10; c[p + 1] = c11; c[p + 2] = c12; c[p + 3] = c13; p += ldc;
      c[p] = c20; c[p + 1] = c21; c[p + 2] = c22; c[p + 3] = c23; p += ldc;
      c[p] = c30; c[p + 1] = c31; c[p + 2] = c32; c[p + 3] = c33;
    }
  }
  for (let m = 0; m < M; m++)
    for (let n = m < m4 ? n4 : 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[m * lda + k] * b[k * ldb + n];
      c[m * ldc + n] = s;
    }
}

/** C[m, n] += Σ_k A[k, m] · B[k, n] (A [K, M], B [K, N]): accumulates into C. */
export function atbAdd(a: Float64Array, lda: number, b: Float64Array, ldb: number, c: Float64Array, ldc: number, M: number, N: number, K: number): void {
  const m4 = M & ~3;
  const n4 = N & ~3;
  for (let m = 0; m < m4; m += 4)
    for (let n = 0; n < n4; n += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0, ak = m, bk = n; k < K; k++, ak += lda, bk += ldb) {
        const x0 = a[ak], x1 = a[ak + 1], x2 = a[ak + 2], x3 = a[ak + 3];
        const y0 = b[bk], y1 = b[bk + 1], y2 = b[bk + 2], y3 = b[bk + 3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let p = m * ldc + n;
      c[p] += c00; c[p + 1] += c01; c[p + 2] += c02; c[p + 3] += c03; p += ldc;
      c[p] += c10; c[p + 1] += c11; c[p + 2] += c12; c[p + 3] += c13; p += ldc;
      c[p] += c20; c[p + 1] += c21; c[p + 2] += c22; c[p + 3] += c23; p += ldc;
      c[p] += c30; c[p + 1] += c31; c[p + 2] += c32; c[p + 3] += c33;
    }
  for (let m = 0; m < M; m++)
    for (let n = m < m4 ? n4 : 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[k * lda + m] * b[k * ldb + n];
      c[m * ldc + n] += s;
    }
}
