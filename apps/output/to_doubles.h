// SPDX-License-Identifier: BSD-3-Clause
// Tensor values as plain doubles, for JSON and plots.
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

namespace infozoo::apps {

/// The values of `t` (any dtype or device) as float64, in row-major order.
/// Example: `to_doubles(at::arange(3))` is {0, 1, 2}.
std::vector<double> to_doubles(const at::Tensor& t);

}  // namespace infozoo::apps
