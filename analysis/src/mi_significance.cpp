// SPDX-License-Identifier: BSD-3-Clause
// The informational coefficient of correlation (Linfoot 1957) and a permutation test of
// independence built on the KSG estimator. The test preprocesses once (scaling and jitter as
// the estimate on the data would), keeps X's and Y's marginal counters (a shuffle of Y's rows
// leaves the set of Y values, hence its counts, unchanged) and rebuilds only the joint tree.
#include "infozoo/analysis/mi_significance.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

#include "infozoo/datasets/numpy_random.h"
#include "ksg_detail.h"
#include "max_norm_knn.h"
#include "mi_detail.h"

namespace infozoo::analysis {

// -expm1(-2 I) rather than 1 - exp(-2 I): the same value, accurate also for tiny I.
double normalize_mi(double mi) { return std::sqrt(-std::expm1(-2.0 * std::max(mi, 0.0))); }

at::Tensor normalize_mi(const at::Tensor& mi) {
  TORCH_CHECK(mi.defined(), "normalize_mi: mi must be a defined tensor of MIs in nats");
  TORCH_CHECK(mi.is_floating_point(), "normalize_mi: mi must be a floating-point tensor, got ",
              mi.scalar_type());
  // clamp_min keeps NaN as NaN, as std::max(NaN, 0.0) does in the scalar form.
  return at::sqrt(-at::expm1(-2.0 * at::clamp_min(mi, 0.0)));
}

PermutationTestResult permutation_test(const at::Tensor& X, const at::Tensor& Y,
                                       const PermutationTestOptions& options) {
  constexpr const char* kCaller = "permutation_test";
  const auto& ksg = options.ksg();
  auto x = detail::load_variable(X, kCaller, "X");
  auto y = detail::load_variable(Y, kCaller, "Y");
  const int64_t n = detail::check_same_samples({&X, &Y}, {"X", "Y"}, kCaller);
  detail::check_neighbours(ksg.k(), n, kCaller);
  detail::check_jitter_seed(ksg.jitter_seed(), kCaller);
  TORCH_CHECK(options.permutations() >= 1, kCaller, ": permutations must be >= 1, got ",
              options.permutations());
  TORCH_CHECK(options.seed() >= 0 && options.seed() < (int64_t{1} << 32), kCaller,
              ": seed must be in [0, 2^32), got ", options.seed());
  detail::preprocess({&x, &y}, n, ksg.standardize(), ksg.jitter_seed());
  const detail::MaxNormCounter x_counter(x.pointers(), n);
  const detail::MaxNormCounter y_counter(y.pointers(), n);

  PermutationTestResult result;
  result.permutations = options.permutations();
  result.mi = detail::ksg_estimate(x, y, nullptr, ksg.k(), ksg.algorithm(), x_counter, y_counter);
  datasets::NumpyRandomState rng(options.seed());
  std::vector<double> null(options.permutations());
  int64_t at_least = 0;
  for (int64_t p = 0; p < options.permutations(); ++p) {
    const auto order = rng.permutation(n);  // np.random.RandomState(seed).permutation(n), in turn
    null[p] = detail::ksg_estimate(x, y, order.data_ptr<int64_t>(), ksg.k(), ksg.algorithm(),
                                   x_counter, y_counter);
    at_least += null[p] >= result.mi;
  }
  result.null_mean = detail::numpy_mean(null);
  std::vector<double> sq(null.size());
  for (size_t p = 0; p < null.size(); ++p) {
    sq[p] = (null[p] - result.null_mean) * (null[p] - result.null_mean);
  }
  result.null_std = std::sqrt(detail::numpy_mean(sq));
  result.p_value = static_cast<double>(1 + at_least) / static_cast<double>(1 + result.permutations);
  return result;
}

}  // namespace infozoo::analysis
