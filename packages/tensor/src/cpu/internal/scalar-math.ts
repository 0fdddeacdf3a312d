// Scalar math the CPU kernels call per element, with PyTorch's semantics (half-to-even round, Python-style %, erf to double-ish accuracy).

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;

/** erf(x): a positive-term series below |x| = 2 (no cancellation), a continued fraction for erfc above. */
export function erf(x: number): number {
  if (x !== x) return x;
  const ax = Math.abs(x);
  if (ax < 2) {
    // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n (2x^2)^n x / (1*3*...*(2n+1))
    const x2 = x * x;
    const t2 = 2 * x2;
    let term = x;
    let sum = x;
    for (let k = 3; k < 200; k += 2) {
      term *= t2 / k;
      sum += term;
      if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  if (ax >= 6) return x > 0 ? 1 : -1;
  // erfc(x) = exp(-x^2) / sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail.
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  const erfc = (Math.exp(-ax * ax) * INV_SQRT_PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}

/** Round half to even, as torch.round. */
export function rint(x: number): number {
  const r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

/** Logistic function without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Python-style float remainder: the result has the divisor's sign. */
export function remainderF(a: number, b: number): number {
  let m = a % b;
  if (m !== 0 && b < 0 !== m < 0) m += b;
  return m;
}

/** Float floor division as PyTorch's div_floor (computed from fmod so that a = b*q + r stays consistent). */
export function floorDivF(a: number, b: number): number {
  if (b === 0) return a / b;
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  if (div === 0) return (a / b < 0 || Object.is(a / b, -0)) ? -0 : 0;
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
}

/** Integer remainder (Python %), refusing division by zero as PyTorch does. */
export function remainderI(a: number, b: number): number {
  if (b === 0) throw new RangeError("remainder: integer division by zero (ZeroDivisionError); the divisor has a 0. Use a float dtype to get NaN instead.");
  let m = a % b;
  if (m !== 0 && b < 0 !== m < 0) m += b;
  return m;
}

/** Integer floor division, refusing division by zero. */
export function floorDivI(a: number, b: number): number {
  if (b === 0) throw new RangeError("floorDivide: integer division by zero (ZeroDivisionError); the divisor has a 0. Use a float dtype to get inf instead.");
  return Math.floor(a / b);
}

/** int64 remainder (Python %). */
export function remainderBig(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("remainder: integer division by zero (ZeroDivisionError) in an int64 tensor.");
  let m = a % b;
  if (m !== 0n && b < 0n !== m < 0n) m += b;
  return m;
}

/** int64 floor division. */
export function floorDivBig(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("floorDivide: integer division by zero (ZeroDivisionError) in an int64 tensor.");
  let q = a / b;
  if (a % b !== 0n && a < 0n !== b < 0n) q -= 1n;
  return q;
}

/** Integer power with 32-bit wrap-around, as PyTorch's integer pow (negative exponents are refused). */
export function ipow32(a: number, e: number): number {
  if (e < 0) {
    if (a === 1) return 1;
    if (a === -1) return e % 2 === 0 ? 1 : -1;
    throw new RangeError("pow: integers to negative integer powers are not allowed; cast the base to a float dtype first.");
  }
  let r = 1;
  let b = a | 0;
  while (e > 0) {
    if (e & 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
    e = Math.floor(e / 2);
  }
  return r;
}

/** number -> int64 with truncation; NaN and infinities become INT64_MIN as on x86 PyTorch. */
export function toBig(x: number): bigint {
  if (x - x !== 0) return -9223372036854775808n;
  return BigInt(Math.trunc(x));
}

/** The error for an op that has no int64 kernel on the CPU backend. */
export function noInt64(op: string): never {
  throw new TypeError(`${op}: 64-bit integer arithmetic is not supported for this op on the CPU backend; cast to float64 or int32 first.`);
}
