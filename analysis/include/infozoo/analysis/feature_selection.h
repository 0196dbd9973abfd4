// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Feature selection by mutual information: ranking, threshold, and greedy MIM, mRMR (MID and
/// MIQ), NMIFS, JMI, CMIM, DISR and ICAP, on k-NN or binned (FEAST-style) estimates.
// Feature selection by mutual information (seed 6.2): the seed's ranking and threshold on
// per-feature MI, and greedy selectors that also weigh redundancy between features — mRMR
// (Peng, Long & Ding 2005), JMI (Yang & Moody 1999) and CMIM (Fleuret 2004), with the criteria of
// Brown et al., "Conditional Likelihood Maximisation", JMLR 13 (2012) (FEAST / MIToolbox).
#pragma once

#include <ATen/core/Tensor.h>

#include <torch/arg.h>

#include <cstdint>
#include <optional>
#include <string>
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

/// Greedy criteria, J(X_k) for a candidate k given the selected set S (all MI in nats). The first
/// pick is the most relevant feature, max I(X_k; Y), for all of them. The criteria are those of
/// Brown et al. (2012), Table 1, and of FEAST / MIToolbox, which implements them:
/// - kMIM:   I(X_k; Y)                                 (the seed's ranking; no redundancy term)
/// - kMRMR:  I(X_k; Y) - mean_{j in S} I(X_k; X_j)     (mRMR's difference form, MID)
/// - kMIQ:   I(X_k; Y) / mean_{j in S} I(X_k; X_j)     (mRMR's quotient form)
/// - kNMIFS: relevance minus mean *normalised* redundancy, both on [0, 1] (Estévez et al. 2009;
///           see `select_features` for the normalisation in each estimation mode)
/// - kJMI:   sum_{j in S} I(X_k, X_j; Y)               (joint mutual information)
/// - kCMIM:  min_{j in S} I(X_k; Y | X_j)              (conditional MI maximisation)
/// - kDISR:  sum_{j in S} I(X_k, X_j; Y) / H(X_k, X_j, Y)   (binned estimation only)
/// - kICAP:  I(X_k; Y) - sum_{j in S} max(0, I(X_k; X_j) - I(X_k; X_j | Y))
enum class SelectionCriterion { kMRMR, kJMI, kCMIM, kMIM, kMIQ, kNMIFS, kDISR, kICAP };

/// The criterion's command-line name: "mim", "mrmr", "miq", "nmifs", "jmi", "cmim", "disr",
/// "icap". Example: `criterion_name(SelectionCriterion::kJMI)` is "jmi".
const char* criterion_name(SelectionCriterion criterion);

/// The criterion called `name` (as `criterion_name` spells it; "mid" is kMRMR too), or nullopt.
/// Example: `parse_criterion("cmim")` is SelectionCriterion::kCMIM.
std::optional<SelectionCriterion> parse_criterion(const std::string& name);

/// How the MI terms of a criterion are estimated.
/// Example: `FeatureSelectionOptions().estimation(MIEstimation::kBinned).n_bins(8)`.
enum class MIEstimation {
  kKnn,     ///< scikit-learn's k-NN estimators (Kraskov, Ross) on continuous columns, as today
  kBinned,  ///< FEAST-style: every column discretised, then plug-in (contingency) estimates
};

/// How `MIEstimation::kBinned` cuts a continuous column into `n_bins` bins. Discrete columns (and
/// the target) keep their values as labels.
/// Example: `FeatureSelectionOptions().binning(Binning::kQuantile)`.
enum class Binning {
  kEqualWidth,  ///< n_bins bins of equal width between the column's minimum and maximum
  kQuantile,    ///< bins holding (nearly) equal numbers of samples, at the column's quantiles
};

/// Options of `select_features`.
/// Example: `FeatureSelectionOptions().criterion(SelectionCriterion::kCMIM).n_select(5)`.
struct FeatureSelectionOptions {
  /// The greedy criterion.
  TORCH_ARG(SelectionCriterion, criterion) = SelectionCriterion::kJMI;
  /// How many columns to pick, 1 <= n_select <= n_features.
  TORCH_ARG(int64_t, n_select) = 10;
  /// k-NN (scikit-learn's estimators) or binned (FEAST's plug-in estimates).
  TORCH_ARG(MIEstimation, estimation) = MIEstimation::kKnn;
  /// kBinned: bins per continuous column, >= 2.
  TORCH_ARG(int64_t, n_bins) = 10;
  /// kBinned: equal-width or quantile bins.
  TORCH_ARG(Binning, binning) = Binning::kEqualWidth;
  /// true: y holds class labels (`mutual_info_classif`'s relevance); false: y is continuous
  /// (`mutual_info_regression`'s relevance, KSG for the joint terms).
  TORCH_ARG(bool, discrete_target) = true;
  /// The k-NN estimators' options (discrete columns, k, the jitter's seed), as for
  /// `mutual_info_classif`.
  TORCH_ARG(MutualInfoOptions, mi) = {};
};

/// The chosen features in pick order and the criterion value of each pick (the first: its MI).
/// Example: `auto picked = select_features(X, y, SelectionCriterion::kJMI, 3);`
struct FeatureSelection {
  /// Column indices of X, in the order they were picked.
  std::vector<int64_t> features;
  /// The criterion value J of each pick at the moment it was picked, in nats (the first: its
  /// I(X_k; Y)); for kMIQ and kNMIFS a ratio or a difference of normalised MIs (no unit).
  std::vector<double> scores;
  /// I(X_k; Y) of every column, in nats (the relevance the criteria start from).
  std::vector<double> relevance;
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

/// Greedy forward selection with every criterion and both estimation modes (see
/// `FeatureSelectionOptions`). The k-NN mode is the overload above's; the binned mode discretises
/// each continuous column (`binning`, `n_bins`) and computes every term from contingency tables,
/// as FEAST does (FEAST reports bits; these are nats). kDISR needs joint entropies and is only
/// defined for the binned mode (an error otherwise). A constant column has relevance 0.
/// Per mode: kNMIFS normalises by Estevez's NI = I / min(H_k, H_j) when binned and by
/// `normalize_mi` (on both relevance and redundancy) with k-NN estimates; kMIQ's denominator is
/// floored at 0.01 nats so a redundancy clipped to 0 cannot rank noise first; with k-NN estimates
/// I(X_k; X_j | Y) is the class-weighted sum of per-class KSG estimates; with a continuous target
/// (`discrete_target(false)`) every joint term is a KSG estimate.
/// Example: `select_features(X, y, FeatureSelectionOptions().criterion(SelectionCriterion::kCMIM)
/// .n_select(5).estimation(MIEstimation::kBinned))`.
FeatureSelection select_features(const at::Tensor& X, const at::Tensor& y,
                                 const FeatureSelectionOptions& options);

}  // namespace infozoo::analysis
