// SPDX-License-Identifier: BSD-3-Clause
// A static k-d tree over points in the plane under the max-norm (L-infinity), for the joint-space
// neighbour searches of the KSG estimator. Bounds are exact max-norm distances to each node's box,
// so pruning never drops a point that sklearn's KDTree(metric="chebyshev") would count.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>

#include "mi_detail.h"

namespace infozoo::analysis::detail {
namespace {

constexpr int64_t kLeafSize = 16;

double min_dist(const double lo[2], const double hi[2], const double* p) {
  double d = 0.0;
  for (int j = 0; j < 2; ++j) d = std::max(d, std::max({lo[j] - p[j], p[j] - hi[j], 0.0}));
  return d;
}

double max_dist(const double lo[2], const double hi[2], const double* p) {
  double d = 0.0;
  for (int j = 0; j < 2; ++j) d = std::max({d, std::fabs(p[j] - lo[j]), std::fabs(p[j] - hi[j])});
  return d;
}

double chebyshev(const double* a, const double* b) {
  return std::max(std::fabs(a[0] - b[0]), std::fabs(a[1] - b[1]));
}

}  // namespace

ChebyshevTree2D::ChebyshevTree2D(const double* x, const double* y, int64_t n)
    : pts_(2 * n), where_(n) {
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), int64_t{0});
  // Build on an index permutation, then lay the points out in tree order for locality.
  pts_.assign(2 * n, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    pts_[2 * i] = x[i];
    pts_[2 * i + 1] = y[i];
  }
  order_scratch_ = std::move(order);
  nodes_.reserve(static_cast<size_t>(2 * n / kLeafSize + 2));
  if (n > 0) build(0, n);
  std::vector<double> laid(2 * n);
  for (int64_t p = 0; p < n; ++p) {
    laid[2 * p] = pts_[2 * order_scratch_[p]];
    laid[2 * p + 1] = pts_[2 * order_scratch_[p] + 1];
    where_[order_scratch_[p]] = p;
  }
  pts_ = std::move(laid);
  order_scratch_.clear();
  order_scratch_.shrink_to_fit();
}

int64_t ChebyshevTree2D::build(int64_t begin, int64_t end) {
  const int64_t id = static_cast<int64_t>(nodes_.size());
  nodes_.push_back(Node{});
  Node node;
  node.begin = begin;
  node.end = end;
  for (int j = 0; j < 2; ++j) {
    node.lo[j] = std::numeric_limits<double>::infinity();
    node.hi[j] = -std::numeric_limits<double>::infinity();
  }
  for (int64_t p = begin; p < end; ++p) {
    const double* q = &pts_[2 * order_scratch_[p]];
    for (int j = 0; j < 2; ++j) {
      node.lo[j] = std::min(node.lo[j], q[j]);
      node.hi[j] = std::max(node.hi[j], q[j]);
    }
  }
  if (end - begin > kLeafSize) {
    const int dim = (node.hi[1] - node.lo[1] > node.hi[0] - node.lo[0]) ? 1 : 0;
    const int64_t mid = begin + (end - begin) / 2;
    std::nth_element(
        order_scratch_.begin() + begin, order_scratch_.begin() + mid, order_scratch_.begin() + end,
        [this, dim](int64_t a, int64_t b) { return pts_[2 * a + dim] < pts_[2 * b + dim]; });
    node.left = build(begin, mid);
    node.right = build(mid, end);
  }
  nodes_[id] = node;
  return id;
}

double ChebyshevTree2D::kth_neighbor_distance(int64_t i, int64_t k) const {
  // The (k+1)-th smallest distance over all points, i itself (distance 0) included, is the
  // k-th smallest over the others: what sklearn's kneighbors() gives after dropping the query.
  const double* p = &pts_[2 * where_[i]];
  const size_t want = static_cast<size_t>(k + 1);
  std::priority_queue<double> best;  // max-heap of the `want` smallest distances so far
  std::vector<int64_t> stack{0};
  while (!stack.empty()) {
    const Node& node = nodes_[stack.back()];
    stack.pop_back();
    if (best.size() == want && min_dist(node.lo, node.hi, p) >= best.top()) continue;
    if (node.left < 0) {
      for (int64_t q = node.begin; q < node.end; ++q) {
        const double d = chebyshev(p, &pts_[2 * q]);
        if (best.size() < want) {
          best.push(d);
        } else if (d < best.top()) {
          best.pop();
          best.push(d);
        }
      }
      continue;
    }
    // Visit the nearer child first (pushed last).
    const double dl = min_dist(nodes_[node.left].lo, nodes_[node.left].hi, p);
    const double dr = min_dist(nodes_[node.right].lo, nodes_[node.right].hi, p);
    if (dl <= dr) {
      stack.push_back(node.right);
      stack.push_back(node.left);
    } else {
      stack.push_back(node.left);
      stack.push_back(node.right);
    }
  }
  return best.top();
}

int64_t ChebyshevTree2D::count_within(int64_t i, double r) const {
  const double* p = &pts_[2 * where_[i]];
  int64_t count = 0;
  std::vector<int64_t> stack{0};
  while (!stack.empty()) {
    const Node& node = nodes_[stack.back()];
    stack.pop_back();
    if (min_dist(node.lo, node.hi, p) > r) continue;
    if (max_dist(node.lo, node.hi, p) <= r) {
      count += node.end - node.begin;
      continue;
    }
    if (node.left < 0) {
      for (int64_t q = node.begin; q < node.end; ++q) count += chebyshev(p, &pts_[2 * q]) <= r;
      continue;
    }
    stack.push_back(node.left);
    stack.push_back(node.right);
  }
  return count;
}

}  // namespace infozoo::analysis::detail
