// SPDX-License-Identifier: BSD-3-Clause
// The information terms the greedy criteria of feature_selection.cpp are built from, behind one
// interface, so that each criterion is written once for both estimation modes: k-NN
// (scikit-learn's estimators on the prepared columns) and binned (FEAST-style plug-in counts).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>

#include "infozoo/analysis/feature_selection.h"

namespace infozoo::analysis::detail {

/// The terms, in nats, between candidate column k, a selected column j and the target Y.
class SelectionTerms {
 public:
  virtual ~SelectionTerms() = default;
  /// Number of columns.
  virtual int64_t p() const = 0;
  /// I(X_k; Y).
  virtual double relevance(int64_t k) const = 0;
  /// I(X_k; X_j).
  virtual double redundancy(int64_t k, int64_t j) const = 0;
  /// I(X_k, X_j; Y).
  virtual double joint_relevance(int64_t k, int64_t j) const = 0;
  /// I(X_k; X_j | Y).
  virtual double conditional_redundancy(int64_t k, int64_t j) const = 0;
  /// H(X_k) (binned only: NMIFS's normalisation).
  virtual double entropy(int64_t k) const = 0;
  /// H(X_k, X_j, Y) (binned only: DISR's normalisation).
  virtual double joint_entropy(int64_t k, int64_t j) const = 0;
};

/// scikit-learn's estimators on X and y prepared as mutual_info_classif (or _regression) does.
std::unique_ptr<SelectionTerms> knn_terms(const at::Tensor& X, const at::Tensor& y,
                                          const FeatureSelectionOptions& options);

/// Plug-in estimates on X discretised column by column (`options.binning()`, `n_bins()`).
std::unique_ptr<SelectionTerms> binned_terms(const at::Tensor& X, const at::Tensor& y,
                                             const FeatureSelectionOptions& options);

}  // namespace infozoo::analysis::detail
