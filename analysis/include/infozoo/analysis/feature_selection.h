// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Feature selection by mutual information: ranking, threshold, and greedy mRMR, JMI and CMIM.
// Feature selection by mutual information (seed 6.2): the seed's ranking and threshold on
// per-feature MI, and greedy selectors that also weigh redundancy between features — mRMR
// (Peng, Long & Ding 2005), JMI (Yang & Moody 1999) and CMIM (Fleuret 2004), with the criteria of
// Brown et al., "Conditional Likelihood Maximisation", JMLR 13 (2012) (FEAST / MIToolbox).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "infozoo/analysis/mutual_info.h"

namespace infozoo::analysis {

/// Feature indices by decreasing score, as the seed's `np.argsort(mi_scores)[::-1]`: numpy 1.24's
/// (unstable) introsort reproduced step by step, so equal scores come out in numpy's order too.
/// Example: `rank_by_score(torch::tensor({0.1, 0.3, 0.2}))` is {1, 2, 0}.
std::vector<int64_t> rank_by_score(const at::Tensor& scores);

/// Indices (ascending) of the features whose score is strictly above `threshold`, as
/// `np.where(mi_scores > threshold)[0]`. Example: `select_by_threshold(mi, 0.05)`.
std::vector<int64_t> select_by_threshold(const at::Tensor& scores, double threshold);

/// Greedy criteria, J(X_k) for a candidate k given the selected set S (all MI in nats):
/// - kMRMR: I(X_k; Y) - mean_{j in S} I(X_k; X_j)   (relevance minus mean redundancy)
/// - kJMI:  sum_{j in S} I(X_k, X_j; Y)             (joint mutual information)
/// - kCMIM: min_{j in S} I(X_k; Y | X_j)            (conditional MI maximisation)
/// The first pick is the most relevant feature, max I(X_k; Y), for all three.
enum class SelectionCriterion { kMRMR, kJMI, kCMIM };

/// The chosen features in pick order and the criterion value of each pick (the first: its MI).
/// Example: `auto picked = select_features(X, y, SelectionCriterion::kJMI, 3);`
struct FeatureSelection {
  /// Column indices of X, in the order they were picked.
  std::vector<int64_t> features;
  /// The criterion value J of each pick, in nats (the first: its I(X_k; Y)).
  std::vector<double> scores;
};

/// Greedy forward selection of `n_select` columns of X ([n_samples, n_features]) for the discrete
/// target y, with the estimators of `mutual_info_classif` on the same scaled, jittered data
/// (`options` as there): Ross for continuous-vs-discrete, KSG for continuous pairs, contingency
/// tables for discrete ones, and for the joint I(X_k, X_j; Y) a max-norm Ross estimate in 2-D
/// (or the chain rule I(X_d; Y) + I(X_c; Y, X_d) - I(X_c; X_d) when one of the two is discrete).
/// I(X_k; Y | X_j) = I(X_k, X_j; Y) - I(X_j; Y). Ties pick the lowest index. Candidates are
/// evaluated in parallel; the result does not depend on the thread count.
/// Example: `select_features(X, y, SelectionCriterion::kMRMR, 5,
/// MutualInfoOptions().random_state(42))`.
FeatureSelection select_features(const at::Tensor& X, const at::Tensor& y,
                                 SelectionCriterion criterion, int64_t n_select,
                                 const MutualInfoOptions& options = {});

}  // namespace infozoo::analysis
