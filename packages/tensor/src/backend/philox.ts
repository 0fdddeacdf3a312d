// Philox4x32-10 (Salmon et al., 2011), the counter-based generator every backend reproduces bit for bit.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/**
 * One Philox4x32-10 block: counter (c0..c3) and key (k0, k1) -> four 32-bit words, written to `out`.
 * @example const o = new Uint32Array(4); philox4x32(0, 0, 0, 0, 42, 0, o);
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let r = 0; r < 10; r++) {
    const p0hi = mulhi(M0, c0);
    const p0lo = Math.imul(M0, c0) >>> 0;
    const p1hi = mulhi(M1, c2);
    const p1lo = Math.imul(M1, c2) >>> 0;
    const n0 = (p1hi ^ c1 ^ k0) >>> 0;
    const n1 = p1lo;
    const n2 = (p0hi ^ c3 ^ k1) >>> 0;
    const n3 = p0lo;
    c0 = n0;
    c1 = n1;
    c2 = n2;
    c3 = n3;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers. */
export function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const hilo = aHi * bLo;
  const lohi = aLo * bHi;
  const hihi = aHi * bHi;
  const mid = (lolo >>> 16) + (hilo & 0xffff) + (lohi & 0xffff);
  return (hihi + (hilo >>> 16) + (lohi >>> 16) + (mid >>> 16)) >>> 0;
}

/** 32 random bits -> float in [0, 1) with 24 bits, as float32 kernels compute it. */
export function uint32ToUnitFloat(u: number): number {
  return (u >>> 8) * 5.9604644775390625e-8;
}

/**
 * Fills `out` with the Philox stream starting at block `offset` under `key`, as uniform [0, 1) floats
 * (`kind` "uniform") or standard normals (`kind` "normal": Box-Muller on words (0,1) and (2,3) of each block).
 * Element i uses block `offset + floor(i / 4)`, word `i % 4`: this is the contract of `randUniform` / `randNormal`.
 */
export function philoxFill(out: Float32Array | Float64Array, key: readonly [number, number], offset: number, kind: "uniform" | "normal"): void {
  const words = new Uint32Array(4);
  const n = out.length;
  for (let i = 0; i < n; i += 4) {
    const block = offset + i / 4;
    // The counter is 128 bits: low word, then the high part of block numbers above 2^32.
    philox4x32(block >>> 0, Math.floor(block / 4294967296) >>> 0, 0, 0, key[0] >>> 0, key[1] >>> 0, words);
    if (kind === "uniform") {
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = uint32ToUnitFloat(words[j]);
    } else {
      for (let j = 0; j < 4 && i + j < n; j += 2) {
        // 1 - u keeps the log argument in (0, 1].
        const u1 = 1 - uint32ToUnitFloat(words[j]);
        const u2 = uint32ToUnitFloat(words[j + 1]);
        const r = Math.sqrt(-2 * Math.log(u1));
        out[i + j] = r * Math.cos(2 * Math.PI * u2);
        if (i + j + 1 < n) out[i + j + 1] = r * Math.sin(2 * Math.PI * u2);
      }
    }
  }
}
