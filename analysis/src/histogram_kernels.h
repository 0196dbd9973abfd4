// SPDX-License-Identifier: BSD-3-Clause
// The two passes of the histogram MI (histogram_mi.cpp) over its inputs: the value range, and
// the joint cell of each (x, y) pair. AVX-512 or AVX2 where the processor has them (checked
// once, at run time: the build targets baseline x86-64), the same results without them.
#pragma once

#include <cstdint>

namespace infozoo::analysis::detail {

/// Instruction sets the kernels have versions for, narrowest first.
enum class Isa { kScalar, kAvx2, kAvx512 };

/// The widest this processor runs (checked once).
Isa best_isa();

struct ValueRange {
  double lo, hi;
  bool nan;  // a NaN was seen; lo and hi then mean nothing
};

/// Minimum, maximum and NaN flag of v[0, count), count >= 1.
/// Every version gives the same result; `isa` (capped at best_isa()) picks one for the tests.
ValueRange value_range(const double* v, int64_t count, Isa isa = best_isa());

/// numpy's equal-width bins: edge i is fl(fl(i * step) + lo) for i < n (np.linspace), the last
/// edge is the maximum.
struct UniformBins {
  double lo, step, inv_step;
  int32_t n;

  /// Whether (v - lo) * inv_step, then one step towards the true bin against the edges, always
  /// lands in the bin searchsorted would give: true when bins are at least 2^20 ulps wide, where
  /// both the product's and the edges' roundings stay far below one bin.
  bool one_step_exact() const;
};

/// cells[i] = bin_x(x[i]) * by.n + bin_y(y[i]) for i < count: the bin of searchsorted(edges, v,
/// side='right') - 1, the maximum in the last bin. Requires one_step_exact() of both and every
/// value within its bins' range.
void joint_cells(const double* x, const double* y, int64_t count, const UniformBins& bx,
                 const UniformBins& by, int32_t* cells, Isa isa = best_isa());

}  // namespace infozoo::analysis::detail
