// SPDX-License-Identifier: BSD-3-Clause
// Kraskov, Stögbauer & Grassberger (2004), "Estimating mutual information", Phys. Rev. E 69,
// 066138: algorithm 1 (eq. 8) and algorithm 2 (eq. 9) in the max-norm of the joint space (X, Y).
//   1: eps_i = distance from sample i to its k-th neighbour in (X, Y); n_x(i) = #{j != i :
//      ||x_i - x_j|| < eps_i}, likewise n_y; I = psi(k) + psi(n) - <psi(n_x + 1)> - <psi(n_y + 1)>.
//   2: eps_x(i), eps_y(i) = the largest marginal distance to those k neighbours; n_x(i) = #{j != i
//   :
//      ||x_i - x_j|| <= eps_x(i)}; I = psi(k) - 1/k + psi(n) - <psi(n_x)> - <psi(n_y)>.
// Algorithm 1 is evaluated as scikit-learn's _compute_mi_cc writes it, digamma(n) + digamma(k) -
// mean - mean, whose radius nextafter(eps, 0) with <= is exactly the strict < eps here.
#include "infozoo/analysis/ksg.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>

#include "ksg_detail.h"
#include "max_norm_knn.h"
#include "mi_detail.h"

namespace infozoo::analysis {
namespace detail {

double ksg_estimate(const Variable& X, const Variable& Y, const int64_t* y_rows, int64_t k,
                    KsgAlgorithm algorithm, const MaxNormCounter& x_counter,
                    const MaxNormCounter& y_counter) {
  const int64_t n = static_cast<int64_t>(X.cols[0].size());
  const int64_t dx = X.dim(), dy = Y.dim();
  // Y's columns in sample order (the permutation applied) for the joint tree.
  std::vector<std::vector<double>> y_permuted;
  std::vector<const double*> joint = X.pointers();
  for (int64_t c = 0; c < dy; ++c) {
    if (y_rows == nullptr) {
      joint.push_back(Y.cols[c].data());
      continue;
    }
    y_permuted.emplace_back(n);
    for (int64_t i = 0; i < n; ++i) y_permuted.back()[i] = Y.cols[c][y_rows[i]];
    joint.push_back(y_permuted.back().data());
  }
  const MaxNormTree tree(joint, n);
  // The marginal radii, X's by sample and Y's by Y row (the row sample i reads).
  std::vector<double> radius_x(n), radius_y(n);
  const bool two = algorithm == KsgAlgorithm::kTwo;
  for_each_knn(tree, k,
               [&](int64_t i, const std::vector<double>& dist, const std::vector<int64_t>& idx) {
                 const int64_t yi = y_rows ? y_rows[i] : i;
                 if (!two) {
                   radius_x[i] = radius_y[yi] = dist[k - 1];
                   return;
                 }
                 double eps_x = 0.0, eps_y = 0.0;
                 for (int64_t s = 0; s < k; ++s) {
                   const int64_t j = idx[s];
                   const int64_t yj = y_rows ? y_rows[j] : j;
                   for (int64_t c = 0; c < dx; ++c) {
                     eps_x = std::max(eps_x, std::fabs(X.cols[c][i] - X.cols[c][j]));
                   }
                   for (int64_t c = 0; c < dy; ++c) {
                     eps_y = std::max(eps_y, std::fabs(Y.cols[c][yi] - Y.cols[c][yj]));
                   }
                 }
                 radius_x[i] = eps_x;
                 radius_y[yi] = eps_y;
               });
  // Algorithm 1 counts strictly inside eps and takes psi(n + 1); algorithm 2 counts inside the
  // closed extent and takes psi(n).
  const auto count_x = x_counter.count_all(radius_x, /*per_coordinate=*/false, /*inclusive=*/two);
  const auto count_y = y_counter.count_all(radius_y, /*per_coordinate=*/false, /*inclusive=*/two);
  const auto psi = digamma_table(n + 1);
  const int64_t shift = two ? 0 : 1;
  std::vector<double> term_x(n), term_y(n);
  for (int64_t i = 0; i < n; ++i) {
    term_x[i] = psi[count_x[i] + shift];
    term_y[i] = psi[count_y[y_rows ? y_rows[i] : i] + shift];
  }
  const double psi_n = digamma(static_cast<double>(n));
  const double psi_k = digamma(static_cast<double>(k));
  if (!two) return psi_n + psi_k - numpy_mean(term_x) - numpy_mean(term_y);
  return psi_k - 1.0 / static_cast<double>(k) + psi_n - numpy_mean(term_x) - numpy_mean(term_y);
}

}  // namespace detail

double ksg_mutual_info(const at::Tensor& X, const at::Tensor& Y, const KsgOptions& options) {
  constexpr const char* kCaller = "ksg_mutual_info";
  auto x = detail::load_variable(X, kCaller, "X");
  auto y = detail::load_variable(Y, kCaller, "Y");
  const int64_t n = detail::check_same_samples({&X, &Y}, {"X", "Y"}, kCaller);
  detail::check_neighbours(options.k(), n, kCaller);
  detail::check_jitter_seed(options.jitter_seed(), kCaller);
  detail::preprocess({&x, &y}, n, options.standardize(), options.jitter_seed());
  const detail::MaxNormCounter x_counter(x.pointers(), n);
  const detail::MaxNormCounter y_counter(y.pointers(), n);
  return detail::ksg_estimate(x, y, nullptr, options.k(), options.algorithm(), x_counter,
                              y_counter);
}

}  // namespace infozoo::analysis
