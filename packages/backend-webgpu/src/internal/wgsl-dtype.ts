// WGSL load/store code per dtype over raw u32 words: buffers keep the host byte layout (u8/bool packed 4 per word, halves 2, int64 as lo/hi pairs).

import type { DType } from "@tsorch/tensor/backend";

/** The family a dtype computes in: F = f32 (float32/float16/bfloat16), I = i32 (int32/uint8/bool), L = int64 as vec2<u32> (lo, hi). */
export type Family = "F" | "I" | "L";

/** Compute family of a dtype. */
export function familyOf(d: DType): Family {
  switch (d) {
    case "float32":
    case "float16":
    case "bfloat16":
      return "F";
    case "int64":
      return "L";
    default:
      return "I";
  }
}

/** WGSL type of a family's values. */
export function wgslType(f: Family): string {
  return f === "F" ? "f32" : f === "I" ? "i32" : "vec2<u32>";
}

/** True when elements are narrower than a word, so stores need atomics (neighbouring threads share words). */
export function isSubWord(d: DType): boolean {
  return d === "uint8" || d === "bool" || d === "float16" || d === "bfloat16";
}

/** Declaration of binding `b` named `name`; written sub-word buffers are atomic words. */
export function bindingDecl(b: number, name: string, write: boolean, subWord: boolean): string {
  if (!write) return `@group(0) @binding(${b}) var<storage, read> ${name}: array<u32>;`;
  return `@group(0) @binding(${b}) var<storage, read_write> ${name}: array<${subWord ? "atomic<u32>" : "u32"}>;`;
}

// Reads word w of a buffer, atomically when it is an atomic binding.
function word(name: string, w: string, atomic: boolean): string {
  return atomic ? `atomicLoad(&${name}[${w}])` : `${name}[${w}]`;
}

/** `fn ld_<name>(i: i32) -> T` reading element i of buffer `name` as its dtype's compute value. */
export function loadFn(name: string, d: DType, atomic = false): string {
  const f = `fn ld_${name}(i0: i32) -> ${wgslType(familyOf(d))} { let i = u32(i0);`;
  switch (d) {
    case "float32":
      return `${f} return bitcast<f32>(${word(name, "i", atomic)}); }`;
    case "int32":
      return `${f} return bitcast<i32>(${word(name, "i", atomic)}); }`;
    case "uint8":
    case "bool":
      return `${f} return i32((${word(name, "i >> 2u", atomic)} >> ((i & 3u) * 8u)) & 0xffu); }`;
    case "float16":
      return `${f} return h2f((${word(name, "i >> 1u", atomic)} >> ((i & 1u) * 16u)) & 0xffffu); }`;
    case "bfloat16":
      return `${f} return bitcast<f32>(((${word(name, "i >> 1u", atomic)} >> ((i & 1u) * 16u)) & 0xffffu) << 16u); }`;
    case "int64":
      return `${f} return vec2<u32>(${word(name, "2u * i", atomic)}, ${word(name, "2u * i + 1u", atomic)}); }`;
    case "float64":
      throw new Error("webgpu: float64 cannot be held on this device");
  }
}

// Replaces the bits of one sub-word element: the two atomics touch only this element's bits, so neighbours never race.
function subStore(name: string, w: string, shift: string, mask: string, v: string): string {
  return `atomicAnd(&${name}[${w}], ~(${mask} << ${shift})); atomicOr(&${name}[${w}], (${v} & ${mask}) << ${shift});`;
}

/** `fn st_<name>(i: i32, v: T)` writing element i of buffer `name` from its dtype's compute value. */
export function storeFn(name: string, d: DType): string {
  const f = `fn st_${name}(i0: i32, v: ${wgslType(familyOf(d))}) { let i = u32(i0);`;
  switch (d) {
    case "float32":
      return `${f} ${name}[i] = bitcast<u32>(v); }`;
    case "int32":
      return `${f} ${name}[i] = bitcast<u32>(v); }`;
    case "uint8":
      return `${f} ${subStore(name, "i >> 2u", "((i & 3u) * 8u)", "0xffu", "bitcast<u32>(v)")} }`;
    case "bool":
      return `${f} ${subStore(name, "i >> 2u", "((i & 3u) * 8u)", "0xffu", "select(0u, 1u, v != 0)")} }`;
    case "float16":
      return `${f} ${subStore(name, "i >> 1u", "((i & 1u) * 16u)", "0xffffu", "f2h(v)")} }`;
    case "bfloat16":
      return `${f} ${subStore(name, "i >> 1u", "((i & 1u) * 16u)", "0xffffu", "f2bf(v)")} }`;
    case "int64":
      return `${f} ${name}[2u * i] = v.x; ${name}[2u * i + 1u] = v.y; }`;
    case "float64":
      throw new Error("webgpu: float64 cannot be held on this device");
  }
}

/** WGSL expression converting `v` of family `from` to the compute value of dtype `to` (PyTorch cast semantics). */
export function convertExpr(v: string, from: DType, to: DType): string {
  const a = familyOf(from);
  const b = familyOf(to);
  if (to === "bool") {
    if (a === "F") return `select(0, 1, ${v} != 0.0 || is_nan(${v}))`;
    if (a === "L") return `select(0, 1, (${v}.x | ${v}.y) != 0u)`;
    return `select(0, 1, ${v} != 0)`;
  }
  if (a === b) return v;
  if (a === "F" && b === "I") return `f2i(${v})`;
  if (a === "I" && b === "F") return `f32(${v})`;
  if (a === "L" && b === "F") return `l2f(${v})`;
  if (a === "F" && b === "L") return `f2l(${v})`;
  if (a === "I" && b === "L") return `i2l(${v})`;
  return `bitcast<i32>(${v}.x)`; // L -> I: low word, as a C cast wraps
}

/** Shared WGSL helpers: half conversions (round to nearest even), NaN tests by bits, int64 pairs. */
export const WGSL_COMMON = /* wgsl */ `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn h2f(h: u32) -> f32 {
  let s = (h & 0x8000u) << 16u;
  let e = (h >> 10u) & 0x1fu;
  let m = h & 0x3ffu;
  if (e == 0u) { let r = f32(m) * 5.960464477539063e-8; return select(r, -r, s != 0u); }
  if (e == 31u) { return bitcast<f32>(s | 0x7f800000u | (m << 13u)); }
  return bitcast<f32>(s | ((e + 112u) << 23u) | (m << 13u));
}
fn f2h(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  let s = (b >> 16u) & 0x8000u;
  let ex = (b >> 23u) & 0xffu;
  var m = b & 0x7fffffu;
  if (ex == 255u) { return s | 0x7c00u | select(0u, 0x200u, m != 0u); }
  let e = i32(ex) - 112;
  if (e >= 31) { return s | 0x7c00u; }
  if (e <= 0) {
    if (e < -10) { return s; }
    m = m | 0x800000u;
    let sh = u32(14 - e);
    var h = m >> sh;
    let rem = m & ((1u << sh) - 1u);
    let half = 1u << (sh - 1u);
    if (rem > half || (rem == half && (h & 1u) != 0u)) { h = h + 1u; }
    return s | h;
  }
  var h = (u32(e) << 10u) | (m >> 13u);
  let rem = m & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u) != 0u)) { h = h + 1u; }
  return s | h;
}
fn f2bf(x: f32) -> u32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7fffffffu) > 0x7f800000u) { return ((b >> 16u) | 0x40u) & 0xffffu; }
  return ((b + 0x7fffu + ((b >> 16u) & 1u)) >> 16u) & 0xffffu;
}
fn f2i(x: f32) -> i32 {
  if (is_nan(x) || is_inf(x)) { return i32(-2147483647 - 1); }
  if (abs(x) < 2147483648.0) { return i32(x); }
  // Out of int32 range: wrap modulo 2^32 as a typed-array store does.
  let t = trunc(x);
  let hi = floor(t / 4294967296.0);
  return bitcast<i32>(u32(t - hi * 4294967296.0));
}
fn i2l(v: i32) -> vec2<u32> { return vec2<u32>(bitcast<u32>(v), select(0u, 0xffffffffu, v < 0)); }
fn l2f(v: vec2<u32>) -> f32 {
  if (l_fits(v)) { return f32(bitcast<i32>(v.x)); }
  // Magnitude first, so small negatives do not cancel 2^32 against a rounded low word.
  if (bitcast<i32>(v.y) < 0) { let m = l_neg(v); return -(f32(m.y) * 4294967296.0 + f32(m.x)); }
  return f32(v.y) * 4294967296.0 + f32(v.x);
}
fn f2l(x: f32) -> vec2<u32> {
  if (is_nan(x) || is_inf(x) || abs(x) >= 9.223372036854775807e18) { return vec2<u32>(0u, 0x80000000u); }
  let t = trunc(x);
  if (abs(t) < 2147483648.0) { return i2l(i32(t)); }
  let hi = floor(t / 4294967296.0);
  return vec2<u32>(u32(t - hi * 4294967296.0), bitcast<u32>(i32(hi)));
}
fn l_add(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { let lo = a.x + b.x; return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x)); }
fn l_neg(a: vec2<u32>) -> vec2<u32> { return l_add(vec2<u32>(~a.x, ~a.y), vec2<u32>(1u, 0u)); }
fn l_sub(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return l_add(a, l_neg(b)); }
fn mulhi32(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu; let ah = a >> 16u; let bl = b & 0xffffu; let bh = b >> 16u;
  let lolo = al * bl; let hilo = ah * bl; let lohi = al * bh; let hihi = ah * bh;
  let mid = (lolo >> 16u) + (hilo & 0xffffu) + (lohi & 0xffffu);
  return hihi + (hilo >> 16u) + (lohi >> 16u) + (mid >> 16u);
}
fn l_mul(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> { return vec2<u32>(a.x * b.x, mulhi32(a.x, b.x) + a.x * b.y + a.y * b.x); }
fn l_lt(a: vec2<u32>, b: vec2<u32>) -> bool { let ah = bitcast<i32>(a.y); let bh = bitcast<i32>(b.y); return ah < bh || (ah == bh && a.x < b.x); }
fn l_eq(a: vec2<u32>, b: vec2<u32>) -> bool { return a.x == b.x && a.y == b.y; }
fn l_neg_q(a: vec2<u32>) -> bool { return bitcast<i32>(a.y) < 0; }
fn l_sign(a: vec2<u32>) -> vec2<u32> { if (l_neg_q(a)) { return vec2<u32>(0xffffffffu, 0xffffffffu); } return vec2<u32>(select(0u, 1u, (a.x | a.y) != 0u), 0u); }
// The int32 value of an int64 known to fit (index values), or a marker out of any valid range.
fn l_fits(a: vec2<u32>) -> bool { return (a.y == 0u && a.x < 0x80000000u) || (a.y == 0xffffffffu && a.x >= 0x80000000u); }
`;

/** The WGSL expression of a zero of a family. */
export function zeroOf(f: Family): string {
  return f === "F" ? "0.0" : f === "I" ? "0" : "vec2<u32>(0u, 0u)";
}
