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
  /// The same with one radius `r` for every coordinate.
  int64_t count(int64_t i, double r, bool inclusive) const;

 private:
  struct Node {
    int64_t begin, end;  // range of tree positions
    int64_t left = -1, right = -1;
  };
  int64_t build(int64_t begin, int64_t end, std::vector<int64_t>& order,
                const std::vector<const double*>& columns);
  template <typename DimT>
  void knn_impl(DimT dim, int64_t i, int64_t k, double* dist, int64_t* idx) const;
  template <typename DimT, bool kInclusive>
  int64_t count_impl(DimT dim, int64_t i, const double* r, bool uniform) const;
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

/// Radius counts in one space for every sample at once: by sorted-array search in one dimension,
/// by a sweep over ranks with a Fenwick tree in two (O(n log n) for all queries, whatever the
/// radii), by a MaxNormTree above.
class MaxNormCounter {
 public:
  MaxNormCounter(const std::vector<const double*>& columns, int64_t n);

  int64_t dim() const { return d_; }
  /// out[i] = #{j != i : |p_j,c - p_i,c| < r_i,c for every c} (`inclusive`: <=), with
  /// r_i,c = radii[i] (`per_coordinate` false, radii [n]) or radii[i * dim + c] (radii [n, dim]).
  /// Parallel over samples where that pays; the counts are integers, the same for any thread
  /// count.
  std::vector<int64_t> count_all(const std::vector<double>& radii, bool per_coordinate,
                                 bool inclusive) const;

 private:
  // The positions p of sorted column c with |v - s_c[p]| (< or <=) r: [first, last], or
  // first > last when none (strict with r <= 0).
  std::pair<int64_t, int64_t> rank_interval(int64_t c, int64_t i, double r, bool inclusive) const;
  std::vector<int64_t> sweep_2d(const std::vector<double>& radii, bool per_coordinate,
                                bool inclusive) const;

  int64_t d_ = 0, n_ = 0;
  std::vector<std::vector<double>> sorted_;  // d <= 2: each column's values ascending
  std::vector<std::vector<int64_t>> rank_;   // d <= 2: position of sample i in sorted_[c]
  std::vector<int64_t> by_first_;            // d == 2: the samples in order of column 0
  std::vector<MaxNormTree> tree_;            // d > 2: one tree
};

}  // namespace infozoo::analysis::detail
