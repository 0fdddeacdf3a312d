// Fused attention (sdpa.cc): the geometry and mask of one call, already bounds-checked by addon.cc.
#pragma once
#include <cstdint>
#include "kernels.h"
#include "threadpool.h"

namespace tsorch {
struct SdpaArgs {
  int64_t B, H, L, S, E, Ev;
  float scale;
  bool causal;
  int mask_kind;  // 0 none, 1 bool (0 = masked out), 2 additive float32
  const uint8_t* mask_bool;
  const float* mask_add;
  int64_t mask_off;
  int64_t mask_st[4];  // strides over [B, H, L, S], 0 where broadcast
};

void sdpa_forward(const Kernels* K, ThreadPool* pool, const SdpaArgs& a, const float* q, const float* k, const float* v, float* out);
void sdpa_backward(const Kernels* K, ThreadPool* pool, const SdpaArgs& a, const float* q, const float* k, const float* v, const float* out,
                   const float* dout, float* dq, float* dk, float* dv);
}  // namespace tsorch
