#include "histogram_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define INFOZOO_HAVE_AVX2_KERNELS 1
#endif

namespace infozoo::analysis::detail {
namespace {

// Four independent lanes: one dependency chain would cost a compare's latency per element.
// `x < lo ? x : lo` is exactly what minpd computes, so both versions agree bit for bit.
ValueRange value_range_scalar(const double* v, int64_t count) {
  double lo[4] = {v[0], v[0], v[0], v[0]}, hi[4] = {v[0], v[0], v[0], v[0]};
  bool nan = false;
  int64_t i = 0;
  for (; i + 4 <= count; i += 4) {
    for (int l = 0; l < 4; ++l) {
      const double x = v[i + l];
      lo[l] = x < lo[l] ? x : lo[l];
      hi[l] = x > hi[l] ? x : hi[l];
      nan |= x != x;
    }
  }
  for (; i < count; ++i) {
    lo[0] = v[i] < lo[0] ? v[i] : lo[0];
    hi[0] = v[i] > hi[0] ? v[i] : hi[0];
    nan |= v[i] != v[i];
  }
  return {std::min({lo[0], lo[1], lo[2], lo[3]}), std::max({hi[0], hi[1], hi[2], hi[3]}), nan};
}

// The bin of one value by the product and one corrective step (UniformBins::one_step_exact).
int32_t one_step_bin(double x, const UniformBins& b) {
  const double last = static_cast<double>(b.n - 1);
  double k = (x - b.lo) * b.inv_step;
  k = std::trunc(std::min(std::max(k, 0.0), last));
  if (x < k * b.step + b.lo) {
    k -= 1.0;
  } else if (k < last && x >= (k + 1.0) * b.step + b.lo) {
    k += 1.0;
  }
  return static_cast<int32_t>(k);
}

void joint_cells_scalar(const double* x, const double* y, int64_t count, const UniformBins& bx,
                        const UniformBins& by, int32_t* cells) {
  for (int64_t i = 0; i < count; ++i) cells[i] = one_step_bin(x[i], bx) * by.n + one_step_bin(y[i], by);
}

#ifdef INFOZOO_HAVE_AVX2_KERNELS

__attribute__((target("avx2"))) ValueRange value_range_avx2(const double* v, int64_t count) {
  if (count < 16) return value_range_scalar(v, count);
  __m256d lo0 = _mm256_loadu_pd(v), lo1 = lo0, hi0 = lo0, hi1 = lo0;
  __m256d nan = _mm256_setzero_pd();
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m256d a = _mm256_loadu_pd(v + i), b = _mm256_loadu_pd(v + i + 4);
    lo0 = _mm256_min_pd(a, lo0);  // min(a, lo) = a < lo ? a : lo, as the scalar loop
    lo1 = _mm256_min_pd(b, lo1);
    hi0 = _mm256_max_pd(a, hi0);
    hi1 = _mm256_max_pd(b, hi1);
    nan = _mm256_or_pd(nan, _mm256_cmp_pd(a, b, _CMP_UNORD_Q));
  }
  double lo[8], hi[8];
  _mm256_storeu_pd(lo, lo0);
  _mm256_storeu_pd(lo + 4, lo1);
  _mm256_storeu_pd(hi, hi0);
  _mm256_storeu_pd(hi + 4, hi1);
  ValueRange r{*std::min_element(lo, lo + 8), *std::max_element(hi, hi + 8), _mm256_movemask_pd(nan) != 0};
  if (i < count) {
    const ValueRange tail = value_range_scalar(v + i, count - i);
    r = {std::min(r.lo, tail.lo), std::max(r.hi, tail.hi), r.nan || tail.nan};
  }
  return r;
}

// Bins of four values as doubles holding integers; see one_step_bin.
__attribute__((target("avx2"))) inline __m256d one_step_bins(__m256d x, __m256d lo, __m256d step, __m256d inv_step,
                                                            __m256d last) {
  const __m256d one = _mm256_set1_pd(1.0);
  __m256d k = _mm256_mul_pd(_mm256_sub_pd(x, lo), inv_step);
  k = _mm256_round_pd(_mm256_min_pd(_mm256_max_pd(k, _mm256_setzero_pd()), last), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  // Separate multiply and add (no FMA in this target): the edges round as np.linspace's do.
  const __m256d edge = _mm256_add_pd(_mm256_mul_pd(k, step), lo);
  const __m256d next_edge = _mm256_add_pd(_mm256_mul_pd(_mm256_add_pd(k, one), step), lo);
  const __m256d down = _mm256_cmp_pd(x, edge, _CMP_LT_OQ);
  const __m256d up = _mm256_and_pd(_mm256_cmp_pd(x, next_edge, _CMP_GE_OQ), _mm256_cmp_pd(k, last, _CMP_LT_OQ));
  return _mm256_sub_pd(_mm256_add_pd(k, _mm256_and_pd(up, one)), _mm256_and_pd(down, one));
}

// Most values sit well inside their bin: when the product's fraction is at least 2^-10 of a bin
// from both edges (the roundings are below 2^-18 of a bin, UniformBins::one_step_exact), its
// integer part is the bin and no edge needs computing. Only a group of four pairs with a value
// near an edge takes one_step_bins.
__attribute__((target("avx2"))) void joint_cells_avx2(const double* x, const double* y, int64_t count,
                                                      const UniformBins& bx, const UniformBins& by, int32_t* cells) {
  const __m256d x_lo = _mm256_set1_pd(bx.lo), x_step = _mm256_set1_pd(bx.step), x_inv = _mm256_set1_pd(bx.inv_step);
  const __m256d x_last = _mm256_set1_pd(bx.n - 1);
  const __m256d y_lo = _mm256_set1_pd(by.lo), y_step = _mm256_set1_pd(by.step), y_inv = _mm256_set1_pd(by.inv_step);
  const __m256d y_last = _mm256_set1_pd(by.n - 1);
  const __m256d row = _mm256_set1_pd(by.n), zero = _mm256_setzero_pd();
  const __m256d near_low = _mm256_set1_pd(0x1p-10), near_high = _mm256_set1_pd(1.0 - 0x1p-10);
  constexpr int kTruncate = _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC;
  int64_t i = 0;
  for (; i + 4 <= count; i += 4) {
    const __m256d xs = _mm256_loadu_pd(x + i), ys = _mm256_loadu_pd(y + i);
    const __m256d fx = _mm256_max_pd(_mm256_mul_pd(_mm256_sub_pd(xs, x_lo), x_inv), zero);
    const __m256d fy = _mm256_max_pd(_mm256_mul_pd(_mm256_sub_pd(ys, y_lo), y_inv), zero);
    __m256d kx = _mm256_round_pd(_mm256_min_pd(fx, x_last), kTruncate);
    __m256d ky = _mm256_round_pd(_mm256_min_pd(fy, y_last), kTruncate);
    const __m256d dx = _mm256_sub_pd(fx, kx), dy = _mm256_sub_pd(fy, ky);
    const __m256d near = _mm256_or_pd(
        _mm256_or_pd(_mm256_cmp_pd(dx, near_low, _CMP_LT_OQ), _mm256_cmp_pd(dx, near_high, _CMP_GT_OQ)),
        _mm256_or_pd(_mm256_cmp_pd(dy, near_low, _CMP_LT_OQ), _mm256_cmp_pd(dy, near_high, _CMP_GT_OQ)));
    if (_mm256_movemask_pd(near) != 0) {
      kx = one_step_bins(xs, x_lo, x_step, x_inv, x_last);
      ky = one_step_bins(ys, y_lo, y_step, y_inv, y_last);
    }
    // kx * n + ky is an exact integer in double: n * n < 2^53.
    const __m128i cell = _mm256_cvttpd_epi32(_mm256_add_pd(_mm256_mul_pd(kx, row), ky));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(cells + i), cell);
  }
  joint_cells_scalar(x + i, y + i, count - i, bx, by, cells + i);
}

bool has_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}

#endif

}  // namespace

bool UniformBins::one_step_exact() const {
  const double magnitude = std::max(std::abs(lo), std::abs(lo + step * n));
  const double ulp = std::nextafter(magnitude, std::numeric_limits<double>::infinity()) - magnitude;
  // n < 2^26: kx * n + ky stays an int32 and the product's rounding (a few ulps of a number
  // below n) stays below 2^-20 of a bin; with the edges' roundings, below 2^-18.
  return n >= 1 && n < (1 << 26) && step >= std::ldexp(ulp, 20);
}

ValueRange value_range(const double* v, int64_t count) {
#ifdef INFOZOO_HAVE_AVX2_KERNELS
  if (has_avx2()) return value_range_avx2(v, count);
#endif
  return value_range_scalar(v, count);
}

void joint_cells(const double* x, const double* y, int64_t count, const UniformBins& bx, const UniformBins& by,
                 int32_t* cells) {
#ifdef INFOZOO_HAVE_AVX2_KERNELS
  if (has_avx2()) return joint_cells_avx2(x, y, count, bx, by, cells);
#endif
  joint_cells_scalar(x, y, count, bx, by, cells);
}

}  // namespace infozoo::analysis::detail
