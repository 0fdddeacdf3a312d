// The kernels compiled for AVX2 + FMA: 8 floats per vector; chosen at load when the CPU has them and no AVX-512.
#if defined(__x86_64__) || defined(__i386__)
// Library headers first, outside the target pragma: inline functions they define (std::function's, std::min) are
// shared by every translation unit, and the linker keeps one copy, which must not need this ISA.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include "denormals.h"
#include "kernels.h"
#include "threadpool.h"
#pragma GCC target("avx2,fma")
#define TSORCH_ISA isa_avx2
#define TSORCH_ISA_NAME "avx2"
#define TSORCH_VW 8
#include "kernels_impl.inc"
namespace tsorch { const Kernels* kernels_avx2() { return &isa_avx2::table; } }
#else
#include "kernels.h"
namespace tsorch { const Kernels* kernels_avx2() { return nullptr; } }
#endif
