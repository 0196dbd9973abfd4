// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// scikit-learn 1.2.1's make_classification (sklearn/datasets/_samples_generator.py), the same
/// arrays for the same seed.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "infozoo/datasets/make_moons.h"

namespace infozoo::datasets {

/// make_classification's arguments, with scikit-learn's defaults. The useless (pure noise)
/// features are the rest: n_features - n_informative - n_redundant - n_repeated (the seed's
/// `n_useless=10` is that count for 20 features, 5 informative and 5 redundant, and is not an
/// argument of scikit-learn's). Example:
/// `MakeClassificationOptions().n_samples(1000).n_informative(5).n_redundant(5).random_state(42)`
struct MakeClassificationOptions {
  /// Rows of X, >= 1.
  TORCH_ARG(int64_t, n_samples) = 100;
  /// Columns of X: informative + redundant + repeated + useless ones.
  TORCH_ARG(int64_t, n_features) = 20;
  /// Columns that place the clusters (the hypercube's dimensions), >= 1.
  TORCH_ARG(int64_t, n_informative) = 2;
  /// Random linear combinations of the informative columns.
  TORCH_ARG(int64_t, n_redundant) = 2;
  /// Copies of informative or redundant columns, drawn at random.
  TORCH_ARG(int64_t, n_repeated) = 0;
  /// Number of labels; n_classes * n_clusters_per_class <= 2^n_informative.
  TORCH_ARG(int64_t, n_classes) = 2;
  /// Gaussian clusters per class, each at its own hypercube vertex.
  TORCH_ARG(int64_t, n_clusters_per_class) = 2;
  /// Class proportions, n_classes or n_classes - 1 of them (the last is then 1 - their sum);
  /// empty: balanced classes.
  TORCH_ARG(std::vector<double>, weights) = {};
  /// Fraction of labels replaced by random ones; negative: none, and no draws for them.
  TORCH_ARG(double, flip_y) = 0.01;
  /// Half the hypercube's side: larger values separate the classes more.
  TORCH_ARG(double, class_sep) = 1.0;
  /// Clusters on the vertices of a hypercube (true) or of a random polytope (false).
  TORCH_ARG(bool, hypercube) = true;
  /// Added to every feature; unset: a random shift per feature in [-class_sep, class_sep).
  TORCH_ARG(std::optional<double>, shift) = 0.0;
  /// Multiplies every feature after the shift; unset: a random scale per feature in [1, 101).
  TORCH_ARG(std::optional<double>, scale) = 1.0;
  /// Shuffle the samples, then the features.
  TORCH_ARG(bool, shuffle) = true;
  /// Seeds a NumpyRandomState (unset: seeded from torch's generator).
  TORCH_ARG(std::optional<int64_t>, random_state) = std::nullopt;
};

/// `make_classification(...)`: Gaussian clusters around the vertices of an
/// n_informative-dimensional hypercube, n_clusters_per_class of them per class, plus redundant
/// (linear combinations), repeated and useless features; X float64 (n_samples, n_features), y int64
/// (n_samples). Example: `auto [X, y] =
/// make_classification(MakeClassificationOptions().random_state(0));`
Dataset make_classification(const MakeClassificationOptions& options = {});

/// What a column of make_classification's X is, in the order scikit-learn builds them before the
/// shuffle: informative, redundant, repeated, then useless.
/// Example: `roles[j] == FeatureRole::kInformative`.
enum class FeatureRole {
  kInformative,  ///< places the clusters (a hypercube dimension)
  kRedundant,    ///< a random linear combination of the informative columns
  kRepeated,     ///< a copy of an informative or redundant column
  kUseless,      ///< pure N(0, 1) noise, independent of y
};

/// "informative", "redundant", "repeated" or "useless". Example: `feature_role_name(roles[0])`.
const char* feature_role_name(FeatureRole role);

/// make_classification's arrays and the true role of each column of X after the feature shuffle.
/// Example: `auto d = make_classification_with_roles(MakeClassificationOptions().random_state(0));`
struct ClassificationData {
  /// float64 [n_samples, n_features], as `make_classification`'s X.
  at::Tensor X;
  /// int64 [n_samples], as `make_classification`'s y.
  at::Tensor y;
  /// [n_features]: roles[j] is what column j of X is.
  std::vector<FeatureRole> roles;
};

/// `make_classification(options)` (the same X and y, bit for bit) together with each column's
/// role, followed through the feature shuffle (with shuffle=false the roles are in scikit-learn's
/// order: informative, redundant, repeated, useless).
/// Example: `make_classification_with_roles(MakeClassificationOptions().random_state(42)).roles`.
ClassificationData make_classification_with_roles(const MakeClassificationOptions& options = {});

}  // namespace infozoo::datasets
