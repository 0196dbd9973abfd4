// SPDX-License-Identifier: BSD-3-Clause
// numpy 1.24's `str(array)` and `np.round`, so the subcommands print arrays exactly as the seed's
// f-strings do (`print(f"{np.round(J, 4)}")` -> "[[ 0.2335 -0.1453 ...]\n [...]]").
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace infozoo::apps {

/// `str(a)` of numpy 1.24 at its default print options (precision 8, floatmode 'maxprec',
/// linewidth 75, no suppression) for a 1-D or 2-D floating tensor: the shortest digits that
/// round-trip (at most 8 after the point), scientific notation when the non-zero magnitudes span
/// more than 1e3 or reach 1e8 or drop below 1e-4, and numpy's padding and line wrapping.
/// Example: `numpy_array_str(at::tensor({1.0, 0.0}))` is "[1. 0.]".
std::string numpy_array_str(const at::Tensor& a);

/// `np.round(a, decimals)`: rint(a * 10^decimals) / 10^decimals in float64 (halves to even), the
/// same arithmetic as numpy, so the printed digits agree.
at::Tensor numpy_round(const at::Tensor& a, int64_t decimals);

}  // namespace infozoo::apps
