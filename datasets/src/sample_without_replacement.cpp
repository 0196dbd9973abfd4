// SPDX-License-Identifier: BSD-3-Clause
// Port of sklearn/utils/_random.pyx (scikit-learn 1.2.1): every method draws with
// `rng.randint` one integer at a time, as the Cython code does.
#include "infozoo/datasets/sample_without_replacement.h"

#include <ATen/ATen.h>

#include <unordered_set>
#include <vector>

namespace infozoo::datasets {
namespace {

at::Tensor to_tensor(const std::vector<int64_t>& v) {
  return at::from_blob(const_cast<int64_t*>(v.data()), {static_cast<int64_t>(v.size())}, at::kLong)
      .clone();
}

// Python's random.sample idea: redraw until the integer is new; O(n_samples) memory.
at::Tensor tracking_selection(int64_t n_population, int64_t n_samples, NumpyRandomState& rng) {
  std::vector<int64_t> out(static_cast<size_t>(n_samples));
  std::unordered_set<int64_t> selected;
  for (auto& o : out) {
    int64_t j = rng.next_int(0, n_population);
    while (selected.count(j) != 0) {
      j = rng.next_int(0, n_population);
    }
    selected.insert(j);
    o = j;
  }
  return to_tensor(out);
}

at::Tensor reservoir_sampling(int64_t n_population, int64_t n_samples, NumpyRandomState& rng) {
  std::vector<int64_t> out(static_cast<size_t>(n_samples));
  for (int64_t i = 0; i < n_samples; ++i) {
    out[static_cast<size_t>(i)] = i;
  }
  for (int64_t i = n_samples; i < n_population; ++i) {
    const int64_t j = rng.next_int(0, i + 1);
    if (j < n_samples) {
      out[static_cast<size_t>(j)] = i;
    }
  }
  return to_tensor(out);
}

at::Tensor pool(int64_t n_population, int64_t n_samples, NumpyRandomState& rng) {
  std::vector<int64_t> out(static_cast<size_t>(n_samples));
  std::vector<int64_t> items(static_cast<size_t>(n_population));
  for (int64_t i = 0; i < n_population; ++i) {
    items[static_cast<size_t>(i)] = i;
  }
  for (int64_t i = 0; i < n_samples; ++i) {
    // Invariant: the items not yet chosen sit in [0, n_population - i).
    const int64_t j = rng.next_int(0, n_population - i);
    out[static_cast<size_t>(i)] = items[static_cast<size_t>(j)];
    items[static_cast<size_t>(j)] = items[static_cast<size_t>(n_population - i - 1)];
  }
  return to_tensor(out);
}

}  // namespace

at::Tensor sample_without_replacement(int64_t n_population, int64_t n_samples,
                                      const std::string& method, NumpyRandomState& rng) {
  TORCH_CHECK(n_population >= 0, "n_population should be greater than 0, got ", n_population);
  TORCH_CHECK(n_samples >= 0, "n_samples should be >= 0, got ", n_samples);
  TORCH_CHECK(n_samples <= n_population,
              "n_population should be greater or equal than n_samples, got n_samples > "
              "n_population (",
              n_samples, " > ", n_population, ")");
  const double ratio =
      n_population != 0 ? static_cast<double>(n_samples) / static_cast<double>(n_population) : 1.0;
  if (method == "auto" && ratio > 0.01 && ratio < 0.99) {
    return rng.permutation(n_population).slice(0, 0, n_samples).clone();
  }
  if (method == "auto" || method == "tracking_selection") {
    // scikit-learn's benchmarked switch point; "tracking_selection" honours it too.
    return ratio < 0.2 ? tracking_selection(n_population, n_samples, rng)
                       : reservoir_sampling(n_population, n_samples, rng);
  }
  if (method == "reservoir_sampling") {
    return reservoir_sampling(n_population, n_samples, rng);
  }
  if (method == "pool") {
    return pool(n_population, n_samples, rng);
  }
  TORCH_CHECK(false,
              "method must be one of 'auto', 'tracking_selection', 'reservoir_sampling', 'pool', "
              "got '",
              method, "'");
}

}  // namespace infozoo::datasets
