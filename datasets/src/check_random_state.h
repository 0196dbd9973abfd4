// SPDX-License-Identifier: BSD-3-Clause
// scikit-learn's random-state plumbing (sklearn/utils/validation.py check_random_state and
// sklearn/utils/__init__.py resample), shared by the dataset generators.
#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "infozoo/datasets/numpy_random.h"

namespace infozoo::datasets::detail {

/// `check_random_state(random_state)`: a generator seeded with `random_state`, or, when unset,
/// with a seed drawn from torch's default generator (scikit-learn would use numpy's global one).
inline NumpyRandomState check_random_state(std::optional<int64_t> random_state) {
  if (random_state) {
    return NumpyRandomState(*random_state);
  }
  return NumpyRandomState(at::randint(int64_t{1} << 32, {1}, at::kLong).item<int64_t>());
}

/// The row order `sklearn.utils.shuffle(X, y, random_state=rng)` applies: `rng.shuffle(arange(n))`.
inline std::vector<int64_t> shuffled_rows(NumpyRandomState& rng, int64_t n) {
  std::vector<int64_t> order(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    order[static_cast<size_t>(i)] = i;
  }
  rng.shuffle_indices(order.data(), n);
  return order;
}

}  // namespace infozoo::datasets::detail
