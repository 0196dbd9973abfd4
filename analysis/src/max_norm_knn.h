// SPDX-License-Identifier: BSD-3-Clause
// Exact neighbour searches under the max-norm (L-infinity) for the multivariate k-NN estimators
// (KSG mutual information, conditional MI, Kozachenko-Leonenko entropy). Every query is asked at
// one of the data points and leaves that point itself out. Distances are max_c |a_c - b_c|, the
// same floating-point value whichever order the coordinates or the points come in, so the counts
// and the k-th distances are those of any exact search (scikit-learn's chebyshev KDTree included).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace infozoo::analysis::detail {

/// A static k-d tree over n points in d dimensions (the columns given, one pointer per
/// coordinate): split at the median of the widest coordinate, tight bounding boxes. With a leaf
/// of all n points it is a brute-force scan, which is faster in high dimension.
class MaxNormTree {
 public:
  /// `columns[c][i]` is coordinate c of point i. `leaf_size` <= 0 picks it from n and d.
  MaxNormTree(const std::vector<const double*>& columns, int64_t n, int64_t leaf_size = 0);

  int64_t size() const { return n_; }
  /// The original index of the point at tree position p: asking the queries in this order keeps
  /// consecutive queries near each other in space, hence in cache (several times faster at 1e5
  /// points than sample order).
  int64_t index_at(int64_t p) const { return index_[p]; }
  int64_t dim() const { return d_; }

  /// The k nearest neighbours of point i, i itself excluded (k < n): their indices in `idx` and
  /// distances in `dist`, nearest first. Ties at the k-th distance are broken arbitrarily.
  void knn(int64_t i, int64_t k, std::vector<double>& dist, std::vector<int64_t>& idx) const;

  /// #{j != i : |p_j,c - p_i,c| < r_c for every c} (`inclusive`: <= r_c), with one radius per
  /// coordinate in `r` [d].
  int64_t count(int64_t i, const double* r, bool inclusive) const;

 private:
  struct Node {
    int64_t begin, end;  // range of tree positions
    int64_t left = -1, right = -1;
  };
  int64_t build(int64_t begin, int64_t end, std::vector<int64_t>& order,
                const std::vector<const double*>& columns);
  const double* point(int64_t pos) const { return &pts_[pos * d_]; }
  const double* lo(int64_t node) const { return &box_[(2 * node) * d_]; }
  const double* hi(int64_t node) const { return &box_[(2 * node + 1) * d_]; }

  int64_t n_ = 0, d_ = 0, leaf_size_ = 0;
  std::vector<double> pts_;     // [n, d] in tree order
  std::vector<int64_t> index_;  // tree position -> original index
  std::vector<int64_t> where_;  // original index -> tree position
  std::vector<Node> nodes_;
  std::vector<double> box_;  // per node: lo [d], then hi [d]
};

/// Radius counts in one space, by sorted-array search in one dimension and a MaxNormTree above.
class MaxNormCounter {
 public:
  MaxNormCounter(const std::vector<const double*>& columns, int64_t n);

  int64_t dim() const { return d_; }
  /// #{j != i : ||p_j - p_i||_inf < r} (`inclusive`: <= r).
  int64_t count(int64_t i, double r, bool inclusive) const;
  /// The same with one radius per coordinate, `r` [dim].
  int64_t count(int64_t i, const double* r, bool inclusive) const;

 private:
  int64_t d_ = 0, n_ = 0;
  std::vector<double> sorted_;     // d == 1: the values ascending
  std::vector<int64_t> pos_;       // d == 1: position of sample i in sorted_
  std::vector<MaxNormTree> tree_;  // d > 1: one tree
};

}  // namespace infozoo::analysis::detail
