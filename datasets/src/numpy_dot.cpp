// SPDX-License-Identifier: BSD-3-Clause
#include "numpy_dot.h"

#include <cmath>

namespace infozoo::datasets::detail {

void numpy_dot(const double* x, int64_t ldx, int64_t m, int64_t k, const double* a, int64_t n,
               double* c, int64_t ldc) {
  // OpenBLAS sees the column-major product c^T = a^T x^T: its "N" is our rows, its "M" our
  // columns, and an odd N leaves one row for the 4x1 micro-kernel.
  const bool odd_tail = m % 2 == 1;
  const int64_t blocked_cols = 4 * (n / 4);
  const int64_t unrolled_k = 8 * (k / 8);
  for (int64_t i = 0; i < m; ++i) {
    const double* xi = x + i * ldx;
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0.0;
      if (odd_tail && i == m - 1 && j < blocked_cols) {
        // KERNEL4x1: k unrolled by 8 over four accumulators, the remainder into the first.
        double acc[4] = {0.0, 0.0, 0.0, 0.0};
        for (int64_t l = 0; l < unrolled_k; ++l) {
          acc[l % 4] = std::fma(xi[l], a[l * n + j], acc[l % 4]);
        }
        for (int64_t l = unrolled_k; l < k; ++l) {
          acc[0] = std::fma(xi[l], a[l * n + j], acc[0]);
        }
        sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
      } else {
        for (int64_t l = 0; l < k; ++l) {
          sum = std::fma(xi[l], a[l * n + j], sum);
        }
      }
      // The kernel adds its result to C, which beta = 0 cleared: -0 becomes +0.
      c[i * ldc + j] = sum + 0.0;
    }
  }
}

}  // namespace infozoo::datasets::detail
