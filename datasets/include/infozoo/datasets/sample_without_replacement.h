// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// scikit-learn 1.2.1's sample_without_replacement (sklearn/utils/_random.pyx), the same
/// integers for the same generator state.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

#include "infozoo/datasets/numpy_random.h"

namespace infozoo::datasets {

/// `sample_without_replacement(n_population, n_samples, method, random_state=rng)`: n_samples
/// distinct integers of [0, n_population), int64, drawn from `rng` exactly as scikit-learn does.
/// `method` is "auto" (a permutation when 0.01 < n_samples / n_population < 0.99, else tracking
/// selection below a ratio of 0.2 and reservoir sampling above), "tracking_selection",
/// "reservoir_sampling" or "pool". Example: `NumpyRandomState rng(42);
/// sample_without_replacement(10, 5, "auto", rng)  // [8, 1, 5, 0, 7]`
at::Tensor sample_without_replacement(int64_t n_population, int64_t n_samples,
                                      const std::string& method, NumpyRandomState& rng);

}  // namespace infozoo::datasets
