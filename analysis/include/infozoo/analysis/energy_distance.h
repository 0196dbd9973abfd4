// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The energy distance between two samples (Székely & Rizzo 2013): D^2 = 2 E|X - Y| - E|X - X'| -
/// E|Y - Y'| with Euclidean norms. It is >= 0 for distributions and 0 only when they are equal, so
/// it scores a generative model's samples against held-out data without a kernel to choose.
#pragma once

#include <ATen/core/Tensor.h>

namespace infozoo::analysis {

/// The unbiased (U-statistic) squared energy distance between the rows of `x` [n, d] and `y`
/// [m, d] (n, m >= 2), in the data's units, computed in float64 on their device: the mean over
/// all x-y pairs counted twice, minus the means over distinct x-x' and y-y' pairs. It can be
/// slightly negative when the two samples come from one distribution (its expectation is 0).
/// Example: `energy_distance(torch::zeros({2, 1}), torch::ones({2, 1}))` is 2 (= 2 |0 - 1|).
double energy_distance(const at::Tensor& x, const at::Tensor& y);

}  // namespace infozoo::analysis
