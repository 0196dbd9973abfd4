// SPDX-License-Identifier: BSD-3-Clause
// MI ranking as the seed does it, and greedy redundancy-aware selection (mRMR, JMI, CMIM) on the
// estimators of mutual_info.cpp. Each step estimates, for every remaining candidate, one pair
// quantity with the latest pick and folds it into the candidate's running sum or minimum.
#include "infozoo/analysis/feature_selection.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <limits>

#include "infozoo/analysis/mi_significance.h"
#include "mi_detail.h"
#include "selection_terms.h"

namespace infozoo::analysis {
namespace {

std::vector<double> scores_vector(const at::Tensor& scores, const char* caller) {
  TORCH_CHECK(scores.defined() && scores.dim() == 1, caller, ": scores must be a 1-D tensor, got ",
              scores.defined() ? scores.sizes() : at::IntArrayRef{});
  const auto s = scores.to(at::kCPU, at::kDouble).contiguous();
  return {s.data_ptr<double>(), s.data_ptr<double>() + s.numel()};
}

// MIQ's denominator gets this many nats added: a k-NN estimate between independent columns is
// clipped at 0 about half the time, and relevance / 0 would rank any column that looks independent
// of the picks by chance (noise, say) first. 0.01 nats is about the scatter of such estimates at a
// few hundred samples.
constexpr double kMiqRedundancyFloor = 0.01;

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

const char* criterion_name(SelectionCriterion criterion) {
  switch (criterion) {
    case SelectionCriterion::kMIM:
      return "mim";
    case SelectionCriterion::kMRMR:
      return "mrmr";
    case SelectionCriterion::kMIQ:
      return "miq";
    case SelectionCriterion::kNMIFS:
      return "nmifs";
    case SelectionCriterion::kJMI:
      return "jmi";
    case SelectionCriterion::kCMIM:
      return "cmim";
    case SelectionCriterion::kDISR:
      return "disr";
    case SelectionCriterion::kICAP:
      return "icap";
  }
  return "unknown";
}

std::optional<SelectionCriterion> parse_criterion(const std::string& name) {
  if (name == "mid") return SelectionCriterion::kMRMR;
  for (const auto c :
       {SelectionCriterion::kMIM, SelectionCriterion::kMRMR, SelectionCriterion::kMIQ,
        SelectionCriterion::kNMIFS, SelectionCriterion::kJMI, SelectionCriterion::kCMIM,
        SelectionCriterion::kDISR, SelectionCriterion::kICAP}) {
    if (name == criterion_name(c)) return c;
  }
  return std::nullopt;
}

FeatureSelection select_features(const at::Tensor& X, const at::Tensor& y,
                                 SelectionCriterion criterion, int64_t n_select,
                                 const MutualInfoOptions& options) {
  return select_features(
      X, y, FeatureSelectionOptions().criterion(criterion).n_select(n_select).mi(options));
}

FeatureSelection select_features(const at::Tensor& X, const at::Tensor& y,
                                 const FeatureSelectionOptions& options) {
  using C = SelectionCriterion;
  const C criterion = options.criterion();
  const bool binned = options.estimation() == MIEstimation::kBinned;
  TORCH_CHECK(criterion != C::kDISR || binned,
              "select_features: criterion kDISR (disr) needs joint entropies, which only "
              "estimation kBinned gives; got estimation kKnn");
  TORCH_CHECK(!binned || options.n_bins() >= 2, "select_features: n_bins must be >= 2, got ",
              options.n_bins());
  const auto terms =
      binned ? detail::binned_terms(X, y, options) : detail::knn_terms(X, y, options);
  const int64_t p = terms->p();
  const int64_t n_select = options.n_select();
  TORCH_CHECK(n_select >= 1 && n_select <= p, "select_features: n_select must be in [1, ", p,
              "] (the number of columns of X), got ", n_select);

  FeatureSelection result;
  result.relevance.resize(p);
  std::vector<double> entropy(p, 0.0);
  const bool nmifs_binned = criterion == C::kNMIFS && binned;
  at::parallel_for(0, p, 1, [&](int64_t begin, int64_t end) {
    for (int64_t j = begin; j < end; ++j) {
      result.relevance[j] = terms->relevance(j);
      if (nmifs_binned) entropy[j] = terms->entropy(j);
    }
  });
  const auto& relevance = result.relevance;

  std::vector<bool> chosen(p, false);
  // Running sums (mRMR, MIQ, NMIFS, JMI, DISR, ICAP) or minima (CMIM) over the selected set.
  std::vector<double> acc(p, criterion == C::kCMIM ? std::numeric_limits<double>::infinity() : 0.0);
  std::vector<double> score = relevance;  // first pick: the most relevant feature
  for (int64_t step = 0; step < n_select; ++step) {
    int64_t best = -1;
    for (int64_t k = 0; k < p; ++k) {
      if (!chosen[k] && (best < 0 || score[k] > score[best])) best = k;
    }
    chosen[best] = true;
    result.features.push_back(best);
    result.scores.push_back(score[best]);
    if (step + 1 == n_select || criterion == C::kMIM) continue;
    const auto selected = static_cast<double>(result.features.size());
    // Each candidate folds one term with the latest pick into its own slot: any thread count
    // gives the same bits.
    at::parallel_for(0, p, 1, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; ++k) {
        if (chosen[k]) continue;
        switch (criterion) {
          case C::kMIM:
            break;
          case C::kMRMR:
            acc[k] += terms->redundancy(k, best);
            score[k] = relevance[k] - acc[k] / selected;
            break;
          case C::kMIQ:
            acc[k] += terms->redundancy(k, best);
            score[k] = relevance[k] / (acc[k] / selected + kMiqRedundancyFloor);
            break;
          case C::kNMIFS:
            if (binned) {
              // Estévez et al. (2009): NI = I(X_k; X_j) / min(H(X_k), H(X_j)), on [0, 1].
              const double h = std::min(entropy[k], entropy[best]);
              acc[k] += h > 0 ? terms->redundancy(k, best) / h : 0.0;
              score[k] = relevance[k] - acc[k] / selected;
            } else {
              acc[k] += normalize_mi(terms->redundancy(k, best));
              score[k] = normalize_mi(relevance[k]) - acc[k] / selected;
            }
            break;
          case C::kJMI:
            acc[k] += terms->joint_relevance(k, best);
            score[k] = acc[k];
            break;
          case C::kCMIM:
            acc[k] = std::min(acc[k], terms->joint_relevance(k, best) - relevance[best]);
            score[k] = acc[k];
            break;
          case C::kDISR: {
            const double h = terms->joint_entropy(k, best);
            acc[k] += h > 0 ? terms->joint_relevance(k, best) / h : 0.0;
            score[k] = acc[k];
            break;
          }
          case C::kICAP:
            acc[k] +=
                std::max(0.0, terms->redundancy(k, best) - terms->conditional_redundancy(k, best));
            score[k] = relevance[k] - acc[k];
            break;
        }
      }
    });
  }
  if (criterion == C::kNMIFS && !binned) {
    result.scores.front() = normalize_mi(result.scores.front());  // on the criterion's scale
  }
  return result;
}

}  // namespace infozoo::analysis
