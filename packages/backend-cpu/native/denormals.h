// Flush-denormals scope for products: denormal operands make every FMA touching them take a microcode assist (a
// GEMM over denormal inputs ran over 100x slower), so GEMM and attention flush them (FTZ + DAZ, as MKL-backed PyTorch
// builds do) on each thread for the duration of their work only. The mode is restored afterwards: V8 computes
// JavaScript doubles with the same SSE control register, and elementwise kernels keep IEEE denormals.
#pragma once
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace tsorch {
struct FlushDenormals {
#if defined(__x86_64__) || defined(__i386__)
  unsigned saved;
  FlushDenormals() : saved(_mm_getcsr()) { _mm_setcsr(saved | 0x8040); }
  ~FlushDenormals() { _mm_setcsr(saved); }
#endif
};
}  // namespace tsorch
