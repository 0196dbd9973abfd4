// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/analysis/energy_distance.h"

#include <ATen/ATen.h>

#include "infozoo/detail/ordered_sum.h"

namespace infozoo::analysis {
namespace {

void check_sample(const at::Tensor& t, const char* name) {
  TORCH_CHECK(
      t.defined() && t.dim() == 2 && t.size(0) >= 2 && t.size(1) >= 1 && t.is_floating_point(),
      "energy_distance: ", name, " must be a floating point [n, d] tensor with n >= 2 rows, got ",
      t.defined() ? t.sizes() : at::IntArrayRef{});
}

// The mean of |a_i - b_j| over all pairs, or over i != j when `distinct` (a and b the same).
double mean_distance(const at::Tensor& a, const at::Tensor& b, bool distinct) {
  // compute_mode 2: the direct differences, not the matmul form, so the a-a diagonal is exactly 0.
  // Row sums, then their ordered sum: a flat sum of n m distances would be split between threads
  // and round differently with another thread count (infozoo/detail/ordered_sum.h).
  const auto row_sums = at::cdist(a, b, 2.0, /*compute_mode=*/2).sum(/*dim=*/1);
  const double total = detail::ordered_sum(row_sums.cpu());
  const double n = static_cast<double>(a.size(0)), m = static_cast<double>(b.size(0));
  return total / (distinct ? n * (n - 1) : n * m);
}

}  // namespace

double energy_distance(const at::Tensor& x_in, const at::Tensor& y_in) {
  check_sample(x_in, "x");
  check_sample(y_in, "y");
  TORCH_CHECK(x_in.size(1) == y_in.size(1), "energy_distance: x and y must have one width d, got ",
              x_in.sizes(), " and ", y_in.sizes());
  TORCH_CHECK(x_in.device() == y_in.device(),
              "energy_distance: x and y must be on one device, got ", x_in.device(), " and ",
              y_in.device());
  const auto x = x_in.to(at::kDouble), y = y_in.to(at::kDouble);
  const bool finite = at::isfinite(x).all().item<bool>() && at::isfinite(y).all().item<bool>();
  TORCH_CHECK(finite, "energy_distance: x and y must be finite");
  return 2 * mean_distance(x, y, false) - mean_distance(x, x, true) - mean_distance(y, y, true);
}

}  // namespace infozoo::analysis
