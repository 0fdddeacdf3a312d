// The kernels compiled for AVX-512 (F/BW/DQ/VL + FMA): 16 floats per vector; chosen at load when the CPU has them.
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
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")
#define TSORCH_ISA isa_avx512
#define TSORCH_ISA_NAME "avx512"
#define TSORCH_VW 16
#include "kernels_impl.inc"
namespace tsorch { const Kernels* kernels_avx512() { return &isa_avx512::table; } }
#else
#include "kernels.h"
namespace tsorch { const Kernels* kernels_avx512() { return nullptr; } }
#endif
