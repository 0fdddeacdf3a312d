// The ISA-specific kernel table: every hot float32 loop, compiled once per instruction set (kernels_impl.inc) and
// picked at load by CPU feature detection (addon.cc). Pointers here are already bounds-checked by the caller.
#pragma once
#include <cstdint>

namespace tsorch {
class ThreadPool;

enum BinOp { B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_MAX = 4, B_MIN = 5 };
enum UnOp { U_EXP = 0, U_LOG, U_SQRT, U_RSQRT, U_TANH, U_SIGMOID, U_NEG, U_ABS, U_RECIP, U_SIN, U_COS, U_ERF, U_EXPM1, U_LOG1P };

struct GemmArgs {
  int64_t M, N, K;
  const float* A; int64_t rsa, csa;  // A[i, k] = A[i * rsa + k * csa]
  const float* B; int64_t rsb, csb;  // B[k, j] = B[k * rsb + j * csb]
  float* C; int64_t ldc;             // C[i, j] = C[i * ldc + j], contiguous rows
  float alpha;                       // C = alpha * A @ B (+ C when accumulate)
  bool accumulate;
};

struct Kernels {
  const char* isa;
  // Whole GEMM (blocking, packing, micro-kernel); splits work over `threads` workers of the pool (1 = caller only).
  void (*gemm)(const GemmArgs& g, ThreadPool* pool, int threads);
  void (*binary)(int op, int64_t n, const float* a, int64_t sa, const float* b, int64_t sb, float* o);
  void (*unary)(int op, int64_t n, const float* x, int64_t sx, float* o);
  double (*sum)(int64_t n, const float* x, int64_t sx);
  void (*accumulate)(int64_t n, const float* x, float* acc);  // acc += x, contiguous
  void (*copy)(int64_t n, const float* x, int64_t sx, float* o, int64_t so);
  void (*softmax)(bool log, int64_t r0, int64_t r1, int64_t n, const float* x, float* y);
  void (*softmax_bwd)(bool log, int64_t r0, int64_t r1, int64_t n, const float* y, const float* g, float* dx);
  void (*layernorm)(int64_t r0, int64_t r1, int64_t n, float eps, bool rms, const float* x, const float* w, const float* b,
                    float* y, float* mean, float* rstd);
  // dx for rows [r0, r1); dw / db partial sums added into dwacc / dbacc (n floats each, may be null).
  void (*layernorm_bwd)(int64_t r0, int64_t r1, int64_t n, float eps, bool rms, const float* x, const float* w, const float* g,
                        float* dx, float* dwacc, float* dbacc);
  void (*gelu)(bool tanh_approx, int64_t n, const float* x, float* y);
  void (*gelu_bwd)(bool tanh_approx, int64_t n, const float* x, const float* y, const float* g, float* dx);
  // log Σ exp(x) of one contiguous row (NaN when the row holds a NaN, -inf when empty): exp in float vectors, partial
  // sums added in double every 256 elements.
  double (*logsumexp)(int64_t n, const float* x);
  // d = coef · (exp(x - lse) - off) over one contiguous row (cross-entropy's gradient before the one-hot term).
  void (*ce_grad_row)(int64_t n, const float* x, float lse, float coef, float off, float* d);
  void (*adamw)(int64_t n, float* p, const float* g, float* m, float* v, double lr, double b1, double b2, double eps,
                double wd, double step, bool maximize);
};

const Kernels* kernels_avx512();
const Kernels* kernels_avx2();
const Kernels* kernels_generic();
}  // namespace tsorch
