// SPDX-License-Identifier: BSD-3-Clause
// The criteria's terms as FEAST computes them (Brown et al. 2012; MIToolbox): every column turned
// into integer states, then plug-in entropies and mutual informations from the counts of states
// and of pairs and triples of states. MIToolbox works in bits; these are nats.
#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "mi_detail.h"
#include "selection_terms.h"

namespace infozoo::analysis::detail {
namespace {

// Equal-width bins: bin = floor((x - min) / (max - min) * n_bins), the maximum in the last bin; a
// constant column is one bin.
std::vector<double> equal_width_bins(const double* x, int64_t n, int64_t n_bins) {
  const auto [lo, hi] = std::minmax_element(x, x + n);
  std::vector<double> bins(n, 0.0);
  if (*hi == *lo) return bins;
  const double width = (*hi - *lo) / static_cast<double>(n_bins);
  for (int64_t i = 0; i < n; ++i) {
    const auto b = static_cast<int64_t>((x[i] - *lo) / width);
    bins[i] = static_cast<double>(std::min(b, n_bins - 1));
  }
  return bins;
}

// Equal-count bins: by rank, bin = floor(r * n_bins / n) for the rank r of a value's first
// occurrence in sorted order, so that equal values share a bin and each bin holds about n / n_bins
// samples (fewer bins when ties fill them).
std::vector<double> quantile_bins(const double* x, int64_t n, int64_t n_bins) {
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), int64_t{0});
  std::stable_sort(order.begin(), order.end(), [x](int64_t a, int64_t b) { return x[a] < x[b]; });
  std::vector<double> bins(n, 0.0);
  int64_t first = 0;
  for (int64_t r = 0; r < n; ++r) {
    if (r > 0 && x[order[r]] != x[order[r - 1]]) first = r;
    bins[order[r]] = static_cast<double>(first * n_bins / n);
  }
  return bins;
}

double plug_in_entropy(const LabelGroups& g, int64_t n) {
  double h = 0;
  for (const int64_t c : g.counts) {
    const double q = static_cast<double>(c) / static_cast<double>(n);
    h -= q * std::log(q);
  }
  return h;
}

class BinnedTerms final : public SelectionTerms {
 public:
  BinnedTerms(const at::Tensor& X, const at::Tensor& y, const FeatureSelectionOptions& o) {
    // The k-NN preparation validates X and y and resolves the discrete columns; its scaled and
    // jittered values are not used (binning reads the values as given).
    auto checked = o.mi();
    checked.copy(true);  // never scale the caller's X in place: the bins read its values
    std::vector<bool> discrete;
    {
      // Scoped: its float64 copy of X is freed before the states are built (peak memory).
      const auto d = prepare_mutual_info(X, y, checked, o.discrete_target(), "select_features");
      n_ = d.n;
      discrete = d.discrete;
    }
    const auto Xd = X.to(at::kCPU, at::kDouble).t().contiguous();
    const auto yd = y.to(at::kCPU, at::kDouble).contiguous();
    const double* columns = Xd.data_ptr<double>();
    auto states = [&](const double* v, bool discrete) {
      if (discrete) return group_labels(v, n_);
      const auto bins = o.binning() == Binning::kQuantile ? quantile_bins(v, n_, o.n_bins())
                                                          : equal_width_bins(v, n_, o.n_bins());
      return group_labels(bins.data(), n_);
    };
    for (int64_t j = 0; j < static_cast<int64_t>(discrete.size()); ++j) {
      columns_.push_back(states(columns + j * n_, discrete[j]));
    }
    y_ = states(yd.data_ptr<double>(), o.discrete_target());
  }

  int64_t p() const override { return static_cast<int64_t>(columns_.size()); }

  double relevance(int64_t k) const override { return mi(columns_[k], y_); }

  double redundancy(int64_t k, int64_t j) const override { return mi(columns_[k], columns_[j]); }

  double joint_relevance(int64_t k, int64_t j) const override {
    return mi(joint_labels(columns_[k], columns_[j], n_), y_);
  }

  // I(X_k; X_j | Y) = I(X_k; (X_j, Y)) - I(X_k; Y), exact for plug-in estimates.
  double conditional_redundancy(int64_t k, int64_t j) const override {
    return std::max(0.0, mi(columns_[k], joint_labels(columns_[j], y_, n_)) - relevance(k));
  }

  double entropy(int64_t k) const override { return plug_in_entropy(columns_[k], n_); }

  double joint_entropy(int64_t k, int64_t j) const override {
    return plug_in_entropy(joint_labels(joint_labels(columns_[k], columns_[j], n_), y_, n_), n_);
  }

 private:
  double mi(const LabelGroups& a, const LabelGroups& b) const {
    return mi_discrete_discrete(a, b, n_);
  }

  int64_t n_ = 0;
  std::vector<LabelGroups> columns_;
  LabelGroups y_;
};

}  // namespace

std::unique_ptr<SelectionTerms> binned_terms(const at::Tensor& X, const at::Tensor& y,
                                             const FeatureSelectionOptions& options) {
  return std::make_unique<BinnedTerms>(X, y, options);
}

}  // namespace infozoo::analysis::detail
