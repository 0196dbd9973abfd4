// SPDX-License-Identifier: BSD-3-Clause
// Max-norm k-d tree and radius counts (see max_norm_knn.h). The box bounds are exact: the
// smallest distance from q to a box in coordinate c is max(lo_c - q_c, q_c - hi_c, 0) and the
// largest max(q_c - lo_c, hi_c - q_c), both rounded as |q_c - v_c| is for a point at the box's
// edge (rounding is monotone), so pruning and whole-node counting never disagree with the
// point-by-point test. (nanoflann and friends prune with additive bounds, which do not hold for
// L-infinity.)
//
// Speed: the queries are compiled once per dimension up to kMaxFixedDim (loops over coordinates
// unrolled, the query point in registers), a k-NN search walks straight down to the query's own
// leaf first (its neighbours are there or close, which gives a tight bound before anything else
// is looked at), and the leaves hold few points.
#include "max_norm_knn.h"

#include <ATen/Parallel.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "radix_sort.h"

namespace infozoo::analysis::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMaxStack = 256;  // a median split keeps the depth below log2(n) + 1
constexpr int kMaxFixedDim = 16;

// Leaf size by measurement (tree bench of the issue-14 report): small leaves in few dimensions,
// one leaf (a brute-force scan with early exit) where a tree stops pruning.
int64_t default_leaf_size(int64_t n, int64_t d) {
  if (d > kMaxFixedDim || n <= 64) return std::max<int64_t>(n, 1);
  return 32;
}

// The dimension as a compile-time constant where it is one (D > 0), else the runtime value.
template <int D>
struct Dim {
  explicit Dim(int64_t) {}
  static constexpr int64_t value = D;
  int64_t operator()() const { return D; }
};
template <>
struct Dim<0> {
  explicit Dim(int64_t d) : d(d) {}
  int64_t d;
  int64_t operator()() const { return d; }
};

// Calls f.template operator()<D>() with D the dimension (0: not one of the compiled ones).
template <typename F>
decltype(auto) dispatch_dim(int64_t d, F&& f) {
  switch (d) {
#define INFOZOO_DIM_CASE(D) \
  case D:                   \
    return f(Dim<D>(D));
    INFOZOO_DIM_CASE(1)
    INFOZOO_DIM_CASE(2)
    INFOZOO_DIM_CASE(3)
    INFOZOO_DIM_CASE(4)
    INFOZOO_DIM_CASE(5)
    INFOZOO_DIM_CASE(6)
    INFOZOO_DIM_CASE(7)
    INFOZOO_DIM_CASE(8)
    INFOZOO_DIM_CASE(9)
    INFOZOO_DIM_CASE(10)
    INFOZOO_DIM_CASE(11)
    INFOZOO_DIM_CASE(12)
    INFOZOO_DIM_CASE(13)
    INFOZOO_DIM_CASE(14)
    INFOZOO_DIM_CASE(15)
    INFOZOO_DIM_CASE(16)
#undef INFOZOO_DIM_CASE
    default:
      return f(Dim<0>(d));
  }
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

template <typename DimT>
void MaxNormTree::knn_impl(DimT dim, int64_t i, int64_t k, double* dist, int64_t* idx) const {
  const int64_t d = dim();
  const int64_t self = where_[i];
  const double* q = point(self);
  for (int64_t s = 0; s < k; ++s) {
    dist[s] = kInf;
    idx[s] = -1;
  }
  double worst = kInf;  // dist[k - 1]

  auto lower_bound = [&](int64_t node) {
    const double* l = lo(node);
    const double* h = hi(node);
    double m = 0.0;
    for (int64_t c = 0; c < d; ++c) {
      const double a = l[c] - q[c], b = q[c] - h[c];
      m = std::max(m, std::max(a, b));
    }
    return m;
  };
  auto scan_leaf = [&](const Node& node) {
    for (int64_t p = node.begin; p < node.end; ++p) {
      const double* b = point(p);
      double dd = 0.0;
      if (d <= 12) {
#pragma GCC unroll 12
        for (int64_t c = 0; c < d; ++c) dd = std::max(dd, std::fabs(q[c] - b[c]));
      } else {
        // Early exit every 4 coordinates: most points are out after the first few.
#pragma GCC unroll 16
        for (int64_t c = 0; c < d; ++c) {
          dd = std::max(dd, std::fabs(q[c] - b[c]));
          if ((c & 3) == 3 && dd >= worst) break;
        }
      }
      if (dd < worst && p != self) {
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
  };

  struct Entry {
    int64_t node;
    double bound;
  };
  Entry stack[kMaxStack];
  int top = 0;
  // Straight down to the query's own leaf; the siblings passed on the way wait on the stack,
  // the nearest (deepest) on top.
  int64_t node = 0;
  while (nodes_[node].left >= 0) {
    const Node& nd = nodes_[node];
    const bool in_left = self < nodes_[nd.left].end;
    const int64_t other = in_left ? nd.right : nd.left;
    TORCH_INTERNAL_ASSERT(top < kMaxStack, "MaxNormTree stack overflow");
    stack[top++] = {other, lower_bound(other)};
    node = in_left ? nd.left : nd.right;
  }
  scan_leaf(nodes_[node]);
  while (top > 0) {
    const Entry e = stack[--top];
    if (e.bound >= worst) continue;
    const Node& nd = nodes_[e.node];
    if (nd.left < 0) {
      scan_leaf(nd);
      continue;
    }
    const double bl = lower_bound(nd.left), br = lower_bound(nd.right);
    TORCH_INTERNAL_ASSERT(top + 2 <= kMaxStack, "MaxNormTree stack overflow");
    // The nearer child is visited first (pushed last); a child already out of reach is not kept.
    if (bl <= br) {
      if (br < worst) stack[top++] = {nd.right, br};
      if (bl < worst) stack[top++] = {nd.left, bl};
    } else {
      if (bl < worst) stack[top++] = {nd.left, bl};
      if (br < worst) stack[top++] = {nd.right, br};
    }
  }
}

void MaxNormTree::knn(int64_t i, int64_t k, std::vector<double>& dist,
                      std::vector<int64_t>& idx) const {
  TORCH_INTERNAL_ASSERT(k >= 1 && k < n_, "knn needs 1 <= k < n");
  dist.resize(k);
  idx.resize(k);
  dispatch_dim(d_, [&](auto dim) { knn_impl(dim, i, k, dist.data(), idx.data()); });
}

template <typename DimT, bool kInclusive>
int64_t MaxNormTree::count_impl(DimT dim, int64_t i, const double* r, bool uniform) const {
  const int64_t d = dim();
  const double* q = point(where_[i]);
  auto within = [](double t, double radius) { return kInclusive ? t <= radius : t < radius; };
  const double r0 = r[0];
  int64_t total = 0;
  int64_t stack[kMaxStack];
  int top = 0;
  stack[top++] = 0;
  // Branch-free tests (bitwise, no short-circuit): which way they go is unpredictable, and a
  // mispredicted branch costs more than the few coordinates.
  while (top > 0) {
    const int64_t id = stack[--top];
    const Node& node = nodes_[id];
    const double* l = lo(id);
    const double* h = hi(id);
    bool outside = false, inside = true;
    for (int64_t c = 0; c < d; ++c) {
      const double near = std::max(l[c] - q[c], q[c] - h[c]);  // > 0 only outside the slab
      const double far = std::max(q[c] - l[c], h[c] - q[c]);
      const double rc = uniform ? r0 : r[c];
      outside |= near > 0.0 && !within(near, rc);
      inside &= within(far, rc);
    }
    if (outside) continue;
    if (inside) {
      total += node.end - node.begin;
      continue;
    }
    if (node.left < 0) {
      if (uniform && d > 12) {
        // Many coordinates: most points are out after the first few.
        for (int64_t p = node.begin; p < node.end; ++p) {
          const double* b = point(p);
          int64_t c = 0;
          bool in = true;
          for (; in && c < d; c += 4) {
            const int64_t e = std::min(c + 4, d);
            for (int64_t cc = c; cc < e; ++cc) in &= within(std::fabs(q[cc] - b[cc]), r0);
          }
          total += in;
        }
      } else if (uniform) {
        for (int64_t p = node.begin; p < node.end; ++p) {
          const double* b = point(p);
          double m = 0.0;
          for (int64_t c = 0; c < d; ++c) m = std::max(m, std::fabs(q[c] - b[c]));
          total += within(m, r0);
        }
      } else {
        for (int64_t p = node.begin; p < node.end; ++p) {
          const double* b = point(p);
          bool in = true;
          for (int64_t c = 0; c < d; ++c) in &= within(std::fabs(q[c] - b[c]), r[c]);
          total += in;
        }
      }
      continue;
    }
    TORCH_INTERNAL_ASSERT(top + 2 <= kMaxStack, "MaxNormTree stack overflow");
    stack[top++] = node.left;
    stack[top++] = node.right;
  }
  // The point itself was counted where its distance 0 passes the test.
  bool self_in = true;
  for (int64_t c = 0; c < d; ++c) self_in = self_in && within(0.0, uniform ? r0 : r[c]);
  return total - (self_in ? 1 : 0);
}

int64_t MaxNormTree::count(int64_t i, const double* r, bool inclusive) const {
  return dispatch_dim(d_, [&](auto dim) {
    return inclusive ? count_impl<decltype(dim), true>(dim, i, r, false)
                     : count_impl<decltype(dim), false>(dim, i, r, false);
  });
}

int64_t MaxNormTree::count(int64_t i, double r, bool inclusive) const {
  return dispatch_dim(d_, [&](auto dim) {
    return inclusive ? count_impl<decltype(dim), true>(dim, i, &r, true)
                     : count_impl<decltype(dim), false>(dim, i, &r, true);
  });
}

MaxNormCounter::MaxNormCounter(const std::vector<const double*>& columns, int64_t n)
    : d_(static_cast<int64_t>(columns.size())), n_(n) {
  if (d_ > 2) {
    tree_.emplace_back(columns, n, d_ <= 3 ? 64 : 128);  // counting likes larger leaves
    return;
  }
  for (int64_t c = 0; c < d_; ++c) {
    const auto order = radix_argsort(columns[c], n);
    sorted_.emplace_back(n);
    rank_.emplace_back(n);
    for (int64_t p = 0; p < n; ++p) {
      sorted_[c][p] = columns[c][order[p]];
      rank_[c][order[p]] = p;
    }
    if (c == 0 && d_ == 2) by_first_ = order;
  }
}

namespace {

// The last q in [p, n) with pred(q), for pred true at p and monotone above it; the first q in
// [0, p] likewise below it. A gallop outwards from p brackets the answer in nearby memory (the
// runs are short next to n), then branch-free halving finds it: the compiler makes each step a
// conditional move, where a branch would be a coin toss to predict.
template <typename Pred>
int64_t last_true_from(int64_t p, int64_t n, Pred pred) {
  int64_t lo = p, step = 1;
  while (lo + step < n && pred(lo + step)) {
    lo += step;
    step *= 2;
  }
  int64_t len = std::min(step, n - lo);  // pred(lo) holds; pred(lo + len) fails or is past n
  while (len > 1) {
    const int64_t half = len / 2;
    lo = pred(lo + half) ? lo + half : lo;
    len -= half;
  }
  return lo;
}

template <typename Pred>
int64_t first_true_upto(int64_t p, Pred pred) {
  int64_t hi = p, step = 1;
  while (hi - step >= 0 && pred(hi - step)) {
    hi -= step;
    step *= 2;
  }
  int64_t len = std::min(step, hi + 1);
  while (len > 1) {
    const int64_t half = len / 2;
    hi = pred(hi - half) ? hi - half : hi;
    len -= half;
  }
  return hi;
}

}  // namespace

std::pair<int64_t, int64_t> MaxNormCounter::rank_interval(int64_t c, int64_t i, double r,
                                                          bool inclusive) const {
  const double* s = sorted_[c].data();
  const int64_t p = rank_[c][i];
  const double v = s[p];
  // fl(|v - s[q]|) grows monotonically away from p, so each side is one run.
  if (inclusive) {
    if (!(r >= 0.0)) return {1, 0};
    auto within = [s, v, r](int64_t q) { return std::fabs(v - s[q]) <= r; };
    return {first_true_upto(p, within), last_true_from(p, n_, within)};
  }
  if (!(r > 0.0)) return {1, 0};
  auto within = [s, v, r](int64_t q) { return std::fabs(v - s[q]) < r; };
  return {first_true_upto(p, within), last_true_from(p, n_, within)};
}

std::vector<int64_t> MaxNormCounter::sweep_2d(const std::vector<double>& radii, bool per_coordinate,
                                              bool inclusive) const {
  // Query i is the rectangle of ranks [a0, a1] x [b0, b1]; its count is F(a1) - F(a0 - 1), with
  // F(t) the points of first-column rank <= t whose second-column rank lies in [b0, b1]: a sweep
  // over t adds the points to a Fenwick tree over second-column ranks and answers each F(t).
  const int64_t n = n_;
  std::vector<int64_t> b0(n), b1(n), out(n, 0);
  std::vector<int64_t> at_count(n + 1, 0);  // events per sweep position, then offsets
  struct Event {
    int64_t query;
    int64_t sign;
  };
  std::vector<std::pair<int64_t, int64_t>> a(n);
  std::vector<char> empty(n, 0);
  at::parallel_for(0, n, 1024, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const double ra = per_coordinate ? radii[2 * i] : radii[i];
      const double rb = per_coordinate ? radii[2 * i + 1] : radii[i];
      a[i] = rank_interval(0, i, ra, inclusive);
      const auto b = rank_interval(1, i, rb, inclusive);
      b0[i] = b.first;
      b1[i] = b.second;
      empty[i] = a[i].first > a[i].second || b.first > b.second;
    }
  });
  for (int64_t i = 0; i < n; ++i) {
    if (empty[i]) continue;
    ++at_count[a[i].second + 1];
    if (a[i].first > 0) ++at_count[a[i].first];
  }
  for (int64_t t = 0; t < n; ++t) at_count[t + 1] += at_count[t];
  std::vector<Event> events(at_count[n]);
  std::vector<int64_t> fill(at_count.begin(), at_count.end() - 1);
  for (int64_t i = 0; i < n; ++i) {
    if (empty[i]) continue;
    events[fill[a[i].second]++] = {i, 1};
    if (a[i].first > 0) events[fill[a[i].first - 1]++] = {i, -1};
  }
  std::vector<int64_t> fenwick(n + 1, 0);
  auto prefix = [&fenwick](int64_t r) {  // points with second-column rank < r
    int64_t sum = 0;
    for (; r > 0; r -= r & -r) sum += fenwick[r];
    return sum;
  };
  const auto& rank_b = rank_[1];
  for (int64_t t = 0; t < n; ++t) {
    for (int64_t r = rank_b[by_first_[t]] + 1; r <= n; r += r & -r) ++fenwick[r];
    for (int64_t e = at_count[t]; e < at_count[t + 1]; ++e) {
      const int64_t q = events[e].query;
      out[q] += events[e].sign * (prefix(b1[q] + 1) - prefix(b0[q]));
    }
  }
  for (int64_t i = 0; i < n; ++i) out[i] = empty[i] ? 0 : out[i] - 1;  // less the point itself
  return out;
}

std::vector<int64_t> MaxNormCounter::count_all(const std::vector<double>& radii,
                                               bool per_coordinate, bool inclusive) const {
  const int64_t n = n_;
  if (d_ == 2) return sweep_2d(radii, per_coordinate, inclusive);
  std::vector<int64_t> out(n);
  if (d_ == 1) {
    at::parallel_for(0, n, 1024, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const auto [lo, hi] = rank_interval(0, i, radii[i], inclusive);
        out[i] = lo > hi ? 0 : hi - lo;  // less the point itself
      }
    });
    return out;
  }
  const MaxNormTree& tree = tree_[0];
  // Queries in the tree's own order: consecutive ones touch the same nodes.
  at::parallel_for(0, n, 256, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const int64_t i = tree.index_at(p);
      out[i] = per_coordinate ? tree.count(i, &radii[i * d_], inclusive)
                              : tree.count(i, radii[i], inclusive);
    }
  });
  return out;
}

}  // namespace infozoo::analysis::detail
