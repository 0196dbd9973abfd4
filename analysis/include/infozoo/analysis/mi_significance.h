// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Reading a mutual information: its informational coefficient of correlation and a permutation
/// test of independence.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>

#include <cstdint>

#include "infozoo/analysis/ksg.h"

namespace infozoo::analysis {

/// The informational coefficient of correlation sqrt(1 - exp(-2 I)) of an MI `mi` in nats (Linfoot
/// 1957; ennemi's `normalize_mi`): |rho| for a bivariate normal, in [0, 1); negative estimates map
/// to 0. Example: `normalize_mi(-0.5 * std::log(1 - 0.75 * 0.75))` is 0.75.
double normalize_mi(double mi);

/// `normalize_mi` element-wise on a tensor of MIs in nats (any floating dtype, any device).
/// Example: `normalize_mi(torch::tensor({0.0, 0.4133}))` is {0, 0.75}.
at::Tensor normalize_mi(const at::Tensor& mi);

/// Options of `permutation_test`. Example: `PermutationTestOptions().permutations(200).seed(1)`.
struct PermutationTestOptions {
  /// How many shuffles of Y's rows; >= 1.
  TORCH_ARG(int64_t, permutations) = 100;
  /// Seeds the shuffles (a `np.random.RandomState(seed).permutation` per shuffle, in order).
  TORCH_ARG(int64_t, seed) = 0;
  /// The estimator, run on the data and on every shuffle.
  TORCH_ARG(KsgOptions, ksg) = {};
};

/// A permutation test's outcome: the estimate, the null distribution's summary, and the p-value.
/// Example: `auto t = permutation_test(x, y); if (t.p_value < 0.05) ...`.
struct PermutationTestResult {
  double mi = 0;             ///< KSG estimate on the data, nats
  double null_mean = 0;      ///< mean estimate over the shuffles, nats
  double null_std = 0;       ///< their standard deviation (ddof 0), nats
  double p_value = 1;        ///< (1 + #{shuffles >= mi}) / (1 + permutations)
  int64_t permutations = 0;  ///< how many shuffles made the null distribution
};

/// Tests independence of X [n, dx] and Y [n, dy]: KSG MI on the data against its values when Y's
/// rows are shuffled (which keeps both marginals and breaks the dependence). The p-value counts the
/// data as one of the permutations, so it is never 0 (Phipson & Smyth 2010). NPEET's
/// `shuffle_test` reports a confidence interval of the same null distribution.
/// Example: `permutation_test(x, y, PermutationTestOptions().permutations(200)).p_value`.
PermutationTestResult permutation_test(const at::Tensor& X, const at::Tensor& Y,
                                       const PermutationTestOptions& options = {});

}  // namespace infozoo::analysis
