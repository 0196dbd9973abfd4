// SPDX-License-Identifier: BSD-3-Clause
// Log-sum-exp of each row of a float32 matrix in one sweep per row, for the shared-bank InfoNCE
// (info_nce.cpp): the row's max, then the sum of exp(x - max) with a vectorized exponential,
// without writing the matrix back. AVX2 only (checked at run time); callers fall back to ATen.
#pragma once

#include <cstdint>

namespace infozoo::losses::detail {

/// Whether row_logsumexp_avx2 can run on this processor.
bool row_logsumexp_avx2_available();

/// out[r] = log(sum_j exp(m[r, j])) for the rows of a contiguous (rows, cols) float32 matrix,
/// cols >= 1, in parallel over rows (the same result for any thread count). A row whose max is
/// not finite, or that holds NaN, gets a non-finite out[r]: the caller redoes it with ATen.
/// Relative error within a few float32 ulps of the sum (the exponential is Cephes' expf).
void row_logsumexp_avx2(const float* m, int64_t rows, int64_t cols, float* out);

}  // namespace infozoo::losses::detail
