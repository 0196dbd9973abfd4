// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// scikit-learn 1.2.1's make_moons (sklearn/datasets/_samples_generator.py), same arrays for the
/// same seed.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <utility>

namespace infozoo::datasets {

/// Features `X` (float64, [n_samples, d]) and labels `y` (int64, [n_samples]) of a generator.
/// Example: `auto [X, y] = make_moons(300, 0.2, true, 42);  // X [300, 2], y [300]`
struct Dataset {
  at::Tensor X;  ///< Features, float64 [n_samples, n_features].
  at::Tensor y;  ///< Labels, int64 [n_samples].
};

/// `make_moons(n_samples, shuffle, noise, random_state)`: two interleaving half circles (the
/// outer moon gets n_samples / 2 points, label 0; the inner one the rest, label 1), rows shuffled
/// with `sklearn.utils.shuffle`, then Gaussian noise of standard deviation `noise` added; noise 0
/// adds none, as scikit-learn's default `noise=None`. `random_state` seeds a NumpyRandomState
/// (unset: seeded from torch's generator). Example: `make_moons(300, 0.2, true, 42)`.
Dataset make_moons(int64_t n_samples = 100, double noise = 0.0, bool shuffle = true,
                   std::optional<int64_t> random_state = std::nullopt);

/// `make_moons(n_samples=(n_outer, n_inner), ...)`: the two moons' sizes given separately.
/// Example: `make_moons({200, 100}, 0.1, true, 0)`.
Dataset make_moons(std::pair<int64_t, int64_t> n_samples, double noise = 0.0, bool shuffle = true,
                   std::optional<int64_t> random_state = std::nullopt);

}  // namespace infozoo::datasets
