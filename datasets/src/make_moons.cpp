// SPDX-License-Identifier: BSD-3-Clause
// scikit-learn 1.2.1's make_moons (sklearn/datasets/_samples_generator.py), with numpy's
// linspace, cos and sin evaluated as numpy does, so the arrays equal scikit-learn's bit for bit.
#include "infozoo/datasets/make_moons.h"

#include <ATen/ATen.h>

#include <cmath>
#include <vector>

#include "check_random_state.h"

namespace infozoo::datasets {
namespace {

constexpr double kPi = 3.141592653589793;

// np.linspace(0, pi, num): i * step with the last point pinned to pi exactly.
std::vector<double> linspace_to_pi(int64_t num) {
  std::vector<double> out(static_cast<size_t>(num));
  if (num == 1) {
    out[0] = 0.0;
    return out;
  }
  const double step = kPi / static_cast<double>(num - 1);
  for (int64_t i = 0; i < num; ++i) {
    out[static_cast<size_t>(i)] = static_cast<double>(i) * step + 0.0;
  }
  if (num > 1) {
    out.back() = kPi;
  }
  return out;
}

}  // namespace

Dataset make_moons(std::pair<int64_t, int64_t> n_samples, double noise, bool shuffle,
                   std::optional<int64_t> random_state) {
  const auto [n_out, n_in] = n_samples;
  TORCH_CHECK(n_out >= 0 && n_in >= 0,
              "make_moons: the number of samples of each moon must be >= 0, got (", n_out, ", ",
              n_in, ")");
  TORCH_CHECK(noise >= 0.0, "make_moons: noise must be >= 0, got ", noise);
  auto generator = detail::check_random_state(random_state);

  const int64_t n = n_out + n_in;
  std::vector<double> x(static_cast<size_t>(2 * n));  // (n, 2), C order
  std::vector<int64_t> y(static_cast<size_t>(n));
  const auto outer = linspace_to_pi(n_out);
  const auto inner = linspace_to_pi(n_in);
  for (int64_t i = 0; i < n_out; ++i) {
    x[2 * i] = std::cos(outer[i]);
    x[2 * i + 1] = std::sin(outer[i]);
    y[i] = 0;
  }
  for (int64_t i = 0; i < n_in; ++i) {
    const int64_t row = n_out + i;
    x[2 * row] = 1.0 - std::cos(inner[i]);
    x[2 * row + 1] = 1.0 - std::sin(inner[i]) - 0.5;
    y[row] = 1;
  }

  auto X = at::from_blob(x.data(), {n, 2}, at::kDouble).clone();
  auto Y = at::from_blob(y.data(), {n}, at::kLong).clone();
  if (shuffle) {
    const auto order = detail::shuffled_rows(generator, n);
    const auto index = at::from_blob(const_cast<int64_t*>(order.data()), {n}, at::kLong);
    X = X.index_select(0, index);
    Y = Y.index_select(0, index);
  }
  if (noise > 0.0) {
    // X += generator.normal(scale=noise, size=X.shape): numpy computes 0 + noise * g first.
    X += generator.normal(0.0, noise, {n, 2});
  }
  return {X, Y};
}

Dataset make_moons(int64_t n_samples, double noise, bool shuffle,
                   std::optional<int64_t> random_state) {
  TORCH_CHECK(n_samples >= 0, "make_moons: n_samples must be >= 0, got ", n_samples);
  const int64_t n_out = n_samples / 2;
  return make_moons({n_out, n_samples - n_out}, noise, shuffle, random_state);
}

}  // namespace infozoo::datasets
