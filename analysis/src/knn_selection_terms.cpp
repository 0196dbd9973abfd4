// SPDX-License-Identifier: BSD-3-Clause
// The criteria's terms from scikit-learn's k-NN estimators (mutual_info.cpp) on the scaled,
// jittered columns: Ross for continuous-vs-discrete, KSG for continuous pairs, contingency tables
// for discrete ones, a max-norm Ross estimate in 2-D for I(X_k, X_j; Y).
#include <ATen/ATen.h>

#include <algorithm>

#include "infozoo/analysis/ksg.h"
#include "mi_detail.h"
#include "selection_terms.h"

namespace infozoo::analysis::detail {
namespace {

class KnnTerms final : public SelectionTerms {
 public:
  KnnTerms(const at::Tensor& X, const at::Tensor& y, const FeatureSelectionOptions& o)
      : d_(prepare_mutual_info(X, y, o.mi(), o.discrete_target(), "select_features")) {
    if (d_.discrete_target) {
      // The points of each class, for I(X_k; X_j | Y) = sum_y p(y) I(X_k; X_j | Y = y).
      members_.resize(d_.y_labels.n_labels());
      for (int64_t i = 0; i < d_.n; ++i) members_[d_.y_labels.id[i]].push_back(i);
    }
  }

  int64_t p() const override { return d_.p; }

  double relevance(int64_t k) const override { return mi_column_target(d_, k); }

  double redundancy(int64_t a, int64_t b) const override {
    if (d_.constant[a] || d_.constant[b]) return 0.0;
    const double* xa = d_.column(a);
    const double* xb = d_.column(b);
    const bool da = d_.discrete[a], db = d_.discrete[b];
    if (da && db) return mi_discrete_discrete(group_labels(xa, d_.n), group_labels(xb, d_.n), d_.n);
    if (da) return mi_continuous_discrete(xb, group_labels(xa, d_.n), d_.n, d_.n_neighbors);
    if (db) return mi_continuous_discrete(xa, group_labels(xb, d_.n), d_.n, d_.n_neighbors);
    return mi_continuous_continuous(xa, xb, d_.n, d_.n_neighbors);
  }

  double joint_relevance(int64_t a, int64_t b) const override {
    if (!d_.discrete_target) return joint_relevance_continuous(a, b);
    const double* xa = d_.column(a);
    const double* xb = d_.column(b);
    const bool da = d_.discrete[a], db = d_.discrete[b];
    if (da && db) {
      const auto ab = joint_labels(group_labels(xa, d_.n), group_labels(xb, d_.n), d_.n);
      return mi_discrete_discrete(ab, d_.y_labels, d_.n);
    }
    if (da || db) {
      // Chain rule: I(X_c, X_d; Y) = I(X_d; Y) + I(X_c; Y | X_d), and
      // I(X_c; Y | X_d) = I(X_c; (Y, X_d)) - I(X_c; X_d).
      const double* c = da ? xb : xa;
      const auto groups_d = group_labels(da ? xa : xb, d_.n);
      return mi_discrete_discrete(groups_d, d_.y_labels, d_.n) +
             mi_continuous_discrete(c, joint_labels(d_.y_labels, groups_d, d_.n), d_.n,
                                    d_.n_neighbors) -
             mi_continuous_discrete(c, groups_d, d_.n, d_.n_neighbors);
    }
    return mi_continuous2_discrete(xa, xb, d_.y_labels, d_.n, d_.n_neighbors);
  }

  double conditional_redundancy(int64_t a, int64_t b) const override {
    if (d_.constant[a] || d_.constant[b]) return 0.0;
    if (!d_.discrete_target) {
      return conditional_mutual_info(column_tensor(a), column_tensor(b), target_tensor(),
                                     KsgOptions().k(d_.n_neighbors));
    }
    // I(X_a; X_b | Y) = sum over classes of p(y) I(X_a; X_b | Y = y), each by the pair estimator
    // on that class's points; classes too small for a k-NN estimate (n_neighbors or fewer
    // points) add nothing.
    double sum = 0;
    std::vector<double> xa, xb;
    for (const auto& m : members_) {
      const auto size = static_cast<int64_t>(m.size());
      if (size <= d_.n_neighbors) continue;
      xa.resize(size);
      xb.resize(size);
      for (int64_t i = 0; i < size; ++i) {
        xa[i] = d_.column(a)[m[i]];
        xb[i] = d_.column(b)[m[i]];
      }
      sum += static_cast<double>(size) / static_cast<double>(d_.n) * pair(xa, xb, a, b, size);
    }
    return sum;
  }

  double entropy(int64_t) const override {
    TORCH_CHECK(false, "select_features: entropies need estimation kBinned");
  }
  double joint_entropy(int64_t, int64_t) const override {
    TORCH_CHECK(false, "select_features: entropies need estimation kBinned");
  }

 private:
  // I(X_a; X_b) on a subset of the points (`size` of them) held in xa, xb.
  double pair(const std::vector<double>& xa, const std::vector<double>& xb, int64_t a, int64_t b,
              int64_t size) const {
    const bool da = d_.discrete[a], db = d_.discrete[b];
    if (da && db)
      return mi_discrete_discrete(group_labels(xa.data(), size), group_labels(xb.data(), size),
                                  size);
    if (da)
      return mi_continuous_discrete(xb.data(), group_labels(xa.data(), size), size, d_.n_neighbors);
    if (db)
      return mi_continuous_discrete(xa.data(), group_labels(xb.data(), size), size, d_.n_neighbors);
    return mi_continuous_continuous(xa.data(), xb.data(), size, d_.n_neighbors);
  }

  at::Tensor column_tensor(int64_t j) const {
    return at::from_blob(const_cast<double*>(d_.column(j)), {d_.n, 1}, at::kDouble);
  }
  at::Tensor target_tensor() const {
    return at::from_blob(const_cast<double*>(d_.y.data()), {d_.n, 1}, at::kDouble);
  }

  // A continuous target: KSG (algorithm 1, max-norm) between (X_a, X_b) and y.
  double joint_relevance_continuous(int64_t a, int64_t b) const {
    const auto xab = at::cat({column_tensor(a), column_tensor(b)}, 1);
    return ksg_mutual_info(xab, target_tensor(), KsgOptions().k(d_.n_neighbors));
  }

  PreparedMI d_;
  std::vector<std::vector<int64_t>> members_;
};

}  // namespace

std::unique_ptr<SelectionTerms> knn_terms(const at::Tensor& X, const at::Tensor& y,
                                          const FeatureSelectionOptions& options) {
  return std::make_unique<KnnTerms>(X, y, options);
}

}  // namespace infozoo::analysis::detail
