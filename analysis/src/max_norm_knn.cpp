// SPDX-License-Identifier: BSD-3-Clause
// Max-norm k-d tree and radius counts (see max_norm_knn.h). The box bounds are exact: the
// smallest distance from q to a box in coordinate c is max(lo_c - q_c, q_c - hi_c, 0) and the
// largest max(q_c - lo_c, hi_c - q_c), both rounded as |q_c - v_c| is for a point at the box's
// edge (rounding is monotone), so pruning and whole-node counting never disagree with the
// point-by-point test. (nanoflann and friends prune with additive bounds, which do not hold for
// L-infinity.)
#include "max_norm_knn.h"

#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "gallop_search.h"
#include "radix_sort.h"

namespace infozoo::analysis::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMaxStack = 256;  // a median split keeps the depth below log2(n) + 1

// Leaf size by measurement (tests/.. benchmarks in the report): small leaves in few dimensions,
// one leaf (a brute-force scan with early exit) where a tree stops pruning.
int64_t default_leaf_size(int64_t n, int64_t d) {
  if (d >= 16 || n <= 64) return std::max<int64_t>(n, 1);
  return 16;
}

}  // namespace

MaxNormTree::MaxNormTree(const std::vector<const double*>& columns, int64_t n, int64_t leaf_size)
    : n_(n), d_(static_cast<int64_t>(columns.size())) {
  TORCH_INTERNAL_ASSERT(d_ > 0 && n_ > 0, "MaxNormTree needs points");
  leaf_size_ = leaf_size > 0 ? leaf_size : default_leaf_size(n, d_);
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), int64_t{0});
  nodes_.reserve(static_cast<size_t>(2 * (n / leaf_size_) + 2));
  build(0, n, order, columns);
  pts_.resize(n * d_);
  where_.resize(n);
  index_ = std::move(order);
  for (int64_t p = 0; p < n; ++p) {
    const int64_t i = index_[p];
    for (int64_t c = 0; c < d_; ++c) pts_[p * d_ + c] = columns[c][i];
    where_[i] = p;
  }
}

int64_t MaxNormTree::build(int64_t begin, int64_t end, std::vector<int64_t>& order,
                           const std::vector<const double*>& columns) {
  const int64_t id = static_cast<int64_t>(nodes_.size());
  nodes_.push_back(Node{begin, end});
  box_.resize((2 * id + 2) * d_);
  int best_dim = 0;
  double best_spread = -1;
  for (int64_t c = 0; c < d_; ++c) {
    double lo_c = kInf, hi_c = -kInf;
    const double* col = columns[c];
    for (int64_t p = begin; p < end; ++p) {
      const double v = col[order[p]];
      lo_c = std::min(lo_c, v);
      hi_c = std::max(hi_c, v);
    }
    box_[(2 * id) * d_ + c] = lo_c;
    box_[(2 * id + 1) * d_ + c] = hi_c;
    if (hi_c - lo_c > best_spread) {
      best_spread = hi_c - lo_c;
      best_dim = static_cast<int>(c);
    }
  }
  if (end - begin > leaf_size_ && best_spread > 0) {
    const int64_t mid = begin + (end - begin) / 2;
    const double* col = columns[best_dim];
    std::nth_element(order.begin() + begin, order.begin() + mid, order.begin() + end,
                     [col](int64_t a, int64_t b) { return col[a] < col[b]; });
    const int64_t left = build(begin, mid, order, columns);
    const int64_t right = build(mid, end, order, columns);
    nodes_[id].left = left;
    nodes_[id].right = right;
  }
  return id;
}

void MaxNormTree::knn(int64_t i, int64_t k, std::vector<double>& dist,
                      std::vector<int64_t>& idx) const {
  TORCH_INTERNAL_ASSERT(k >= 1 && k < n_, "knn needs 1 <= k < n");
  dist.assign(k, kInf);
  idx.assign(k, -1);
  const int64_t self = where_[i];
  const double* q = point(self);
  double worst = kInf;  // dist[k - 1]

  struct Entry {
    int64_t node;
    double bound;
  };
  Entry stack[kMaxStack];
  int top = 0;
  stack[top++] = {0, 0.0};
  while (top > 0) {
    const Entry e = stack[--top];
    if (e.bound >= worst) continue;
    const Node& node = nodes_[e.node];
    if (node.left < 0) {
      for (int64_t p = node.begin; p < node.end; ++p) {
        if (p == self) continue;
        const double* b = point(p);
        double dd = 0.0;
        for (int64_t c = 0; c < d_; ++c) {
          const double t = std::fabs(q[c] - b[c]);
          dd = t > dd ? t : dd;
          if (dd >= worst) break;
        }
        if (dd < worst) {
          // Insert into the sorted top-k list.
          int64_t s = k - 1;
          while (s > 0 && dist[s - 1] > dd) {
            dist[s] = dist[s - 1];
            idx[s] = idx[s - 1];
            --s;
          }
          dist[s] = dd;
          idx[s] = index_[p];
          worst = dist[k - 1];
        }
      }
      continue;
    }
    // Lower bounds of both children; the nearer is visited first (pushed last).
    double bound[2];
    const int64_t child[2] = {node.left, node.right};
    for (int s = 0; s < 2; ++s) {
      const double* l = lo(child[s]);
      const double* h = hi(child[s]);
      double m = 0.0;
      for (int64_t c = 0; c < d_; ++c) m = std::max({m, l[c] - q[c], q[c] - h[c]});
      bound[s] = m;
    }
    const int nearer = bound[0] <= bound[1] ? 0 : 1;
    TORCH_INTERNAL_ASSERT(top + 2 <= kMaxStack, "MaxNormTree stack overflow");
    stack[top++] = {child[1 - nearer], bound[1 - nearer]};
    stack[top++] = {child[nearer], bound[nearer]};
  }
}

int64_t MaxNormTree::count(int64_t i, const double* r, bool inclusive) const {
  const int64_t self = where_[i];
  const double* q = point(self);
  int64_t total = 0;
  int64_t stack[kMaxStack];
  int top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const Node& node = nodes_[stack[--top]];
    const int64_t id = &node - nodes_.data();
    const double* l = lo(id);
    const double* h = hi(id);
    bool outside = false, inside = true;
    for (int64_t c = 0; c < d_; ++c) {
      const double near = std::max(l[c] - q[c], q[c] - h[c]);  // > 0 only outside the slab
      const double far = std::max(q[c] - l[c], h[c] - q[c]);
      if (inclusive ? near > r[c] : near >= r[c]) {
        outside = true;
        break;
      }
      inside = inside && (inclusive ? far <= r[c] : far < r[c]);
    }
    if (outside) continue;
    if (inside) {
      total += node.end - node.begin;
      continue;
    }
    if (node.left < 0) {
      for (int64_t p = node.begin; p < node.end; ++p) {
        const double* b = point(p);
        int64_t c = 0;
        if (inclusive) {
          while (c < d_ && std::fabs(q[c] - b[c]) <= r[c]) ++c;
        } else {
          while (c < d_ && std::fabs(q[c] - b[c]) < r[c]) ++c;
        }
        total += c == d_;
      }
      continue;
    }
    TORCH_INTERNAL_ASSERT(top + 2 <= kMaxStack, "MaxNormTree stack overflow");
    stack[top++] = node.left;
    stack[top++] = node.right;
  }
  // The point itself was counted where its distance 0 passes the test.
  bool self_in = true;
  for (int64_t c = 0; c < d_; ++c) self_in = self_in && (inclusive ? 0.0 <= r[c] : 0.0 < r[c]);
  return total - (self_in ? 1 : 0);
}

MaxNormCounter::MaxNormCounter(const std::vector<const double*>& columns, int64_t n)
    : d_(static_cast<int64_t>(columns.size())), n_(n) {
  if (d_ == 1) {
    const auto order = radix_argsort(columns[0], n);
    sorted_.resize(n);
    pos_.resize(n);
    for (int64_t p = 0; p < n; ++p) {
      sorted_[p] = columns[0][order[p]];
      pos_[order[p]] = p;
    }
  } else {
    tree_.emplace_back(columns, n);
  }
}

int64_t MaxNormCounter::count(int64_t i, double r, bool inclusive) const {
  if (d_ == 1) {
    const double* s = sorted_.data();
    const int64_t p = pos_[i];
    const double v = s[p];
    if (inclusive) {
      if (!(r >= 0.0)) return 0;
      auto within = [s, v, r](int64_t q) { return std::fabs(v - s[q]) <= r; };
      return last_true_right(p, n_, within) - first_true_left(p, within);
    }
    if (!(r > 0.0)) return 0;
    auto within = [s, v, r](int64_t q) { return std::fabs(v - s[q]) < r; };
    return last_true_right(p, n_, within) - first_true_left(p, within);
  }
  double radius[64];
  std::vector<double> heap_radius;
  double* rr = radius;
  if (d_ > 64) {
    heap_radius.resize(d_);
    rr = heap_radius.data();
  }
  std::fill(rr, rr + d_, r);
  return tree_[0].count(i, rr, inclusive);
}

int64_t MaxNormCounter::count(int64_t i, const double* r, bool inclusive) const {
  if (d_ == 1) return count(i, r[0], inclusive);
  return tree_[0].count(i, r, inclusive);
}

}  // namespace infozoo::analysis::detail
