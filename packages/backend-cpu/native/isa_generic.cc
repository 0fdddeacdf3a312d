// The portable kernels: 4-float vectors (SSE2 on x86-64, NEON on arm64, plain scalar code elsewhere).
#define TSORCH_ISA isa_generic
#if defined(__aarch64__)
#define TSORCH_ISA_NAME "neon"
#else
#define TSORCH_ISA_NAME "generic"
#endif
#define TSORCH_VW 4
#include "kernels_impl.inc"
namespace tsorch { const Kernels* kernels_generic() { return &isa_generic::table; } }
