// SPDX-License-Identifier: BSD-3-Clause
// The k-nearest-neighbour estimators of scikit-learn 1.2.1's _mutual_info.py without its KD-tree:
// in one dimension, sorting once gives every k-th neighbour distance (a merge outwards from each
// point) and every radius count (a galloping search), O(n log n) per column.
//
// What must match sklearn exactly, because the neighbour counts are integers:
// - kneighbors() leaves the query point out; the k-th distance of a 1-D KDTree is |c_i - c_j|.
//   For classes so small that NearestNeighbors picks brute force (k >= count // 2), sklearn's
//   ArgKmin uses the GEMM form ||a||^2 - 2 a.b + ||b||^2, which rounds differently: reproduced.
// - The radius is np.nextafter(r, 0) and query_radius counts points with reduced distance
//   fl((c_i - c_j)^2) <= fl(r^2) (euclidean) or |x_i - x_j| <= r (chebyshev), self included.
// - Means of digamma terms are numpy means (pairwise summation) in sample order.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "gallop_search.h"
#include "mi_detail.h"
#include "radix_sort.h"

namespace infozoo::analysis::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Digamma of small integers is asked for n times per column: a table saves the loops and logs.
class DigammaTable {
 public:
  explicit DigammaTable(int64_t size) : table_(size + 1) {
    for (int64_t i = 1; i <= size; ++i) table_[i] = digamma(static_cast<double>(i));
  }
  double operator()(int64_t i) const {
    return i < static_cast<int64_t>(table_.size()) ? table_[i] : digamma(static_cast<double>(i));
  }

 private:
  std::vector<double> table_;
};

// digamma(class size) for every label: class sizes are often far beyond the table's reach.
std::vector<double> label_digammas(const LabelGroups& labels) {
  std::vector<double> out(labels.n_labels());
  for (int64_t l = 0; l < labels.n_labels(); ++l)
    out[l] = digamma(static_cast<double>(labels.counts[l]));
  return out;
}

double numpy_mean(const std::vector<double>& v) {
  return numpy_sum(v.data(), static_cast<int64_t>(v.size())) / static_cast<double>(v.size());
}

// sklearn's brute-force k-th neighbour distance (ArgKmin, euclidean, GEMM form) in one dimension.
double brute_kth_distance(const double* s, int64_t m, int64_t p, int64_t k,
                          std::vector<double>& scratch) {
  scratch.clear();
  const double xi = s[p];
  const double xi2 = xi * xi;
  for (int64_t q = 0; q < m; ++q) {
    if (q == p) continue;
    const double xj = s[q];
    scratch.push_back((xi2 + -2.0 * (xi * xj)) + xj * xj);
  }
  std::nth_element(scratch.begin(), scratch.begin() + (k - 1), scratch.end());
  return std::sqrt(std::max(scratch[k - 1], 0.0));
}

// k-th smallest |s[p] - s[q]|, q != p, in a sorted array: merge the two sides outwards.
double sorted_kth_distance(const double* s, int64_t m, int64_t p, int64_t k) {
  int64_t left = p - 1, right = p + 1;
  double d = 0.0;
  for (int64_t t = 0; t < k; ++t) {
    const double dl = left >= 0 ? s[p] - s[left] : kInf;
    const double dr = right < m ? s[right] - s[p] : kInf;
    if (dl <= dr) {
      d = dl;
      --left;
    } else {
      d = dr;
      ++right;
    }
  }
  return d;
}

}  // namespace

double mi_continuous_discrete(const double* c, const LabelGroups& labels, int64_t n, int64_t k0) {
  const int64_t n_labels = labels.n_labels();
  const auto order = radix_argsort(c, n);

  // Each class's values in sorted order, laid out class after class. Everything below stays in
  // sorted order (sequential memory) until the one scatter into sample order that numpy's mean
  // needs; per-class quantities (k, digamma of the class size) never leave their class.
  std::vector<int64_t> start(n_labels + 1, 0);
  for (int64_t l = 0; l < n_labels; ++l) start[l + 1] = start[l] + labels.counts[l];
  std::vector<int64_t> fill(start.begin(), start.end() - 1);
  std::vector<double> class_vals(n);
  std::vector<int64_t> slot_of_sorted(n);
  for (int64_t p = 0; p < n; ++p) {
    const int64_t i = order[p];
    const int64_t slot = fill[labels.id[i]]++;
    class_vals[slot] = c[i];
    slot_of_sorted[p] = slot;
  }

  std::vector<double> radius_of_slot(n, 0.0);
  std::vector<int64_t> k_of_label(n_labels, 0);
  std::vector<double> scratch;
  for (int64_t l = 0; l < n_labels; ++l) {
    const int64_t m = labels.counts[l];
    if (m <= 1) continue;
    const int64_t k = std::min(k0, m - 1);
    k_of_label[l] = k;
    const bool brute = k >= m / 2;  // NearestNeighbors(algorithm="auto")'s choice
    const double* s = &class_vals[start[l]];
    for (int64_t p = 0; p < m; ++p) {
      const double r =
          brute ? brute_kth_distance(s, m, p, k, scratch) : sorted_kth_distance(s, m, p, k);
      radius_of_slot[start[l] + p] = std::nextafter(r, 0.0);
    }
  }

  // Points of single-sample classes are ignored, as sklearn does.
  std::vector<double> kept_vals;
  std::vector<int64_t> kept_sorted;  // position in `order` of each kept point
  kept_vals.reserve(n);
  kept_sorted.reserve(n);
  for (int64_t p = 0; p < n; ++p) {
    const int64_t i = order[p];
    if (labels.counts[labels.id[i]] > 1) {
      kept_vals.push_back(c[i]);
      kept_sorted.push_back(p);
    }
  }
  const int64_t n_kept = static_cast<int64_t>(kept_vals.size());
  if (n_kept == 0) return 0.0;  // callers reject this case with a clear error first
  const DigammaTable psi(std::min<int64_t>(n_kept, 4096));
  std::vector<double> psi_m_of_sample(n, 0.0);
  const double* s = kept_vals.data();
  for (int64_t p = 0; p < n_kept; ++p) {
    const double v = s[p];
    const double r = radius_of_slot[slot_of_sorted[kept_sorted[p]]];
    const double rr = r * r;
    auto within = [s, v, rr](int64_t q) {
      const double t = v - s[q];
      return t * t <= rr;
    };
    const int64_t count = last_true_right(p, n_kept, within) - first_true_left(p, within) + 1;
    psi_m_of_sample[order[kept_sorted[p]]] = psi(count);
  }

  // The digamma terms in sample order, the order of numpy's means.
  const auto psi_of_label = label_digammas(labels);
  std::vector<double> psi_k, psi_counts, psi_m;
  psi_k.reserve(n_kept);
  psi_counts.reserve(n_kept);
  psi_m.reserve(n_kept);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t l = labels.id[i];
    if (labels.counts[l] <= 1) continue;
    psi_k.push_back(psi(k_of_label[l]));
    psi_counts.push_back(psi_of_label[l]);
    psi_m.push_back(psi_m_of_sample[i]);
  }
  const double mi = digamma(static_cast<double>(n_kept)) + numpy_mean(psi_k) -
                    numpy_mean(psi_counts) - numpy_mean(psi_m);
  return std::max(0.0, mi);
}

double mi_continuous_continuous(const double* x, const double* y, int64_t n, int64_t k) {
  const ChebyshevTree2D tree(x, y, n);
  std::vector<double> radius(n);
  for (int64_t i = 0; i < n; ++i) radius[i] = std::nextafter(tree.kth_neighbor_distance(i, k), 0.0);

  // Marginal counts |x_j - x_i| <= r (chebyshev KDTree on one column), self included.
  auto marginal_psi = [n, &radius](const double* v, const DigammaTable& psi) {
    const auto order = radix_argsort(v, n);
    std::vector<double> sorted(n);
    std::vector<int64_t> pos(n);
    for (int64_t p = 0; p < n; ++p) {
      sorted[p] = v[order[p]];
      pos[order[p]] = p;
    }
    std::vector<double> terms(n);
    const double* s = sorted.data();
    for (int64_t i = 0; i < n; ++i) {
      const int64_t p = pos[i];
      const double vi = s[p];
      const double r = radius[i];
      auto within = [s, vi, r](int64_t q) { return std::fabs(vi - s[q]) <= r; };
      terms[i] = psi(last_true_right(p, n, within) - first_true_left(p, within) + 1);
    }
    return numpy_mean(terms);
  };
  const DigammaTable psi(std::min<int64_t>(n, 4096));
  const double mi = digamma(static_cast<double>(n)) + digamma(static_cast<double>(k)) -
                    marginal_psi(x, psi) - marginal_psi(y, psi);
  return std::max(0.0, mi);
}

double mi_continuous2_discrete(const double* c1, const double* c2, const LabelGroups& labels,
                               int64_t n, int64_t k0) {
  std::vector<int64_t> kept;
  for (int64_t i = 0; i < n; ++i) {
    if (labels.counts[labels.id[i]] > 1) kept.push_back(i);
  }
  const int64_t n_kept = static_cast<int64_t>(kept.size());
  if (n_kept == 0) return 0.0;
  std::vector<double> radius(n, 0.0);
  std::vector<int64_t> k_of(n, 0);
  for (int64_t l = 0; l < labels.n_labels(); ++l) {
    const int64_t m = labels.counts[l];
    if (m <= 1) continue;
    std::vector<int64_t> members;
    std::vector<double> a, b;
    for (int64_t i = 0; i < n; ++i) {
      if (labels.id[i] == l) {
        members.push_back(i);
        a.push_back(c1[i]);
        b.push_back(c2[i]);
      }
    }
    const int64_t k = std::min(k0, m - 1);
    const ChebyshevTree2D tree(a.data(), b.data(), m);
    for (int64_t p = 0; p < m; ++p) {
      radius[members[p]] = std::nextafter(tree.kth_neighbor_distance(p, k), 0.0);
      k_of[members[p]] = k;
    }
  }
  std::vector<double> a(n_kept), b(n_kept);
  for (int64_t p = 0; p < n_kept; ++p) {
    a[p] = c1[kept[p]];
    b[p] = c2[kept[p]];
  }
  const ChebyshevTree2D all(a.data(), b.data(), n_kept);
  const DigammaTable psi(std::min<int64_t>(n_kept, 4096));
  const auto psi_of_label = label_digammas(labels);
  std::vector<double> psi_k(n_kept), psi_counts(n_kept), psi_m(n_kept);
  for (int64_t p = 0; p < n_kept; ++p) {
    const int64_t i = kept[p];
    psi_k[p] = psi(k_of[i]);
    psi_counts[p] = psi_of_label[labels.id[i]];
    psi_m[p] = psi(all.count_within(p, radius[i]));
  }
  return digamma(static_cast<double>(n_kept)) + numpy_mean(psi_k) - numpy_mean(psi_counts) -
         numpy_mean(psi_m);
}

}  // namespace infozoo::analysis::detail
