// SPDX-License-Identifier: BSD-3-Clause
#include "row_logsumexp.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define INFOZOO_HAVE_AVX2_LOGSUMEXP 1
#endif

namespace infozoo::losses::detail {

#ifdef INFOZOO_HAVE_AVX2_LOGSUMEXP
namespace {

// exp of eight floats <= 0 (Cephes' expf, as in Pommier's avx_mathfun): 2^n * p(r) with
// x = n ln2 + r, |r| <= ln2 / 2, and a degree-5 polynomial for e^r; about 1 ulp. Inputs below
// -87.3 give 0 (e^-87.3 is 2^-126, the smallest normal float), which the sum cannot notice.
__attribute__((target("avx2"))) inline __m256 exp_nonpositive(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  x = _mm256_max_ps(x, _mm256_set1_ps(-87.3f));
  __m256 n = _mm256_floor_ps(
      _mm256_add_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)), _mm256_set1_ps(0.5f)));
  // ln2 in two parts: n * 0.693359375 is exact for |n| < 2^13, so r keeps its low bits.
  x = _mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(0.693359375f)));
  x = _mm256_sub_ps(x, _mm256_mul_ps(n, _mm256_set1_ps(-2.12194440e-4f)));
  __m256 y = _mm256_set1_ps(1.9875691500e-4f);
  y = _mm256_add_ps(_mm256_mul_ps(y, x), _mm256_set1_ps(1.3981999507e-3f));
  y = _mm256_add_ps(_mm256_mul_ps(y, x), _mm256_set1_ps(8.3334519073e-3f));
  y = _mm256_add_ps(_mm256_mul_ps(y, x), _mm256_set1_ps(4.1665795894e-2f));
  y = _mm256_add_ps(_mm256_mul_ps(y, x), _mm256_set1_ps(1.6666665459e-1f));
  y = _mm256_add_ps(_mm256_mul_ps(y, x), _mm256_set1_ps(5.0000001201e-1f));
  y = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(_mm256_mul_ps(y, x), x), x), one);
  const __m256i pow2n =
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(y, _mm256_castsi256_ps(pow2n));
}

__attribute__((target("avx2"))) float horizontal_max(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
  return _mm_cvtss_f32(m);
}

__attribute__((target("avx2"))) double horizontal_sum(__m256 v) {
  float lanes[8];
  _mm256_storeu_ps(lanes, v);
  double s = 0;
  for (const float lane : lanes) s += lane;
  return s;
}

__attribute__((target("avx2"))) float one_row(const float* row, int64_t cols) {
  const int64_t vector_end = cols - cols % 32;
  float max = -std::numeric_limits<float>::infinity();
  bool nan = false;
  if (vector_end > 0) {
    __m256 m0 = _mm256_loadu_ps(row), m1 = m0, m2 = m0, m3 = m0;
    __m256 unordered = _mm256_setzero_ps();
    for (int64_t j = 0; j < vector_end; j += 32) {
      const __m256 a = _mm256_loadu_ps(row + j), b = _mm256_loadu_ps(row + j + 8);
      const __m256 c = _mm256_loadu_ps(row + j + 16), d = _mm256_loadu_ps(row + j + 24);
      m0 = _mm256_max_ps(m0, a);
      m1 = _mm256_max_ps(m1, b);
      m2 = _mm256_max_ps(m2, c);
      m3 = _mm256_max_ps(m3, d);
      unordered = _mm256_or_ps(unordered, _mm256_or_ps(_mm256_cmp_ps(a, b, _CMP_UNORD_Q),
                                                       _mm256_cmp_ps(c, d, _CMP_UNORD_Q)));
    }
    max = horizontal_max(_mm256_max_ps(_mm256_max_ps(m0, m1), _mm256_max_ps(m2, m3)));
    nan = _mm256_movemask_ps(unordered) != 0;
  }
  for (int64_t j = vector_end; j < cols; ++j) {
    max = std::max(max, row[j]);
    nan |= std::isnan(row[j]);
  }
  if (nan || !std::isfinite(max)) return std::numeric_limits<float>::quiet_NaN();
  const __m256 shift = _mm256_set1_ps(max);
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  for (int64_t j = 0; j < vector_end; j += 32) {
    s0 = _mm256_add_ps(s0, exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(row + j), shift)));
    s1 = _mm256_add_ps(s1, exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(row + j + 8), shift)));
    s2 = _mm256_add_ps(s2, exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(row + j + 16), shift)));
    s3 = _mm256_add_ps(s3, exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(row + j + 24), shift)));
  }
  double sum = horizontal_sum(s0) + horizontal_sum(s1) + horizontal_sum(s2) + horizontal_sum(s3);
  for (int64_t j = vector_end; j < cols; ++j) sum += std::exp(static_cast<double>(row[j]) - max);
  return static_cast<float>(max + std::log(sum));
}

}  // namespace

bool row_logsumexp_avx2_available() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}

void row_logsumexp_avx2(const float* m, int64_t rows, int64_t cols, float* out) {
  at::parallel_for(0, rows, /*grain_size=*/8, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) out[r] = one_row(m + r * cols, cols);
  });
}

#else

bool row_logsumexp_avx2_available() { return false; }

void row_logsumexp_avx2(const float*, int64_t, int64_t, float* out) { (void)out; }

#endif

}  // namespace infozoo::losses::detail
