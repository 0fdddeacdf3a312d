// WGSL scalar math with PyTorch's semantics where the builtins differ: NaN propagation, pow of negatives, Python-style %, accurate small-x forms.

/** Float helpers every elementwise shader includes. */
export const WGSL_MATH = /* wgsl */ `
// Runtime values: constant expressions may not produce infinities or NaN.
var<private> INF_BITS: u32 = 0x7f800000u;
var<private> NAN_BITS: u32 = 0x7fc00000u;
fn f_inf() -> f32 { return bitcast<f32>(INF_BITS); }
fn f_nan() -> f32 { return bitcast<f32>(NAN_BITS); }

// Accurate exp / log / trig: GPU builtins may be approximations (SwiftShader's exp(NaN) is inf, log(0) finite,
// sin off by 1e-4), so the elementwise kernels use range reduction and polynomials instead.
fn m_exp(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 88.72283935546875) { return f_inf(); }
  if (x < -103.97208404541016) { return 0.0; }
  let n = round(x * 1.4426950408889634);
  let r = (x - n * 0.693145751953125) - n * 1.428606765330187e-6;
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666667 + r * (0.041666668 + r * (0.008333334 + r * (0.0013888889 + r * 0.0001984127))))));
  let ni = i32(n);
  if (ni > 126) { return ldexp(ldexp(p, 126), ni - 126); }
  if (ni < -126) { return ldexp(ldexp(p, -126), ni + 126); }
  return ldexp(p, ni);
}
fn m_log(x0: f32) -> f32 {
  if (is_nan(x0) || x0 < 0.0) { return f_nan(); }
  if (x0 == 0.0) { return -f_inf(); }
  if (is_inf(x0)) { return x0; }
  var x = x0; var e = 0;
  if (x < 1.1754943508222875e-38) { x = x * 16777216.0; e = -24; }
  let fr = frexp(x);
  var m = fr.fract; e = e + fr.exp;
  if (m < 0.70710678) { m = m * 2.0; e = e - 1; }
  let f = m - 1.0;
  let s = f / (2.0 + f);
  let s2 = s * s;
  let t = 2.0 * s * (1.0 + s2 * (0.33333334 + s2 * (0.2 + s2 * (0.14285715 + s2 * (0.11111111 + s2 * 0.09090909)))));
  let fe = f32(e);
  return fe * 0.693145751953125 + (t + fe * 1.428606765330187e-6);
}
// x = k * pi/2 + r with |r| <= pi/4 (three-part pi/2 for accuracy up to |x| ~ 1e5).
fn m_reduce(x: f32) -> vec2<f32> {
  let k = round(x * 0.6366197723675814);
  let r = ((x - k * 1.5703125) - k * 4.837512969970703e-4) - k * 7.549789948768648e-8;
  return vec2<f32>(r, k);
}
fn m_sin_p(r: f32) -> f32 { let r2 = r * r; return r * (1.0 + r2 * (-0.16666667 + r2 * (0.008333334 + r2 * (-0.0001984127 + r2 * (2.7557319e-6 + r2 * -2.5052108e-8))))); }
fn m_cos_p(r: f32) -> f32 { let r2 = r * r; return 1.0 + r2 * (-0.5 + r2 * (0.041666668 + r2 * (-0.0013888889 + r2 * (2.4801587e-5 + r2 * (-2.7557319e-7 + r2 * 2.0876757e-9))))); }
fn m_sin(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let q = m_reduce(x); let k = i32(q.y) & 3;
  if (k == 0) { return m_sin_p(q.x); } if (k == 1) { return m_cos_p(q.x); } if (k == 2) { return -m_sin_p(q.x); } return -m_cos_p(q.x);
}
fn m_cos(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let q = m_reduce(x); let k = i32(q.y) & 3;
  if (k == 0) { return m_cos_p(q.x); } if (k == 1) { return -m_sin_p(q.x); } if (k == 2) { return -m_cos_p(q.x); } return m_sin_p(q.x);
}
fn m_tan(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let q = m_reduce(x); let s = m_sin_p(q.x); let c = m_cos_p(q.x);
  if ((i32(q.y) & 1) == 0) { return s / c; } return -c / s;
}
fn m_atan(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  var a = abs(x); var base = 0.0; var inv = false;
  if (a > 1.0) { a = 1.0 / a; inv = true; }
  if (a > 0.41421356) { a = (a - 1.0) / (a + 1.0); base = 0.7853981633974483; }
  let a2 = a * a;
  var p = 0.0;
  for (var k = 21; k >= 1; k -= 2) { p = 1.0 / f32(k) - a2 * p; }
  var r = base + a * p;
  if (inv) { r = 1.5707963267948966 - r; }
  return select(r, -r, x < 0.0);
}
fn m_atan2(y: f32, x: f32) -> f32 {
  if (is_nan(x) || is_nan(y)) { return x + y; }
  let neg = y < 0.0 || bitcast<u32>(y) == 0x80000000u;
  if (y == 0.0) {
    let xneg = x < 0.0 || bitcast<u32>(x) == 0x80000000u;
    return select(select(0.0, 3.141592653589793, xneg), select(-0.0, -3.141592653589793, xneg), neg);
  }
  if (is_inf(x)) {
    var r: f32;
    if (is_inf(y)) { r = select(0.7853981633974483, 2.356194490192345, x < 0.0); } else { r = select(0.0, 3.141592653589793, x < 0.0); }
    return select(r, -r, neg);
  }
  if (is_inf(y) || x == 0.0) { return select(1.5707963267948966, -1.5707963267948966, neg); }
  var r: f32;
  if (abs(y) <= abs(x)) { r = m_atan(y / x); if (x < 0.0) { r = r + select(3.141592653589793, -3.141592653589793, neg); } }
  else { r = select(1.5707963267948966, -1.5707963267948966, neg) - m_atan(x / y); }
  return r;
}
fn m_asin(x: f32) -> f32 { if (abs(x) > 1.0) { return f_nan(); } return m_atan2(x, sqrt((1.0 - x) * (1.0 + x))); }
fn m_acos(x: f32) -> f32 { if (abs(x) > 1.0) { return f_nan(); } return m_atan2(sqrt((1.0 - x) * (1.0 + x)), x); }
fn f_expm1(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * (0.0013888889 + x * (0.0001984127 + x * 0.0000248016)))))));
  }
  if (is_nan(x)) { return x; }
  return m_exp(x) - 1.0;
}
fn f_log1p(x: f32) -> f32 {
  if (x < -1.0) { return f_nan(); }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (is_inf(u)) { return u; }
  return m_log(u) * (x / (u - 1.0));
}
fn f_tanh(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  var t: f32;
  if (a < 0.55) { let e = f_expm1(2.0 * a); t = e / (e + 2.0); }
  else if (a > 20.0) { t = 1.0; }
  else { t = 1.0 - 2.0 / (m_exp(2.0 * a) + 1.0); }
  return select(t, -t, x < 0.0);
}
fn f_sigmoid(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + m_exp(-x)); }
  let e = m_exp(x);
  return e / (1.0 + e);
}
fn f_sinh(x: f32) -> f32 {
  if (abs(x) < 0.5) { let x2 = x * x; return x * (1.0 + x2 * (0.16666667 + x2 * (0.008333334 + x2 * 0.0001984127))); }
  return 0.5 * (m_exp(x) - m_exp(-x));
}
fn f_cosh(x: f32) -> f32 { if (is_nan(x)) { return x; } return 0.5 * (m_exp(x) + m_exp(-x)); }
fn f_erf(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a < 2.0) {
    // erf(x) = 2/sqrt(pi) exp(-x^2) sum (2x^2)^n x / (1*3*...*(2n+1)): positive terms, no cancellation.
    let t2 = 2.0 * a * a;
    var term = a; var sum = a;
    for (var k = 3; k < 80; k += 2) { term = term * t2 / f32(k); sum = sum + term; if (term < 1e-9 * sum) { break; } }
    let r = 1.1283791670955126 * m_exp(-a * a) * sum;
    return select(r, -r, x < 0.0);
  }
  if (a >= 6.0) { return select(1.0, -1.0, x < 0.0); }
  var f = a;
  for (var k = 60; k >= 1; k--) { f = a + f32(k) * 0.5 / f; }
  let erfc = m_exp(-a * a) * 0.5641895835477563 / f;
  return select(1.0 - erfc, erfc - 1.0, x < 0.0);
}
fn f_nz(x: f32) -> bool { return x != 0.0 || is_nan(x); }
fn f_sign(x: f32) -> f32 { if (x > 0.0) { return 1.0; } if (x < 0.0) { return -1.0; } return x; }
fn f_max(a: f32, b: f32) -> f32 { if (a > b || is_nan(a)) { return a; } return b; }
fn f_min(a: f32, b: f32) -> f32 { if (a < b || is_nan(a)) { return a; } return b; }
fn f_fmod(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b) || is_inf(a) || b == 0.0) { return f_nan(); }
  if (is_inf(b)) { return a; }
  return a - b * trunc(a / b);
}
fn f_rem(a: f32, b: f32) -> f32 {
  var m = f_fmod(a, b);
  if (m != 0.0 && ((b < 0.0) != (m < 0.0))) { m = m + b; }
  return m;
}
fn f_fdiv(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return a / b; }
  let rm = f_fmod(a, b);
  var d = (a - rm) / b;
  if (rm != 0.0 && ((b < 0.0) != (rm < 0.0))) { d = d - 1.0; }
  if (d == 0.0) { return select(0.0, -0.0, a / b < 0.0); }
  var fl = floor(d);
  if (d - fl > 0.5) { fl = fl + 1.0; }
  return fl;
}
fn f_pow(a: f32, b: f32) -> f32 {
  // JavaScript's Math.pow, as the reference CPU backend: pow(1, NaN) and pow(±1, ±inf) are NaN.
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f_nan(); }
  if (a == 1.0 && !is_inf(b)) { return 1.0; }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  if (b == 0.5) { return sqrt(a); }
  let ab = abs(a);
  if (a == 0.0) {
    if (b > 0.0) { let odd = fract(b * 0.5) == 0.5; return select(0.0, a, odd); }
    let odd = fract(b * 0.5) == 0.5;
    return select(f_inf(), select(f_inf(), -f_inf(), bitcast<u32>(a) == 0x80000000u), odd);
  }
  if (is_inf(b)) {
    if (ab == 1.0) { return f_nan(); }
    if ((ab > 1.0) == (b > 0.0)) { return f_inf(); }
    return 0.0;
  }
  if (is_inf(a)) {
    let odd = fract(b * 0.5) == 0.5;
    let r = select(0.0, f_inf(), b > 0.0);
    return select(r, -r, a < 0.0 && odd);
  }
  if (a < 0.0) {
    if (trunc(b) != b) { return f_nan(); }
    let r = m_exp(b * m_log(ab));
    return select(r, -r, fract(b * 0.5) == 0.5);
  }
  return m_exp(b * m_log(ab));
}
fn i_div(a: i32, b: i32) -> i32 { if (b == 0) { return 0; } if (b == -1) { return -a; } return a / b; }
`;

/** int64 division by shift-subtract on (lo, hi) pairs, with Python's floor semantics, for shaders with the error buffer. */
export const WGSL_INT64_DIV = /* wgsl */ `
fn l_shl1(a: vec2<u32>) -> vec2<u32> { return vec2<u32>(a.x << 1u, (a.y << 1u) | (a.x >> 31u)); }
fn l_ult(a: vec2<u32>, b: vec2<u32>) -> bool { return a.y < b.y || (a.y == b.y && a.x < b.x); }
fn l_udivmod(n: vec2<u32>, d: vec2<u32>) -> array<vec2<u32>, 2> {
  var q = vec2<u32>(0u, 0u); var r = vec2<u32>(0u, 0u);
  for (var i = 63i; i >= 0; i--) {
    r = l_shl1(r);
    let bit = select((n.x >> u32(i)) & 1u, (n.y >> u32(i - 32)) & 1u, i >= 32);
    r.x = r.x | bit;
    q = l_shl1(q);
    if (!l_ult(r, d)) { r = l_sub(r, d); q.x = q.x | 1u; }
  }
  return array<vec2<u32>, 2>(q, r);
}
fn l_abs(a: vec2<u32>) -> vec2<u32> { return select(a, l_neg(a), l_neg_q(a)); }
fn l_zero(a: vec2<u32>) -> bool { return (a.x | a.y) == 0u; }
fn l_rem(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  if (l_zero(b)) { raise(0); return b; }
  let qr = l_udivmod(l_abs(a), l_abs(b));
  var m = select(qr[1], l_neg(qr[1]), l_neg_q(a));
  if (!l_zero(m) && (l_neg_q(m) != l_neg_q(b))) { m = l_add(m, b); }
  return m;
}
fn l_fdiv(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  if (l_zero(b)) { raise(0); return b; }
  let qr = l_udivmod(l_abs(a), l_abs(b));
  let neg = l_neg_q(a) != l_neg_q(b);
  var q = select(qr[0], l_neg(qr[0]), neg);
  if (neg && !l_zero(qr[1])) { q = l_sub(q, vec2<u32>(1u, 0u)); }
  return q;
}
fn l_pow(a: vec2<u32>, e0: vec2<u32>) -> vec2<u32> {
  if (l_neg_q(e0)) {
    if (a.x == 1u && a.y == 0u) { return a; }
    if (a.x == 0xffffffffu && a.y == 0xffffffffu) { return select(a, vec2<u32>(1u, 0u), (e0.x & 1u) == 0u); }
    raise(bitcast<i32>(e0.x)); return vec2<u32>(0u, 0u);
  }
  var r = vec2<u32>(1u, 0u); var b = a; var e = e0;
  loop { if (l_zero(e)) { break; } if ((e.x & 1u) != 0u) { r = l_mul(r, b); } b = l_mul(b, b); e = vec2<u32>((e.x >> 1u) | (e.y << 31u), e.y >> 1u); }
  return r;
}
`;

/** Integer helpers that can fail (division by zero, negative powers): only in shaders that bind the error buffer. */
export const WGSL_INT_ERR = /* wgsl */ `
fn i_rem(a: i32, b: i32) -> i32 {
  if (b == 0) { raise(0); return 0; }
  if (b == -1) { return 0; }
  var m = a % b;
  if (m != 0 && ((b < 0) != (m < 0))) { m = m + b; }
  return m;
}
fn i_fdiv(a: i32, b: i32) -> i32 {
  if (b == 0) { raise(0); return 0; }
  if (b == -1) { return -a; }
  var q = a / b;
  if ((a % b) != 0 && ((a < 0) != (b < 0))) { q = q - 1; }
  return q;
}
fn i_pow(a: i32, e0: i32) -> i32 {
  if (e0 < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(-1, 1, (e0 & 1) == 0); }
    raise(e0);
    return 0;
  }
  var r = 1; var b = a; var e = e0;
  loop { if (e <= 0) { break; } if ((e & 1) != 0) { r = r * b; } b = b * b; e = e >> 1; }
  return r;
}
`;
