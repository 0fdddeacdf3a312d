// Fused scaled-dot-product attention on float32, forward and backward, one (batch, head) per task: the scores of a
// head are a GEMM into scratch, masked and softmaxed in place, then a second GEMM; the backward recomputes them.
#include "sdpa.h"
#include "denormals.h"
#include <algorithm>
#include <cmath>
#include <vector>

namespace tsorch {
namespace {

// Scores scale * q kᵀ (+ mask) of one head into p [L, S], turned into probabilities row by row; keys past a causal
// row get 0, a row with every key masked becomes NaN (as the composite's softmax of all -inf).
void probabilities(const Kernels* K, const SdpaArgs& a, int64_t b, int64_t h, const float* q, const float* k, float* p) {
  const int64_t L = a.L, S = a.S, E = a.E;
  GemmArgs g{L, S, E, q, E, 1, k, 1, E, p, S, a.scale, false};
  K->gemm(g, nullptr, 1);
  for (int64_t l = 0; l < L; l++) {
    float* pr = p + l * S;
    const int64_t send = a.causal ? std::min<int64_t>(S, l + 1) : S;
    if (a.mask_kind != 0) {
      const int64_t mb = a.mask_off + b * a.mask_st[0] + h * a.mask_st[1] + l * a.mask_st[2];
      if (a.mask_kind == 1) {
        for (int64_t s = 0; s < send; s++)
          if (a.mask_bool[mb + s * a.mask_st[3]] == 0) pr[s] = -INFINITY;
      } else
        for (int64_t s = 0; s < send; s++) pr[s] += a.mask_add[mb + s * a.mask_st[3]];
    }
    float m = -INFINITY;
    bool nan = false;
    for (int64_t s = 0; s < send; s++) {
      if (pr[s] != pr[s]) nan = true;
      m = pr[s] > m ? pr[s] : m;
    }
    if (nan) m = NAN;
    double sum = 0;
    for (int64_t s = 0; s < send; s++) sum += pr[s] = std::exp(pr[s] - m);
    const float inv = static_cast<float>(1.0 / sum);
    for (int64_t s = 0; s < send; s++) pr[s] *= inv;
    for (int64_t s = send; s < S; s++) pr[s] = 0;
  }
}
}  // namespace

void sdpa_forward(const Kernels* K, ThreadPool* pool, const SdpaArgs& a, const float* q, const float* k, const float* v, float* out) {
  const int64_t L = a.L, S = a.S, E = a.E, Ev = a.Ev;
  pool->run(a.B * a.H, pool->size(), [&](int64_t bh) {
    FlushDenormals ftz;
    thread_local std::vector<float> p;
    p.resize(static_cast<size_t>(L * S));
    const int64_t b = bh / a.H, h = bh % a.H;
    probabilities(K, a, b, h, q + bh * L * E, k + bh * S * E, p.data());
    GemmArgs g{L, Ev, S, p.data(), S, 1, v + bh * S * Ev, Ev, 1, out + bh * L * Ev, Ev, 1.0f, false};
    K->gemm(g, nullptr, 1);
  });
}

void sdpa_backward(const Kernels* K, ThreadPool* pool, const SdpaArgs& a, const float* q, const float* k, const float* v, const float* out,
                   const float* dout, float* dq, float* dk, float* dv) {
  const int64_t L = a.L, S = a.S, E = a.E, Ev = a.Ev;
  pool->run(a.B * a.H, pool->size(), [&](int64_t bh) {
    FlushDenormals ftz;
    thread_local std::vector<float> p, dp;
    p.resize(static_cast<size_t>(L * S));
    dp.resize(static_cast<size_t>(L * S));
    const int64_t b = bh / a.H, h = bh % a.H;
    const float* qh = q + bh * L * E;
    const float* kh = k + bh * S * E;
    const float* vh = v + bh * S * Ev;
    const float* oh = out + bh * L * Ev;
    const float* gh = dout + bh * L * Ev;
    probabilities(K, a, b, h, qh, kh, p.data());
    if (dv) {
      GemmArgs g{S, Ev, L, p.data(), 1, S, gh, Ev, 1, dv + bh * S * Ev, Ev, 1.0f, false};  // Pᵀ dO
      K->gemm(g, nullptr, 1);
    }
    if (!dq && !dk) return;
    GemmArgs g{L, S, Ev, gh, Ev, 1, vh, 1, Ev, dp.data(), S, 1.0f, false};  // dP = dO vᵀ
    K->gemm(g, nullptr, 1);
    for (int64_t l = 0; l < L; l++) {
      double dd = 0;
      for (int64_t e = 0; e < Ev; e++) dd += static_cast<double>(gh[l * Ev + e]) * oh[l * Ev + e];
      const float ddf = static_cast<float>(dd);
      float* dr = dp.data() + l * S;
      const float* pr = p.data() + l * S;
      const int64_t send = a.causal ? std::min<int64_t>(S, l + 1) : S;
      for (int64_t s = 0; s < send; s++) dr[s] = pr[s] * (dr[s] - ddf);
      for (int64_t s = send; s < S; s++) dr[s] = 0;
      if (a.mask_kind == 1) {
        const int64_t mb = a.mask_off + b * a.mask_st[0] + h * a.mask_st[1] + l * a.mask_st[2];
        for (int64_t s = 0; s < send; s++)
          if (a.mask_bool[mb + s * a.mask_st[3]] == 0) dr[s] = 0;
      }
    }
    if (dq) {
      GemmArgs g2{L, E, S, dp.data(), S, 1, kh, E, 1, dq + bh * L * E, E, a.scale, false};  // scale · dS k
      K->gemm(g2, nullptr, 1);
    }
    if (dk) {
      GemmArgs g3{S, E, L, dp.data(), 1, S, qh, E, 1, dk + bh * S * E, E, a.scale, false};  // scale · dSᵀ q
      K->gemm(g3, nullptr, 1);
    }
  });
}
}  // namespace tsorch
