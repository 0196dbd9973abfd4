// SPDX-License-Identifier: BSD-3-Clause
// MI ranking as the seed does it, and greedy redundancy-aware selection (mRMR, JMI, CMIM) on the
// estimators of mutual_info.cpp. Each step estimates, for every remaining candidate, one pair
// quantity with the latest pick and folds it into the candidate's running sum or minimum.
#include "infozoo/analysis/feature_selection.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <limits>

#include "mi_detail.h"

namespace infozoo::analysis {
namespace {

std::vector<double> scores_vector(const at::Tensor& scores, const char* caller) {
  TORCH_CHECK(scores.defined() && scores.dim() == 1, caller, ": scores must be a 1-D tensor, got ",
              scores.defined() ? scores.sizes() : at::IntArrayRef{});
  const auto s = scores.to(at::kCPU, at::kDouble).contiguous();
  return {s.data_ptr<double>(), s.data_ptr<double>() + s.numel()};
}

// I(X_a; X_b) between two prepared columns.
double pair_mi(const detail::PreparedMI& d, int64_t a, int64_t b) {
  const double* xa = d.column(a);
  const double* xb = d.column(b);
  const bool da = d.discrete[a], db = d.discrete[b];
  if (da && db)
    return detail::mi_discrete_discrete(detail::group_labels(xa, d.n),
                                        detail::group_labels(xb, d.n), d.n);
  if (da)
    return detail::mi_continuous_discrete(xb, detail::group_labels(xa, d.n), d.n, d.n_neighbors);
  if (db)
    return detail::mi_continuous_discrete(xa, detail::group_labels(xb, d.n), d.n, d.n_neighbors);
  return detail::mi_continuous_continuous(xa, xb, d.n, d.n_neighbors);
}

// I(X_a, X_b; Y) for the discrete target.
double joint_relevance(const detail::PreparedMI& d, int64_t a, int64_t b) {
  const double* xa = d.column(a);
  const double* xb = d.column(b);
  const bool da = d.discrete[a], db = d.discrete[b];
  if (da && db) {
    const auto ab =
        detail::joint_labels(detail::group_labels(xa, d.n), detail::group_labels(xb, d.n), d.n);
    return detail::mi_discrete_discrete(ab, d.y_labels, d.n);
  }
  if (da || db) {
    // Chain rule: I(X_c, X_d; Y) = I(X_d; Y) + I(X_c; Y | X_d), and
    // I(X_c; Y | X_d) = I(X_c; (Y, X_d)) - I(X_c; X_d).
    const double* c = da ? xb : xa;
    const auto groups_d = detail::group_labels(da ? xa : xb, d.n);
    return detail::mi_discrete_discrete(groups_d, d.y_labels, d.n) +
           detail::mi_continuous_discrete(c, detail::joint_labels(d.y_labels, groups_d, d.n), d.n,
                                          d.n_neighbors) -
           detail::mi_continuous_discrete(c, groups_d, d.n, d.n_neighbors);
  }
  return detail::mi_continuous2_discrete(xa, xb, d.y_labels, d.n, d.n_neighbors);
}

}  // namespace

std::vector<int64_t> rank_by_score(const at::Tensor& scores) {
  auto order = detail::numpy_argsort(scores_vector(scores, "rank_by_score"));
  std::reverse(order.begin(), order.end());
  return order;
}

std::vector<int64_t> select_by_threshold(const at::Tensor& scores, double threshold) {
  const auto s = scores_vector(scores, "select_by_threshold");
  std::vector<int64_t> picked;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] > threshold) picked.push_back(static_cast<int64_t>(i));
  }
  return picked;
}

FeatureSelection select_features(const at::Tensor& X, const at::Tensor& y,
                                 SelectionCriterion criterion, int64_t n_select,
                                 const MutualInfoOptions& options) {
  const auto d =
      detail::prepare_mutual_info(X, y, options, /*discrete_target=*/true, "select_features");
  TORCH_CHECK(n_select >= 1 && n_select <= d.p, "select_features: n_select must be in [1, ", d.p,
              "] (the number of columns of X), got ", n_select);
  std::vector<double> relevance(d.p);
  at::parallel_for(0, d.p, 1, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) relevance[j] = detail::mi_column_target(d, j);
  });

  FeatureSelection result;
  std::vector<bool> chosen(d.p, false);
  // Running sums (mRMR redundancy, JMI) or minima (CMIM) over the selected set.
  std::vector<double> acc(
      d.p, criterion == SelectionCriterion::kCMIM ? std::numeric_limits<double>::infinity() : 0.0);
  std::vector<double> score = relevance;  // first pick: the most relevant feature
  for (int64_t step = 0; step < n_select; ++step) {
    int64_t best = -1;
    for (int64_t k = 0; k < d.p; ++k) {
      if (!chosen[k] && (best < 0 || score[k] > score[best])) best = k;
    }
    chosen[best] = true;
    result.features.push_back(best);
    result.scores.push_back(score[best]);
    if (step + 1 == n_select) break;
    const auto selected = static_cast<double>(result.features.size());
    at::parallel_for(0, d.p, 1, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k) {
        if (chosen[k]) continue;
        switch (criterion) {
          case SelectionCriterion::kMRMR:
            acc[k] += pair_mi(d, k, best);
            score[k] = relevance[k] - acc[k] / selected;
            break;
          case SelectionCriterion::kJMI:
            acc[k] += joint_relevance(d, k, best);
            score[k] = acc[k];
            break;
          case SelectionCriterion::kCMIM:
            acc[k] = std::min(acc[k], joint_relevance(d, k, best) - relevance[best]);
            score[k] = acc[k];
            break;
        }
      }
    });
  }
  return result;
}

}  // namespace infozoo::analysis
