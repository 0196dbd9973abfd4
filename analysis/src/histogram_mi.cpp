// Histogram mutual information (seed 6.3). Binning follows numpy 1.24's histogramdd: edges from
// np.linspace(min, max, n_bins + 1) (i * step + min, the last edge exactly max), bin index from
// searchsorted(edges, v, side='right'), and values equal to the last edge moved into the last bin.
#include "infozoo/analysis/histogram_mi.h"

#include <ATen/ATen.h>

#include <cmath>

namespace infozoo::analysis {
namespace {

void check_pair(const at::Tensor& x, const at::Tensor& y, const char* caller) {
  TORCH_CHECK(x.defined() && x.dim() == 1 && y.defined() && y.dim() == 1, caller,
              ": x and y must be 1-D tensors, got x ", x.defined() ? x.sizes() : at::IntArrayRef{},
              " and y ", y.defined() ? y.sizes() : at::IntArrayRef{});
  TORCH_CHECK(x.size(0) == y.size(0), caller, ": x and y must have the same length, got ",
              x.size(0), " and ", y.size(0));
  TORCH_CHECK(x.size(0) > 0, caller, ": x and y must not be empty");
  TORCH_CHECK(!x.is_complex() && !y.is_complex() && x.scalar_type() != at::kBool &&
                  y.scalar_type() != at::kBool,
              caller, ": x and y must be real, got ", x.scalar_type(), " and ", y.scalar_type());
}

// np.linspace(lo, hi, n + 1) for histogramdd, with its expansion of an empty range.
at::Tensor bin_edges(const at::Tensor& v, int64_t n_bins, const char* name) {
  double lo = v.min().item<double>();
  double hi = v.max().item<double>();
  TORCH_CHECK(std::isfinite(lo) && std::isfinite(hi), "estimate_mutual_information: ", name,
              " must be finite, its range is [", lo, ", ", hi, "]");
  if (lo == hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const double step = (hi - lo) / static_cast<double>(n_bins);
  auto edges = at::arange(n_bins + 1, at::kDouble) * step + lo;
  edges[n_bins] = hi;
  return edges;
}

// 0-based bin of each value: searchsorted(side='right') - 1, the maximum moved into the last bin.
at::Tensor bin_index(const at::Tensor& v, const at::Tensor& edges, int64_t n_bins) {
  auto idx = at::searchsorted(edges, v, /*out_int32=*/false, /*right=*/true) - 1;
  return idx.clamp_max(n_bins - 1);
}

}  // namespace

double estimate_mutual_information(const at::Tensor& x, const at::Tensor& y, int64_t n_bins) {
  check_pair(x, y, "estimate_mutual_information");
  TORCH_CHECK(n_bins >= 1, "estimate_mutual_information: n_bins must be >= 1, got ", n_bins);
  const auto xd = x.to(at::kCPU, at::kDouble).contiguous();
  const auto yd = y.to(at::kCPU, at::kDouble).contiguous();
  const auto ix = bin_index(xd, bin_edges(xd, n_bins, "x"), n_bins);
  const auto iy = bin_index(yd, bin_edges(yd, n_bins, "y"), n_bins);
  // One pass: flat cell ids, counted by bincount.
  const auto joint = at::bincount(ix * n_bins + iy, /*weights=*/{}, /*minlength=*/n_bins * n_bins)
                         .to(at::kDouble)
                         .reshape({n_bins, n_bins});  // (n_bins_x, n_bins_y)
  const auto joint_prob = joint / joint.sum();
  const auto p_x = joint_prob.sum(1, /*keepdim=*/true);  // (n_bins, 1)
  const auto p_y = joint_prob.sum(0, /*keepdim=*/true);  // (1, n_bins)
  // Empty cells contribute 0 (the seed skips them); p_x, p_y > 0 wherever joint_prob > 0.
  const auto nonzero = joint_prob > 0;
  const auto terms = at::where(nonzero, joint_prob * at::log(joint_prob / (p_x * p_y)),
                               at::zeros_like(joint_prob));
  return terms.sum().item<double>();
}

double pearson_correlation(const at::Tensor& x, const at::Tensor& y) {
  check_pair(x, y, "pearson_correlation");
  const auto xd = x.to(at::kCPU, at::kDouble);
  const auto yd = y.to(at::kCPU, at::kDouble);
  TORCH_CHECK(xd.isfinite().all().item<bool>() && yd.isfinite().all().item<bool>(),
              "pearson_correlation: x and y must be finite");
  const auto xc = xd - xd.mean();
  const auto yc = yd - yd.mean();
  const double sxx = xc.dot(xc).item<double>();
  const double syy = yc.dot(yc).item<double>();
  TORCH_CHECK(sxx > 0 && syy > 0, "pearson_correlation: x and y must not be constant, got variances ",
              sxx, " and ", syy);
  // np.corrcoef divides the covariance by each standard deviation in turn; the 1/(n-1) cancels.
  const double r = xc.dot(yc).item<double>() / std::sqrt(sxx) / std::sqrt(syy);
  return std::min(1.0, std::max(-1.0, r));
}

}  // namespace infozoo::analysis
