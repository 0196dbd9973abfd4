// SPDX-License-Identifier: BSD-3-Clause
// Internal building blocks of the mutual-information estimators (not installed): numpy's
// summation order, scipy's digamma, numpy's argsort, and the per-pair k-NN / contingency
// estimators that mutual_info.cpp and feature_selection.cpp share. Everything works on plain
// float64 arrays so one column can be estimated per task of at::parallel_for.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "infozoo/analysis/mutual_info.h"
#include "infozoo/datasets/numpy_random.h"

namespace infozoo::analysis::detail {

/// numpy's `np.add.reduce` over a contiguous float64 array: pairwise summation (unrolled by 8,
/// blocks of 128) inside buffers of 8192 elements that are added one after the other. Bit-identical
/// to `np.sum(a)` / `np.mean(a) * n`, which makes sklearn's means reproducible to the last bit.
double numpy_sum(const double* a, int64_t n);

/// scipy.special.digamma (cephes `psi`, scipy 1.10) for real x; exact harmonic sums for the
/// integers <= 10 the k-NN estimators mostly ask for.
double digamma(double x);

/// numpy 1.24's `np.argsort(v)` (introsort "quicksort", not stable): the same permutation,
/// ties included, so rankings built on it match numpy's exactly. NaN sorts last.
std::vector<int64_t> numpy_argsort(const std::vector<double>& v);

/// Labels of a discrete variable: dense ids 0..n_labels-1 in sorted order of the values
/// (np.unique's order) and the number of points of each.
struct LabelGroups {
  std::vector<int64_t> id;      // [n] label id of each point
  std::vector<int64_t> counts;  // [n_labels]
  int64_t n_labels() const { return static_cast<int64_t>(counts.size()); }
};
LabelGroups group_labels(const double* d, int64_t n);

/// sklearn's `_compute_mi_cd(c, d, k)`: Ross (2014) estimate between a continuous `c` and a
/// discrete variable (grouped in `labels`), nats, clipped at 0. Points of single-sample classes are
/// ignored. Sorts once: O(n log n).
double mi_continuous_discrete(const double* c, const LabelGroups& labels, int64_t n, int64_t k);

/// sklearn's `_compute_mi_cc(x, y, k)`: Kraskov-Stögbauer-Grassberger estimate (max-norm in the
/// joint space), nats, clipped at 0.
double mi_continuous_continuous(const double* x, const double* y, int64_t n, int64_t k);

/// Ross's estimate between a 2-D continuous variable (c1, c2) under the max-norm and a discrete
/// one: the joint relevance I((X_a, X_b); Y) that JMI and CMIM need. Nats, not clipped.
double mi_continuous2_discrete(const double* c1, const double* c2, const LabelGroups& labels,
                               int64_t n, int64_t k);

/// sklearn's `mutual_info_score` on two labelings (contingency table), nats.
double mi_discrete_discrete(const LabelGroups& a, const LabelGroups& b, int64_t n);

/// Joint labels of two labelings: one id per distinct pair (a, b).
LabelGroups joint_labels(const LabelGroups& a, const LabelGroups& b, int64_t n);

/// Points in the plane under the max-norm: k-th neighbour distances and radius counts in
/// O(log n) per query (a static k-d tree; nanoflann's additive bounds do not hold for L-infinity).
class ChebyshevTree2D {
 public:
  ChebyshevTree2D(const double* x, const double* y, int64_t n);
  /// The k-th smallest max(|dx|, |dy|) from point i to the other points (k < n).
  double kth_neighbor_distance(int64_t i, int64_t k) const;
  /// How many points (i itself included) lie within max-norm distance r of point i, inclusive.
  int64_t count_within(int64_t i, double r) const;

 private:
  struct Node {
    double lo[2], hi[2];
    int64_t begin, end;  // range of tree positions
    int64_t left = -1, right = -1;
  };
  int64_t build(int64_t begin, int64_t end);
  std::vector<double> pts_;     // [n, 2] in tree order
  std::vector<int64_t> where_;  // original index -> tree position
  std::vector<Node> nodes_;
  std::vector<int64_t> order_scratch_;  // only during construction
};

/// scikit-learn's `scale(block, with_mean=False)` on continuous columns stored one after another
/// (block[j] is column j, n values): each column divided by its standard deviation (ddof 0,
/// numpy's pairwise sums); a std below 10 machine epsilons leaves the column as it is
/// (_handle_zeros_in_scale). `truncate`: the values go back into an integer array (integer X).
void scale_columns(std::vector<std::vector<double>>& block, int64_t n, bool truncate = false);

/// scikit-learn's tie-breaking noise of _estimate_mi: column j += 1e-10 * max(1, mean |column j|)
/// * z[:, j], with z = rng.standard_normal((n, m)) (row-major, as numpy fills it; drawn in blocks
/// of rows, the same sequence).
void jitter_columns(std::vector<std::vector<double>>& block, int64_t n,
                    datasets::NumpyRandomState& rng);

/// X and y after scikit-learn's preprocessing: continuous columns (and a continuous target)
/// divided by their standard deviation and jittered by 1e-10-scaled numpy normals; columns
/// stored one after another.
struct PreparedMI {
  int64_t n = 0, p = 0, n_neighbors = 3;
  bool discrete_target = true;
  at::Tensor storage;               // float64 [p, n]: a copy, or the caller's X.t() (copy=False)
  const double* columns = nullptr;  // storage's data
  std::vector<bool> discrete;       // [p]
  std::vector<bool> constant;       // [p] continuous columns whose values are all equal
  bool constant_target = false;     // continuous target whose values are all equal
  std::vector<double> y;            // [n]
  LabelGroups y_labels;             // discrete target only
  const double* column(int64_t j) const { return columns + j * n; }
};

/// Validates the arguments (naming `caller` in errors) and preprocesses them as sklearn's
/// _estimate_mi does, drawing the jitter from NumpyRandomState(random_state).
PreparedMI prepare_mutual_info(const at::Tensor& X, const at::Tensor& y,
                               const MutualInfoOptions& options, bool discrete_target,
                               const char* caller);

/// sklearn's _compute_mi between prepared column j and the target.
double mi_column_target(const PreparedMI& data, int64_t j);

}  // namespace infozoo::analysis::detail
