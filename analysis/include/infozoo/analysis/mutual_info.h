// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// k-NN and contingency-table mutual information as scikit-learn 1.2.1 computes it, in nats.
// k-nearest-neighbour mutual information between features and a target, as scikit-learn 1.2.1's
// sklearn/feature_selection/_mutual_info.py computes it (seed sections 1.1 and 6.2), and the
// contingency-table mutual information of sklearn/metrics/cluster/_supervised.py.
// Estimators: Kraskov, Stögbauer & Grassberger, Phys. Rev. E 69 (2004) for two continuous
// variables; Ross, PLoS ONE 9(2) (2014) for a continuous and a discrete one; the plug-in
// (contingency) estimate for two discrete ones. All values in nats.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace infozoo::analysis {

/// Which columns of X are discrete, as scikit-learn's `discrete_features`: `Auto` (dense X: none),
/// `true`/`false` (all/none), a boolean mask of length n_features, or column indices (negative
/// indices count from the end, as numpy's).
/// Example: `DiscreteFeatures::from_indices({0, -1})` (the first and the last column).
struct DiscreteFeatures {
  /// How the discrete columns are given: automatically, all, none, by `mask`, by `indices`.
  enum class Kind { kAuto, kAll, kNone, kMask, kIndices };
  /// Which of the forms below is meant.
  Kind kind = Kind::kAuto;
  /// kMask: true for each discrete column, n_features entries.
  std::vector<bool> mask;  // kMask
  /// kIndices: the discrete columns' indices (negative ones count from the end).
  std::vector<int64_t> indices;  // kIndices

  /// `Auto`: for a dense X, no column is discrete.
  DiscreteFeatures() = default;
  /// `discrete_features=True` (every column) or `False` (none). Example: `DiscreteFeatures(true)`.
  /* implicit */ DiscreteFeatures(bool all) : kind(all ? Kind::kAll : Kind::kNone) {}
  /// `discrete_features="auto"`. Example: `DiscreteFeatures::automatic()`.
  static DiscreteFeatures automatic() { return {}; }
  /// A boolean mask of length n_features. Example: `DiscreteFeatures::from_mask({false, true})`.
  static DiscreteFeatures from_mask(std::vector<bool> m) {
    DiscreteFeatures d;
    d.kind = Kind::kMask;
    d.mask = std::move(m);
    return d;
  }
  /// Column indices; negative ones count from the end, as numpy's.
  /// Example: `DiscreteFeatures::from_indices({0, 2})`.
  static DiscreteFeatures from_indices(std::vector<int64_t> idx) {
    DiscreteFeatures d;
    d.kind = Kind::kIndices;
    d.indices = std::move(idx);
    return d;
  }
};

/// Options of `mutual_info_classif` / `mutual_info_regression`, with scikit-learn's names and
/// defaults. Example: `MutualInfoOptions().n_neighbors(3).random_state(42)`.
struct MutualInfoOptions {
  /// Which features are discrete (default: none for a dense matrix).
  /// Example: `MutualInfoOptions().discrete_features(DiscreteFeatures::from_indices({0, 2}))`,
  /// or `.discrete_features(true)` for all of them.
  TORCH_ARG(DiscreteFeatures, discrete_features) = {};
  /// Neighbours k of the k-NN estimators; >= 1.
  /// Example: `MutualInfoOptions().n_neighbors(5)`.
  TORCH_ARG(int64_t, n_neighbors) = 3;
  /// false: X (float64, CPU, contiguous) receives the scaled, jittered values, as scikit-learn's
  /// copy=False. Example: `MutualInfoOptions().copy(false)`.
  TORCH_ARG(bool, copy) = true;
  /// Seeds the 1e-10 tie-breaking jitter as `np.random.RandomState(random_state)`, 0 <= seed <
  /// 2^32; unset: a seed drawn from torch's default CPU generator (so `torch::manual_seed` fixes
  /// it). Example: `MutualInfoOptions().random_state(42)`.
  TORCH_ARG(std::optional<int64_t>, random_state) = std::nullopt;
};

/// scikit-learn's `mutual_info_classif(X, y, ...)`: the mutual information, in nats, between each
/// column of X ([n_samples, n_features], real) and the discrete target y ([n_samples], integer
/// labels, or floats with integral values), clipped at 0. Returns float64 [n_features] equal to
/// scikit-learn 1.2.1's for the same random_state. Columns are estimated in parallel
/// (at::parallel_for); the result does not depend on the thread count.
/// Points whose class has a single sample are left out of the Ross estimate, as scikit-learn does.
/// A constant continuous column gives exactly 0 (a constant carries no information), where
/// scikit-learn estimates its 1e-10 jitter alone: that jitter ties at large n and the estimate then
/// exceeds H(y) (scikit-learn issue 30772). Every other column is scikit-learn's number.
/// Example: `mutual_info_classif(X, y, MutualInfoOptions().random_state(42))`.
at::Tensor mutual_info_classif(const at::Tensor& X, const at::Tensor& y,
                               const MutualInfoOptions& options = {});

/// scikit-learn's `mutual_info_regression(X, y, ...)`: as `mutual_info_classif` for a continuous
/// target y (scaled and jittered like the continuous columns, after them, from the same stream);
/// a constant y gives 0 for every column.
/// Example: `mutual_info_regression(X, y, MutualInfoOptions().random_state(0))`.
at::Tensor mutual_info_regression(const at::Tensor& X, const at::Tensor& y,
                                  const MutualInfoOptions& options = {});

/// scikit-learn's `mutual_info_score(labels_a, labels_b)`: the plug-in mutual information of two
/// labelings ([n], any real or integer values; equal values are one label), from their contingency
/// table, in nats; 0 when either labeling has a single label.
/// Example: `mutual_info_score(torch::tensor({0, 0, 1, 1}), torch::tensor({1, 1, 0, 0}))` is log 2.
double mutual_info_score(const at::Tensor& labels_a, const at::Tensor& labels_b);

}  // namespace infozoo::analysis
