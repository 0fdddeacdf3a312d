// Portable SIMD vector type over GCC/Clang vector extensions: each ISA translation unit sets TSORCH_VW (floats per
// vector) and its target pragma before including this, so one kernel source compiles to AVX-512, AVX2/FMA, NEON or SSE.
#pragma once
#include <cstring>
#include <cstdint>

namespace TSORCH_ISA {
constexpr int VW = TSORCH_VW;
typedef float vf __attribute__((vector_size(VW * 4)));
typedef int32_t vi __attribute__((vector_size(VW * 4)));

static inline vf vload(const float* p) { vf v; std::memcpy(&v, p, sizeof v); return v; }
static inline void vstore(float* p, vf v) { std::memcpy(p, &v, sizeof v); }
// x - 0, not 0 + x: the subtraction is exact for every x (-0 - 0 = -0), so it folds to a bare broadcast, while
// 0 + x would have to stay (it turns -0 into +0) without -ffast-math.
static inline vf vsplat(float x) { return x - vf{}; }
static inline float vsum(vf v) { float s = 0; for (int i = 0; i < VW; i++) s += v[i]; return s; }
static inline vf vmax(vf a, vf b) { return a > b ? a : b; }

// exp(x) in float: Cody-Waite range reduction by ln 2 and a degree-6 polynomial (about 1 ulp); inf and NaN kept.
// Results below FLT_MIN (x < -87.34) are 0: computing the denormal would cost a microcode assist per lane, and
// softmax rows routinely hold such logits.
static inline vf vexp(vf x) {
  const vf hi = vsplat(88.3762626647949f), lo = vsplat(-87.3365447504f);
  vf xc = x > hi ? hi : x;
  xc = xc < lo ? lo : xc;
  vf fx = xc * 1.44269504088896341f + 0.5f;
  vi ti = __builtin_convertvector(fx, vi);
  vf tf = __builtin_convertvector(ti, vf);
  tf = tf > fx ? tf - 1.0f : tf;  // floor
  vf r = xc - tf * 0.693359375f + tf * 2.12194440e-4f;
  vf p = vsplat(1.9875691500E-4f);
  p = p * r + 1.3981999507E-3f;
  p = p * r + 8.3334519073E-3f;
  p = p * r + 4.1665795894E-2f;
  p = p * r + 1.6666665459E-1f;
  p = p * r + 5.0000001201E-1f;
  p = p * r * r + r + 1.0f;
  // 2^n in two factors: n reaches 128 at the top of the range, one past the largest finite exponent.
  vi n = __builtin_convertvector(tf, vi);
  vi n1 = n >> 1, n2 = n - n1;
  vi e1 = (n1 + 127) << 23, e2 = (n2 + 127) << 23;
  vf s1, s2;
  std::memcpy(&s1, &e1, sizeof s1);
  std::memcpy(&s2, &e2, sizeof s2);
  vf y = p * s1 * s2;
  y = x > vsplat(88.7228393554688f) ? vsplat(__builtin_inff()) : y;
  y = x < lo ? vsplat(0.0f) : y;
  y = x != x ? x : y;
  return y;
}
}  // namespace TSORCH_ISA
