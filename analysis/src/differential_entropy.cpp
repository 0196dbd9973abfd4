// SPDX-License-Identifier: BSD-3-Clause
// Kozachenko & Leonenko (1987), "Sample estimate of the entropy of a random vector", in the
// max-norm form of Kraskov et al. (2004, eq. 20): h = psi(n) - psi(k) + d log 2 + d <log eps_i>,
// eps_i the max-norm distance from x_i to its k-th neighbour (a ball of radius eps has volume
// (2 eps)^d in the max-norm).
#include "infozoo/analysis/differential_entropy.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>

#include "ksg_detail.h"
#include "max_norm_knn.h"
#include "mi_detail.h"

namespace infozoo::analysis {

double kl_entropy(const at::Tensor& X, const KlEntropyOptions& options) {
  constexpr const char* kCaller = "kl_entropy";
  auto x = detail::load_variable(X, kCaller, "X");
  const int64_t n = X.size(0), k = options.k();
  detail::check_neighbours(k, n, kCaller);
  detail::check_jitter_seed(options.jitter_seed(), kCaller);
  detail::preprocess({&x}, n, /*standardize=*/false, options.jitter_seed());
  const detail::MaxNormTree tree(x.pointers(), n);
  std::vector<double> log_eps(n);
  detail::for_each_knn(
      tree, k, [&](int64_t i, const std::vector<double>& dist, const std::vector<int64_t>& idx) {
        log_eps[i] = std::log(dist[k - 1]);
      });
  for (int64_t i = 0; i < n; ++i) {
    TORCH_CHECK(std::isfinite(log_eps[i]), kCaller, ": the distance from sample ", i,
                " of X to its k-th neighbour (k = ", k,
                ") is 0: X holds at least k + 1 equal points there; add tie-breaking noise with "
                "KlEntropyOptions().jitter_seed(seed)");
  }
  const double d = static_cast<double>(x.dim());
  return detail::digamma(static_cast<double>(n)) - detail::digamma(static_cast<double>(k)) +
         d * std::log(2.0) + d * detail::numpy_mean(log_eps);
}

}  // namespace infozoo::analysis
