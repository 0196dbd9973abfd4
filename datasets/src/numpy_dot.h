// SPDX-License-Identifier: BSD-3-Clause
// np.dot of two float64 matrices, rounded as numpy 1.24 on Debian computes it: through
// OpenBLAS 0.3.21's dgemm (Haswell/Zen kernel, dgemm_kernel_4x8_haswell.S), whose summation
// order make_classification's arrays depend on bit for bit.
#pragma once

#include <cstdint>

namespace infozoo::datasets::detail {

/// c (m, n; row stride ldc) = x (m, k; row stride ldx) @ a (k, n; contiguous).
/// Each entry is a fused multiply-add chain over k, as the kernel's accumulators compute it, except
/// the last row of an odd m in column blocks of 4, where the kernel's 4x1 tail splits k over four
/// accumulators. Exact for single-threaded OpenBLAS calls (m * n * k <= 262144) with m >= 2 and
/// n >= 2; numpy sends m == 1 or n == 1 to dgemv, whose order this does not reproduce (last-bit
/// differences are then possible).
void numpy_dot(const double* x, int64_t ldx, int64_t m, int64_t k, const double* a, int64_t n,
               double* c, int64_t ldc);

}  // namespace infozoo::datasets::detail
