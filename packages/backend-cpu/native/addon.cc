// The N-API surface of the native CPU backend: argument decoding, bounds checks of every view against its typed
// array (a JS-layer bug becomes an exception, never a wild read or write), strided iteration, threading, ISA dispatch.
#include <napi.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <vector>
#include "kernels.h"
#include "philox.h"
#include "sdpa.h"
#include "denormals.h"
#include "threadpool.h"

namespace tsorch {
namespace {

const Kernels* K = nullptr;
ThreadPool* pool = nullptr;
constexpr int MAXD = 16;
// Below this many elements a loop stays on the calling thread: waking a worker costs more than it saves.
constexpr int64_t PAR_GRAIN = 1 << 15;

int default_threads() {
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : static_cast<int>(hc);
}

struct View {
  float* data = nullptr;  // the array's start; a bool (uint8) view stores its byte pointer here with esize 1
  int esize = 4;
  int64_t length = 0;
  int64_t offset = 0;
  int64_t strides[MAXD] = {};
};

[[noreturn]] void fail(Napi::Env env, const std::string& msg) { throw Napi::Error::New(env, "@tsorch/backend-cpu: " + msg); }

float* f32(const Napi::Env& env, const Napi::Value& v, int64_t& len, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    fail(env, std::string(what) + " must be a Float32Array (a float32 buffer of the cpu device)");
  auto a = v.As<Napi::Float32Array>();
  len = static_cast<int64_t>(a.ElementLength());
  return a.Data();
}

struct Meta {
  const double* p;
  size_t n;
  size_t i = 0;
  Napi::Env env;
  Meta(Napi::Env e, const Napi::Value& v) : env(e) {
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) fail(e, "meta must be a Float64Array");
    auto a = v.As<Napi::Float64Array>();
    p = a.Data();
    n = a.ElementLength();
  }
  int64_t next() {
    if (i >= n) fail(env, "meta array is too short for the call");
    double d = p[i++];
    if (!(std::fabs(d) <= 9007199254740991.0) || d != std::floor(d)) fail(env, "meta holds a non-integer shape, stride or offset");
    return static_cast<int64_t>(d);
  }
  double real() {
    if (i >= n) fail(env, "meta array is too short for the call");
    return p[i++];
  }
};

// Refuses a view that reaches outside its array: offset + sum((size-1) * stride) over both stride signs.
void check_view(Napi::Env env, const char* op, const char* name, int64_t len, int64_t offset, int nd, const int64_t* shape,
                const int64_t* strides) {
  int64_t lo = offset, hi = offset;
  for (int d = 0; d < nd; d++) {
    if (shape[d] < 0) fail(env, std::string(op) + ": negative size in the shape of " + name);
    if (shape[d] == 0) return;
  }
  for (int d = 0; d < nd; d++) {
    int64_t span = (shape[d] - 1) * strides[d];
    if (span < 0) lo += span; else hi += span;
  }
  if (lo < 0 || hi >= len)
    fail(env, std::string(op) + ": the view of " + name + " (offset " + std::to_string(offset) + ") reaches elements [" +
                  std::to_string(lo) + ", " + std::to_string(hi) + "] of a buffer of " + std::to_string(len) +
                  " elements. This is a bug in the layer above the kernel; please report it with the op and shapes.");
}

int64_t numel(int nd, const int64_t* shape) {
  int64_t n = 1;
  for (int d = 0; d < nd; d++) n *= shape[d];
  return n;
}

// Element `off` of a view's array, whatever its element size (the pointer is then cast back by the row function).
inline float* at(const View& v, int64_t off) { return reinterpret_cast<float*>(reinterpret_cast<char*>(v.data) + off * v.esize); }

// Strided loop over `nops` views of one shape: dims merged where every view is contiguous across them, then the
// outer index space split over threads, each row handed to fn(pointers, strides of the last dim, row length).
template <class F>
void for_rows(int nd, const int64_t* shape_in, int nops, View* views, bool parallel, F fn) {
  int64_t shape[MAXD];
  int64_t st[4][MAXD];
  int m = 0;
  for (int d = 0; d < nd; d++) {
    if (shape_in[d] == 1) continue;
    if (m > 0) {
      bool merge = true;
      for (int o = 0; o < nops; o++) merge = merge && st[o][m - 1] == views[o].strides[d] * shape_in[d];
      if (merge) {
        shape[m - 1] *= shape_in[d];
        for (int o = 0; o < nops; o++) st[o][m - 1] = views[o].strides[d];
        continue;
      }
    }
    shape[m] = shape_in[d];
    for (int o = 0; o < nops; o++) st[o][m] = views[o].strides[d];
    m++;
  }
  if (m == 0) {
    shape[0] = 1;
    for (int o = 0; o < nops; o++) st[o][0] = 1;
    m = 1;
  }
  const int64_t inner = shape[m - 1];
  int64_t rows = 1;
  for (int d = 0; d < m - 1; d++) rows *= shape[d];
  auto work = [&](int64_t r0, int64_t r1) {
    int64_t idx[MAXD];
    int64_t rem = r0;
    for (int d = m - 2; d >= 0; d--) idx[d] = rem % shape[d], rem /= shape[d];
    float* ptr[4];
    int64_t is[4];
    for (int64_t r = r0; r < r1; r++) {
      for (int o = 0; o < nops; o++) {
        int64_t off = views[o].offset;
        for (int d = 0; d < m - 1; d++) off += idx[d] * st[o][d];
        ptr[o] = at(views[o], off);
        is[o] = st[o][m - 1];
      }
      fn(ptr, is, inner);
      for (int d = m - 2; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
  };
  if (parallel && rows > 1 && rows * inner >= 2 * PAR_GRAIN)
    pool->parallel_for(rows, std::max<int64_t>(1, PAR_GRAIN / std::max<int64_t>(inner, 1)), work);
  else if (parallel && rows == 1 && inner >= 2 * PAR_GRAIN && pool->size() > 1) {
    // One long row: split the row itself.
    View sub[4];
    pool->parallel_for(inner, PAR_GRAIN, [&](int64_t b, int64_t e) {
      float* ptr[4];
      int64_t is[4];
      for (int o = 0; o < nops; o++) ptr[o] = at(views[o], views[o].offset + b * st[o][m - 1]), is[o] = st[o][m - 1];
      fn(ptr, is, e - b);
    });
    (void)sub;
  } else
    work(0, rows);
}

uint8_t* u8(const Napi::Env& env, const Napi::Value& v, int64_t& len, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    fail(env, std::string(what) + " must be a Uint8Array (a bool buffer of the cpu device)");
  auto a = v.As<Napi::Uint8Array>();
  len = static_cast<int64_t>(a.ElementLength());
  return a.Data();
}

// Reads [nd, shape...] then per view [offset, strides...], checking each against its array.
int read_views(Meta& mt, const char* op, int nops, View* v, const char* const* names, int64_t* shape) {
  int nd = static_cast<int>(mt.next());
  if (nd < 0 || nd > MAXD) fail(mt.env, std::string(op) + ": rank " + std::to_string(nd) + " is outside 0.." + std::to_string(MAXD));
  for (int d = 0; d < nd; d++) shape[d] = mt.next();
  for (int o = 0; o < nops; o++) {
    v[o].offset = mt.next();
    for (int d = 0; d < nd; d++) v[o].strides[d] = mt.next();
    check_view(mt.env, op, names[o], v[o].length, v[o].offset, nd, shape, v[o].strides);
  }
  return nd;
}

template <class F>
auto guarded(Napi::Env env, const char* op, F f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    fail(env, std::string(op) + ": out of memory for the kernel's scratch buffers. Free tensors (dispose(), scope()) or use smaller batches.");
  }
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto o = Napi::Object::New(info.Env());
  o.Set("isa", K->isa);
  o.Set("threads", pool->size());
  o.Set("hardwareThreads", default_threads());
#ifdef TSORCH_ASAN
  o.Set("asan", true);
#else
  o.Set("asan", false);
#endif
  return o;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n < 1 || n > 1024) fail(info.Env(), "setNumThreads: the thread count must be an integer in [1, 1024], got " + std::to_string(n));
  if (n != pool->size()) pool->resize(n);
  return info.Env().Undefined();
}

// matmul(a, b, c, meta): meta = [B, M, N, K, aOff, aSb, aSm, aSk, bOff, bSb, bSk, bSn, cOff]; c contiguous [B, M, N].
Napi::Value Matmul(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t la, lb, lc;
  const float* a = f32(env, info[0], la, "matmul: a");
  const float* b = f32(env, info[1], lb, "matmul: b");
  float* c = f32(env, info[2], lc, "matmul: out");
  Meta mt(env, info[3]);
  int64_t Bn = mt.next(), M = mt.next(), N = mt.next(), Kd = mt.next();
  int64_t ao = mt.next(), asb = mt.next(), asm_ = mt.next(), ask = mt.next();
  int64_t bo = mt.next(), bsb = mt.next(), bsk = mt.next(), bsn = mt.next();
  int64_t co = mt.next();
  int64_t as[3] = {asb, asm_, ask}, bs[3] = {bsb, bsk, bsn}, cs[3] = {M * N, N, 1};
  int64_t ash[3] = {Bn, M, Kd}, bsh[3] = {Bn, Kd, N}, csh[3] = {Bn, M, N};
  check_view(env, "matmul", "a", la, ao, 3, ash, as);
  check_view(env, "matmul", "b", lb, bo, 3, bsh, bs);
  check_view(env, "matmul", "out", lc, co, 3, csh, cs);
  // A weight broadcast over the batch (stride 0, as x @ W of a [B, T, C] input arrives) with rows of A evenly spaced
  // across batches is one [B * M, K] @ [K, N] product: one packing of B instead of B of them, and full-height tiles.
  if (Bn > 1 && bsb == 0 && (M == 1 || asb == M * asm_)) {
    if (M == 1) asm_ = asb;
    M *= Bn;
    Bn = 1;
  }
  guarded(env, "matmul", [&] {
    FlushDenormals ftz;
    const int threads = pool->size();
    const double flops = 2.0 * static_cast<double>(M) * N * Kd;
    auto one = [&](int64_t i, int th) {
      GemmArgs g{M, N, Kd, a + ao + i * asb, asm_, ask, b + bo + i * bsb, bsk, bsn, c + co + i * M * N, N, 1.0f, false};
      K->gemm(g, pool, th);
    };
    // Many small products (attention heads): one product per thread; otherwise threads inside each product.
    if (Bn >= threads && flops < 2.0 * 256 * 256 * 256 && threads > 1 && flops * Bn > 1e6)
      pool->run(Bn, threads, [&](int64_t i) { one(i, 1); });
    else
      for (int64_t i = 0; i < Bn; i++) one(i, flops > 2e5 ? threads : 1);
    return 0;
  });
  return env.Undefined();
}

// binary(op, a, b, out, meta): meta = [nd, shape, aOff, aStr, bOff, bStr, oOff, oStr].
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int op = info[0].As<Napi::Number>().Int32Value();
  if (op < B_ADD || op > B_MIN) fail(env, "binary: unknown op code " + std::to_string(op));
  View v[3];
  v[0].data = f32(env, info[1], v[0].length, "binary: a");
  v[1].data = f32(env, info[2], v[1].length, "binary: b");
  v[2].data = f32(env, info[3], v[2].length, "binary: out");
  Meta mt(env, info[4]);
  int64_t shape[MAXD];
  static const char* const names[] = {"a", "b", "out"};
  int nd = read_views(mt, "binary", 3, v, names, shape);
  if (numel(nd, shape) == 0) return env.Undefined();
  for_rows(nd, shape, 3, v, true, [&](float** p, const int64_t* s, int64_t n) {
    if (s[2] == 1) K->binary(op, n, p[0], s[0], p[1], s[1], p[2]);
    else
      for (int64_t i = 0; i < n; i++) K->binary(op, 1, p[0] + i * s[0], 0, p[1] + i * s[1], 0, p[2] + i * s[2]);
  });
  return env.Undefined();
}

// unary(op, x, out, meta) and copy(x, out, meta): meta = [nd, shape, xOff, xStr, oOff, oStr].
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int op = info[0].As<Napi::Number>().Int32Value();
  if (op < U_EXP || op > U_LOG1P) fail(env, "unary: unknown op code " + std::to_string(op));
  View v[2];
  v[0].data = f32(env, info[1], v[0].length, "unary: x");
  v[1].data = f32(env, info[2], v[1].length, "unary: out");
  Meta mt(env, info[3]);
  int64_t shape[MAXD];
  static const char* const names[] = {"x", "out"};
  int nd = read_views(mt, "unary", 2, v, names, shape);
  if (numel(nd, shape) == 0) return env.Undefined();
  for_rows(nd, shape, 2, v, true, [&](float** p, const int64_t* s, int64_t n) {
    if (s[1] == 1) K->unary(op, n, p[0], s[0], p[1]);
    else
      for (int64_t i = 0; i < n; i++) K->unary(op, 1, p[0] + i * s[0], 0, p[1] + i * s[1]);
  });
  return env.Undefined();
}

Napi::Value Copy(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  View v[2];
  v[0].data = f32(env, info[0], v[0].length, "copy: x");
  v[1].data = f32(env, info[1], v[1].length, "copy: out");
  Meta mt(env, info[2]);
  int64_t shape[MAXD];
  static const char* const names[] = {"x", "out"};
  int nd = read_views(mt, "copy", 2, v, names, shape);
  if (numel(nd, shape) == 0) return env.Undefined();
  // The output may alias the input's buffer only through disjoint views (cat, pad, copy_): rows never overlap.
  for_rows(nd, shape, 2, v, true, [&](float** p, const int64_t* s, int64_t n) { K->copy(n, p[0], s[0], p[1], s[1]); });
  return env.Undefined();
}

// sum(x, out, meta): meta = [nd, shape, xOff, xStr, oOff, reduced flags (nd)]; out contiguous with size 1 where reduced.
Napi::Value Sum(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  View v[2];
  v[0].data = f32(env, info[0], v[0].length, "sum: x");
  v[1].data = f32(env, info[1], v[1].length, "sum: out");
  Meta mt(env, info[2]);
  int nd = static_cast<int>(mt.next());
  if (nd < 0 || nd > MAXD) fail(env, "sum: rank out of range");
  int64_t shape[MAXD], oshape[MAXD], ostr[MAXD];
  for (int d = 0; d < nd; d++) shape[d] = mt.next();
  v[0].offset = mt.next();
  for (int d = 0; d < nd; d++) v[0].strides[d] = mt.next();
  v[1].offset = mt.next();
  bool red[MAXD];
  for (int d = 0; d < nd; d++) red[d] = mt.next() != 0;
  check_view(env, "sum", "x", v[0].length, v[0].offset, nd, shape, v[0].strides);
  for (int d = 0; d < nd; d++) oshape[d] = red[d] ? 1 : shape[d];
  int64_t s = 1;
  for (int d = nd - 1; d >= 0; d--) ostr[d] = s, s *= oshape[d];
  check_view(env, "sum", "out", v[1].length, v[1].offset, nd, oshape, ostr);
  int64_t on = numel(nd, oshape);
  float* out = v[1].data + v[1].offset;
  if (numel(nd, shape) == 0) {
    std::fill(out, out + on, 0.0f);
    return env.Undefined();
  }
  // Kept dims outer, reduced dims inner: each output element is the sum of one (strided) sub-tensor.
  int64_t kshape[MAXD], kstr[MAXD], rshape[MAXD], rstr[MAXD];
  int kn = 0, rn = 0;
  for (int d = 0; d < nd; d++) {
    if (red[d]) rshape[rn] = shape[d], rstr[rn++] = v[0].strides[d];
    else kshape[kn] = shape[d], kstr[kn++] = v[0].strides[d];
  }
  // Contiguous input reduced over leading dims only: add whole rows into the output (bias gradients, means over batch).
  bool leading = rn > 0 && kn > 0;
  for (int d = 0; d < rn && leading; d++) leading = red[d];
  bool contiguous = true;
  {
    int64_t e = 1;
    for (int d = nd - 1; d >= 0; d--) {
      if (shape[d] != 1 && v[0].strides[d] != e) contiguous = false;
      e *= shape[d];
    }
  }
  const float* x = v[0].data + v[0].offset;
  if (leading && contiguous) {
    int64_t rows = numel(rn, rshape);
    std::fill(out, out + on, 0.0f);
    auto part = [&](int64_t c0, int64_t c1) {
      for (int64_t r = 0; r < rows; r++) K->accumulate(c1 - c0, x + r * on + c0, out + c0);
    };
    if (on >= 4096 && rows * on >= 2 * PAR_GRAIN) pool->parallel_for(on, 2048, part);
    else part(0, on);
    return env.Undefined();
  }
  View rv;
  rv.data = const_cast<float*>(x);
  auto one = [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; o++) {
      int64_t off = 0, rem = o;
      for (int d = kn - 1; d >= 0; d--) off += (rem % kshape[d]) * kstr[d], rem /= kshape[d];
      double total = 0;
      if (rn == 0) total = x[off];
      else {
        // Innermost reduced dim is the row; the rest is an odometer.
        int64_t idx[MAXD] = {};
        int64_t rows = numel(rn - 1, rshape);
        for (int64_t r = 0; r < rows; r++) {
          int64_t ro = off;
          for (int d = 0; d < rn - 1; d++) ro += idx[d] * rstr[d];
          total += K->sum(rshape[rn - 1], x + ro, rstr[rn - 1]);
          for (int d = rn - 2; d >= 0; d--) {
            if (++idx[d] < rshape[d]) break;
            idx[d] = 0;
          }
        }
      }
      out[o] = static_cast<float>(total);
    }
  };
  int64_t total = numel(nd, shape);
  if (on > 1 && total >= 2 * PAR_GRAIN) pool->parallel_for(on, std::max<int64_t>(1, PAR_GRAIN * on / total), one);
  else if (on == 1 && rn == 1 && total >= 2 * PAR_GRAIN && pool->size() > 1 && rstr[0] == 1) {
    // One long contiguous reduction: partial sums per thread.
    std::vector<double> parts(static_cast<size_t>(pool->size()), 0.0);
    int64_t n = rshape[0];
    int th = pool->size();
    pool->run(th, th, [&](int64_t t) { parts[t] = K->sum(n * (t + 1) / th - n * t / th, x + n * t / th, 1); });
    double s2 = 0;
    for (double p : parts) s2 += p;
    out[0] = static_cast<float>(s2);
  } else
    one(0, on);
  (void)rv;
  return env.Undefined();
}

// compare(op, a, b, out, meta=[nd, shape, aOff, aStr, bOff, bStr, oOff, oStr]): float32 operands, bool (0 / 1 byte)
// out; op 0..5 = eq ne lt le gt ge, with IEEE rules (NaN is unequal to everything), as the TypeScript kernels.
template <class F>
void compare_row(const float* a, int64_t sa, const float* b, int64_t sb, uint8_t* o, int64_t so, int64_t n, F f) {
  if (so == 1 && sa == 1 && sb == 0) {
    const float bv = *b;
    for (int64_t i = 0; i < n; i++) o[i] = f(a[i], bv);
  } else if (so == 1 && sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; i++) o[i] = f(a[i], b[i]);
  } else
    for (int64_t i = 0; i < n; i++) o[i * so] = f(a[i * sa], b[i * sb]);
}

Napi::Value Compare(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int op = info[0].As<Napi::Number>().Int32Value();
  if (op < 0 || op > 5) fail(env, "compare: unknown op code " + std::to_string(op));
  View v[3];
  v[0].data = f32(env, info[1], v[0].length, "compare: a");
  v[1].data = f32(env, info[2], v[1].length, "compare: b");
  v[2].data = reinterpret_cast<float*>(u8(env, info[3], v[2].length, "compare: out"));
  v[2].esize = 1;
  Meta mt(env, info[4]);
  int64_t shape[MAXD];
  static const char* const names[] = {"a", "b", "out"};
  int nd = read_views(mt, "compare", 3, v, names, shape);
  if (numel(nd, shape) == 0) return env.Undefined();
  for_rows(nd, shape, 3, v, true, [&](float** p, const int64_t* s, int64_t n) {
    uint8_t* o = reinterpret_cast<uint8_t*>(p[2]);
    switch (op) {
      case 0: return compare_row(p[0], s[0], p[1], s[1], o, s[2], n, [](float x, float y) -> uint8_t { return x == y; });
      case 1: return compare_row(p[0], s[0], p[1], s[1], o, s[2], n, [](float x, float y) -> uint8_t { return x != y; });
      case 2: return compare_row(p[0], s[0], p[1], s[1], o, s[2], n, [](float x, float y) -> uint8_t { return x < y; });
      case 3: return compare_row(p[0], s[0], p[1], s[1], o, s[2], n, [](float x, float y) -> uint8_t { return x <= y; });
      case 4: return compare_row(p[0], s[0], p[1], s[1], o, s[2], n, [](float x, float y) -> uint8_t { return x > y; });
      default: return compare_row(p[0], s[0], p[1], s[1], o, s[2], n, [](float x, float y) -> uint8_t { return x >= y; });
    }
  });
  return env.Undefined();
}

// where(cond, a, b, out, meta=[nd, shape, cOff, cStr, aOff, aStr, bOff, bStr, oOff, oStr]): cond bool (any nonzero
// byte is true), a / b / out float32.
Napi::Value Where(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  View v[4];
  v[0].data = reinterpret_cast<float*>(u8(env, info[0], v[0].length, "where: condition"));
  v[0].esize = 1;
  v[1].data = f32(env, info[1], v[1].length, "where: a");
  v[2].data = f32(env, info[2], v[2].length, "where: b");
  v[3].data = f32(env, info[3], v[3].length, "where: out");
  Meta mt(env, info[4]);
  int64_t shape[MAXD];
  static const char* const names[] = {"condition", "a", "b", "out"};
  int nd = read_views(mt, "where", 4, v, names, shape);
  if (numel(nd, shape) == 0) return env.Undefined();
  for_rows(nd, shape, 4, v, true, [&](float** p, const int64_t* s, int64_t n) {
    const uint8_t* c = reinterpret_cast<const uint8_t*>(p[0]);
    const float *a = p[1], *b = p[2];
    float* o = p[3];
    if (s[0] == 1 && s[1] == 1 && s[2] == 0 && s[3] == 1) {
      const float bv = *b;
      for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : bv;
    } else if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 1) {
      for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : b[i];
    } else
      for (int64_t i = 0; i < n; i++) o[i * s[3]] = c[i * s[0]] ? a[i * s[1]] : b[i * s[2]];
  });
  return env.Undefined();
}

// randUniform(out, meta=[n, outOff, key0, key1, blockOffset]): n contiguous uniform floats of the Philox stream.
Napi::Value RandUniform(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t len;
  float* out = f32(env, info[0], len, "randUniform: out");
  Meta mt(env, info[1]);
  const int64_t n = mt.next(), off = mt.next(), k0 = mt.next(), k1 = mt.next(), block = mt.next();
  if (n < 0 || off < 0 || off + n > len) fail(env, "randUniform: the output needs elements [" + std::to_string(off) + ", " + std::to_string(off + n) + ") of a buffer of " + std::to_string(len));
  if (k0 < 0 || k0 > 0xffffffffLL || k1 < 0 || k1 > 0xffffffffLL || block < 0) fail(env, "randUniform: the key words must be 32-bit unsigned and the offset non-negative");
  float* o = out + off;
  pool->parallel_for(n, PAR_GRAIN, [&](int64_t a, int64_t b) {
    philox_uniform(o, a, b, static_cast<uint64_t>(block), static_cast<uint32_t>(k0), static_cast<uint32_t>(k1));
  });
  return env.Undefined();
}

// Row-kernel helpers for the fused ops: every operand is a contiguous block checked against its array.
struct Block {
  float* p;
};
float* block(Napi::Env env, const Napi::Value& v, int64_t off, int64_t count, const char* op, const char* name) {
  int64_t len;
  float* d = f32(env, v, len, name);
  if (off < 0 || count < 0 || off + count > len)
    fail(env, std::string(op) + ": " + name + " needs elements [" + std::to_string(off) + ", " + std::to_string(off + count) +
                  ") of a buffer of " + std::to_string(len));
  return d + off;
}
float* opt_block(Napi::Env env, const Napi::Value& v, int64_t off, int64_t count, const char* op, const char* name) {
  if (v.IsNull() || v.IsUndefined()) return nullptr;
  return block(env, v, off, count, op, name);
}

void rows_parallel(int64_t rows, int64_t n, const std::function<void(int64_t, int64_t)>& fn) {
  if (rows * n >= 2 * PAR_GRAIN && rows > 1) pool->parallel_for(rows, std::max<int64_t>(1, PAR_GRAIN / std::max<int64_t>(n, 1)), fn);
  else fn(0, rows);
}

// softmax(log, x, y, meta=[rows, n, xOff, yOff]); softmaxBwd(log, y, g, dx, meta=[rows, n, yOff, gOff, dxOff]).
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool log = info[0].ToBoolean();
  Meta mt(env, info[3]);
  int64_t rows = mt.next(), n = mt.next();
  const float* x = block(env, info[1], mt.next(), rows * n, "softmax", "x");
  float* y = block(env, info[2], mt.next(), rows * n, "softmax", "y");
  rows_parallel(rows, n, [&](int64_t r0, int64_t r1) { K->softmax(log, r0, r1, n, x, y); });
  return env.Undefined();
}

Napi::Value SoftmaxBwd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool log = info[0].ToBoolean();
  Meta mt(env, info[4]);
  int64_t rows = mt.next(), n = mt.next();
  const float* y = block(env, info[1], mt.next(), rows * n, "softmax backward", "y");
  const float* g = block(env, info[2], mt.next(), rows * n, "softmax backward", "grad");
  float* dx = block(env, info[3], mt.next(), rows * n, "softmax backward", "dx");
  rows_parallel(rows, n, [&](int64_t r0, int64_t r1) { K->softmax_bwd(log, r0, r1, n, y, g, dx); });
  return env.Undefined();
}

// layerNorm(rms, x, w, b, y, mean, rstd, meta=[rows, n, eps, xOff, wOff, bOff, yOff, meanOff, rstdOff]).
Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool rms = info[0].ToBoolean();
  Meta mt(env, info[7]);
  int64_t rows = mt.next(), n = mt.next();
  float eps = static_cast<float>(mt.real());
  const float* x = block(env, info[1], mt.next(), rows * n, "layerNorm", "x");
  const float* w = opt_block(env, info[2], mt.next(), n, "layerNorm", "weight");
  const float* b = opt_block(env, info[3], mt.next(), n, "layerNorm", "bias");
  float* y = block(env, info[4], mt.next(), rows * n, "layerNorm", "y");
  float* mean = opt_block(env, info[5], mt.next(), rows, "layerNorm", "mean");
  float* rstd = block(env, info[6], mt.next(), rows, "layerNorm", "rstd");
  rows_parallel(rows, n, [&](int64_t r0, int64_t r1) { K->layernorm(r0, r1, n, eps, rms, x, w, b, y, mean, rstd); });
  return env.Undefined();
}

// layerNormBwd(rms, x, w, g, dx, dw, db, meta=[rows, n, eps, xOff, wOff, gOff, dxOff, dwOff, dbOff]).
Napi::Value LayerNormBwd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool rms = info[0].ToBoolean();
  Meta mt(env, info[7]);
  int64_t rows = mt.next(), n = mt.next();
  float eps = static_cast<float>(mt.real());
  const float* x = block(env, info[1], mt.next(), rows * n, "layerNorm backward", "x");
  const float* w = opt_block(env, info[2], mt.next(), n, "layerNorm backward", "weight");
  const float* g = block(env, info[3], mt.next(), rows * n, "layerNorm backward", "grad");
  float* dx = opt_block(env, info[4], mt.next(), rows * n, "layerNorm backward", "dx");
  float* dw = opt_block(env, info[5], mt.next(), n, "layerNorm backward", "dweight");
  float* db = opt_block(env, info[6], mt.next(), n, "layerNorm backward", "dbias");
  guarded(env, "layerNorm backward", [&] {
    int th = (rows * n >= 2 * PAR_GRAIN && rows > 1) ? std::min<int64_t>(pool->size(), rows) : 1;
    std::vector<float> acc(static_cast<size_t>(th) * 2 * n, 0.0f);
    pool->run(th, th, [&](int64_t t) {
      float* dwa = dw ? acc.data() + t * 2 * n : nullptr;
      float* dba = db ? acc.data() + t * 2 * n + n : nullptr;
      K->layernorm_bwd(rows * t / th, rows * (t + 1) / th, n, eps, rms, x, w, g, dx, dwa, dba);
    });
    for (int64_t j = 0; j < n; j++) {
      float sw = 0, sb = 0;
      for (int t = 0; t < th; t++) sw += acc[t * 2 * n + j], sb += acc[t * 2 * n + n + j];
      if (dw) dw[j] = sw;
      if (db) db[j] = sb;
    }
    return 0;
  });
  return env.Undefined();
}

// gelu(tanh, x, y, meta=[n, xOff, yOff]); geluBwd(tanh, x, y, g, dx, meta=[n, xOff, yOff, gOff, dxOff]).
Napi::Value Gelu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool th = info[0].ToBoolean();
  Meta mt(env, info[3]);
  int64_t n = mt.next();
  const float* x = block(env, info[1], mt.next(), n, "gelu", "x");
  float* y = block(env, info[2], mt.next(), n, "gelu", "y");
  pool->parallel_for(n, PAR_GRAIN, [&](int64_t a, int64_t b) { K->gelu(th, b - a, x + a, y + a); });
  return env.Undefined();
}

Napi::Value GeluBwd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool th = info[0].ToBoolean();
  Meta mt(env, info[5]);
  int64_t n = mt.next();
  const float* x = block(env, info[1], mt.next(), n, "gelu backward", "x");
  const float* y = block(env, info[2], mt.next(), n, "gelu backward", "y");
  const float* g = block(env, info[3], mt.next(), n, "gelu backward", "grad");
  float* dx = block(env, info[4], mt.next(), n, "gelu backward", "dx");
  pool->parallel_for(n, PAR_GRAIN, [&](int64_t a, int64_t b) { K->gelu_bwd(th, b - a, x + a, y + a, g + a, dx + a); });
  return env.Undefined();
}

// adamw(p, g, m, v, meta=[n, pOff, gOff, mOff, vOff, lr, beta1, beta2, eps, weightDecay, step, maximize]).
Napi::Value Adamw(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Meta mt(env, info[4]);
  int64_t n = mt.next();
  float* p = block(env, info[0], mt.next(), n, "adamwStep", "param");
  const float* g = block(env, info[1], mt.next(), n, "adamwStep", "grad");
  float* m = block(env, info[2], mt.next(), n, "adamwStep", "expAvg");
  float* v = block(env, info[3], mt.next(), n, "adamwStep", "expAvgSq");
  double lr = mt.real(), b1 = mt.real(), b2 = mt.real(), eps = mt.real(), wd = mt.real(), step = mt.real();
  bool maximize = mt.real() != 0;
  pool->parallel_for(n, PAR_GRAIN, [&](int64_t a, int64_t b) {
    K->adamw(b - a, p + a, g + a, m + a, v + a, lr, b1, b2, eps, wd, step, maximize);
  });
  return env.Undefined();
}

// sdpa(q, k, v, mask|null, out, meta=[B, H, L, S, E, Ev, scale, causal, maskKind, qOff, kOff, vOff, outOff, maskOff,
// maskStrides(4)]) and sdpaBwd(q, k, v, mask|null, out, dout, dq|null, dk|null, dv|null, meta=[... then doutOff, dqOff,
// dkOff, dvOff]): q, k, v, out contiguous [B, H, *, *]; the mask a strided view over [B, H, L, S].
SdpaArgs sdpa_args(Napi::Env env, Meta& mt, const Napi::Value& mask, const char* op, int64_t offs[5]) {
  SdpaArgs a{};
  a.B = mt.next(), a.H = mt.next(), a.L = mt.next(), a.S = mt.next(), a.E = mt.next(), a.Ev = mt.next();
  a.scale = static_cast<float>(mt.real());
  a.causal = mt.next() != 0;
  a.mask_kind = static_cast<int>(mt.next());
  for (int i = 0; i < 4; i++) offs[i] = mt.next();
  a.mask_off = mt.next();
  for (int i = 0; i < 4; i++) a.mask_st[i] = mt.next();
  if (a.B < 0 || a.H < 0 || a.L < 0 || a.S < 0 || a.E < 0 || a.Ev < 0) fail(env, std::string(op) + ": negative size");
  if (a.mask_kind != 0) {
    int64_t shape[4] = {a.B, a.H, a.L, a.S};
    int64_t len = 0;
    if (a.mask_kind == 1) {
      if (!mask.IsTypedArray() || mask.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) fail(env, std::string(op) + ": a bool mask must be a Uint8Array");
      auto m = mask.As<Napi::Uint8Array>();
      a.mask_bool = m.Data();
      len = static_cast<int64_t>(m.ElementLength());
    } else {
      a.mask_add = f32(env, mask, len, "sdpa: additive mask");
    }
    check_view(env, op, "mask", len, a.mask_off, 4, shape, a.mask_st);
  }
  return a;
}

Napi::Value Sdpa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Meta mt(env, info[5]);
  int64_t offs[5];
  SdpaArgs a = sdpa_args(env, mt, info[3], "sdpa", offs);
  const float* q = block(env, info[0], offs[0], a.B * a.H * a.L * a.E, "sdpa", "q");
  const float* k = block(env, info[1], offs[1], a.B * a.H * a.S * a.E, "sdpa", "k");
  const float* v = block(env, info[2], offs[2], a.B * a.H * a.S * a.Ev, "sdpa", "v");
  float* out = block(env, info[4], offs[3], a.B * a.H * a.L * a.Ev, "sdpa", "out");
  guarded(env, "sdpa", [&] {
    FlushDenormals ftz;
    sdpa_forward(K, pool, a, q, k, v, out);
    return 0;
  });
  return env.Undefined();
}

Napi::Value SdpaBwd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Meta mt(env, info[9]);
  int64_t offs[5];
  SdpaArgs a = sdpa_args(env, mt, info[3], "sdpa backward", offs);
  int64_t go = mt.next(), dqo = mt.next(), dko = mt.next(), dvo = mt.next();
  const int64_t nq = a.B * a.H * a.L * a.E, nk = a.B * a.H * a.S * a.E, nv = a.B * a.H * a.S * a.Ev, no = a.B * a.H * a.L * a.Ev;
  const float* q = block(env, info[0], offs[0], nq, "sdpa backward", "q");
  const float* k = block(env, info[1], offs[1], nk, "sdpa backward", "k");
  const float* v = block(env, info[2], offs[2], nv, "sdpa backward", "v");
  const float* out = block(env, info[4], offs[3], no, "sdpa backward", "out");
  const float* dout = block(env, info[5], go, no, "sdpa backward", "grad");
  float* dq = opt_block(env, info[6], dqo, nq, "sdpa backward", "dq");
  float* dk = opt_block(env, info[7], dko, nk, "sdpa backward", "dk");
  float* dv = opt_block(env, info[8], dvo, nv, "sdpa backward", "dv");
  guarded(env, "sdpa backward", [&] {
    FlushDenormals ftz;
    sdpa_backward(K, pool, a, q, k, v, out, dout, dq, dk, dv);
    return 0;
  });
  return env.Undefined();
}

// Cross-entropy rows: ceRows(x, cls Int32Array, loss Float64Array, meta=[n, c, xOff, eps]) writes each row's loss
// (0 where cls < 0); ceBwd(x, cls, coef Float64Array, dx, meta=[n, c, xOff, dxOff, eps]) writes
// dx = coef · (softmax - (1-ε)·onehot - ε/C). Classes were validated in JavaScript; they are checked again here.
struct CeArgs {
  int64_t n, c;
  const float* x;
  const int32_t* cls;
};
CeArgs ce_args(Napi::Env env, const Napi::CallbackInfo& info, Meta& mt, const char* op) {
  CeArgs a{};
  a.n = mt.next(), a.c = mt.next();
  a.x = block(env, info[0], mt.next(), a.n * a.c, op, "logits");
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) fail(env, std::string(op) + ": classes must be an Int32Array");
  auto cl = info[1].As<Napi::Int32Array>();
  if (static_cast<int64_t>(cl.ElementLength()) < a.n) fail(env, std::string(op) + ": fewer classes than rows");
  a.cls = cl.Data();
  for (int64_t i = 0; i < a.n; i++)
    if (a.cls[i] >= a.c) fail(env, std::string(op) + ": class " + std::to_string(a.cls[i]) + " out of range for " + std::to_string(a.c) + " classes");
  return a;
}
double* f64(Napi::Env env, const Napi::Value& v, int64_t need, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) fail(env, std::string(what) + " must be a Float64Array");
  auto a = v.As<Napi::Float64Array>();
  if (static_cast<int64_t>(a.ElementLength()) < need) fail(env, std::string(what) + " is too short");
  return a.Data();
}

Napi::Value CeRows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Meta mt(env, info[3]);
  CeArgs a = ce_args(env, info, mt, "crossEntropy");
  const float eps = static_cast<float>(mt.real());
  double* loss = f64(env, info[2], a.n, "crossEntropy: loss");
  rows_parallel(a.n, a.c, [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; i++) {
      if (a.cls[i] < 0) {
        loss[i] = 0;
        continue;
      }
      const float* xr = a.x + i * a.c;
      const double lse = K->logsumexp(a.c, xr);
      double l = lse - xr[a.cls[i]];
      if (eps > 0) {
        double sx = 0;
        for (int64_t j = 0; j < a.c; j++) sx += xr[j] - lse;
        l = l * (1 - eps) - sx * (eps / a.c);
      }
      loss[i] = l;
    }
  });
  return env.Undefined();
}

Napi::Value CeBwd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Meta mt(env, info[4]);
  CeArgs a = ce_args(env, info, mt, "crossEntropy backward");
  float* dx = block(env, info[3], mt.next(), a.n * a.c, "crossEntropy backward", "dlogits");
  const float eps = static_cast<float>(mt.real());
  const double* coef = f64(env, info[2], a.n, "crossEntropy backward: coef");
  rows_parallel(a.n, a.c, [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; i++) {
      float* d = dx + i * a.c;
      const float cf = static_cast<float>(coef[i]);
      if (a.cls[i] < 0 && cf == 0) {
        std::fill(d, d + a.c, 0.0f);
        continue;
      }
      // d = coef · (softmax(row) - ε/C), then the target's -coef · (1 - ε).
      const float* xr = a.x + i * a.c;
      K->ce_grad_row(a.c, xr, static_cast<float>(K->logsumexp(a.c, xr)), cf, eps / static_cast<float>(a.c), d);
      if (a.cls[i] >= 0) d[a.cls[i]] -= cf * (1 - eps);
    }
  });
  return env.Undefined();
}

const Kernels* pick(const char* want) {
  std::string w = want ? want : "";
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  bool has512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma");
  bool has2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (w == "generic") return kernels_generic();
  if (w == "avx2" && has2) return kernels_avx2();
  if (has512 && (w.empty() || w == "avx512")) return kernels_avx512();
  if (has2) return kernels_avx2();
#endif
  return kernels_generic();
}

}  // namespace
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // TSORCH_CPU_ISA=generic|avx2|avx512 forces a narrower kernel set (to test each path on one machine).
  K = pick(std::getenv("TSORCH_CPU_ISA"));
  if (!pool) pool = new ThreadPool(1);
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("matmul", Napi::Function::New(env, Matmul));
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("unary", Napi::Function::New(env, Unary));
  exports.Set("copy", Napi::Function::New(env, Copy));
  exports.Set("sum", Napi::Function::New(env, Sum));
  exports.Set("softmax", Napi::Function::New(env, Softmax));
  exports.Set("softmaxBwd", Napi::Function::New(env, SoftmaxBwd));
  exports.Set("layerNorm", Napi::Function::New(env, LayerNorm));
  exports.Set("layerNormBwd", Napi::Function::New(env, LayerNormBwd));
  exports.Set("gelu", Napi::Function::New(env, Gelu));
  exports.Set("geluBwd", Napi::Function::New(env, GeluBwd));
  exports.Set("adamw", Napi::Function::New(env, Adamw));
  exports.Set("sdpa", Napi::Function::New(env, Sdpa));
  exports.Set("ceRows", Napi::Function::New(env, CeRows));
  exports.Set("ceBwd", Napi::Function::New(env, CeBwd));
  exports.Set("sdpaBwd", Napi::Function::New(env, SdpaBwd));
  exports.Set("compare", Napi::Function::New(env, Compare));
  exports.Set("where", Napi::Function::New(env, Where));
  exports.Set("randUniform", Napi::Function::New(env, RandUniform));
  return exports;
}
}  // namespace tsorch

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return tsorch::Init(env, exports); }
NODE_API_MODULE(tsorch_cpu, InitAddon)
