// Philox4x32-10, the counter-based stream of @tsorch/tensor (src/backend/philox.ts), reproduced bit for bit: element i
// of a fill at block `offset` is word i % 4 of block offset + i / 4, as a uniform float (u >> 8) · 2^-24.
#pragma once
#include <cstdint>

namespace tsorch {

inline void philox4x32(uint32_t c[4], uint32_t k0, uint32_t k1) {
  for (int r = 0; r < 10; r++) {
    const uint64_t p0 = static_cast<uint64_t>(0xd2511f53u) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(0xcd9e8d57u) * c[2];
    const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k0;
    const uint32_t n1 = static_cast<uint32_t>(p1);
    const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k1;
    const uint32_t n3 = static_cast<uint32_t>(p0);
    c[0] = n0, c[1] = n1, c[2] = n2, c[3] = n3;
    k0 += 0x9e3779b9u;
    k1 += 0xbb67ae85u;
  }
}

// Uniform [0, 1) floats for elements [i0, i1) of a fill of the stream at block `offset` under key (k0, k1). The value
// has 24 bits, so float32 holds it exactly: the same number the TypeScript kernel computes in double and rounds.
inline void philox_uniform(float* out, int64_t i0, int64_t i1, uint64_t offset, uint32_t k0, uint32_t k1) {
  for (int64_t i = i0 - i0 % 4; i < i1; i += 4) {
    const uint64_t block = offset + static_cast<uint64_t>(i / 4);
    uint32_t c[4] = {static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32), 0, 0};
    philox4x32(c, k0, k1);
    for (int j = 0; j < 4; j++)
      if (i + j >= i0 && i + j < i1) out[i + j] = static_cast<float>(c[j] >> 8) * 5.9604644775390625e-8f;
  }
}

}  // namespace tsorch
