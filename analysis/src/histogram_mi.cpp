// SPDX-License-Identifier: BSD-3-Clause
// Histogram mutual information (seed 6.3). Binning follows numpy 1.24's histogramdd: edges from
// np.linspace(min, max, n_bins + 1) (i * step + min, the last edge exactly max), bin index from
// searchsorted(edges, v, side='right'), and values equal to the last edge moved into the last bin.
// One pass for the ranges and one for the counts, in parallel chunks; no temporaries of size n.
#include "infozoo/analysis/histogram_mi.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "histogram_kernels.h"
#include "infozoo/detail/ordered_sum.h"
#include "mi_detail.h"

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

// Equal-width bins from min to max, as histogramdd builds them: edges np.linspace(lo, hi, n + 1)
// (i * step + lo, the last exactly hi), an empty range widened to [lo - 0.5, hi + 0.5].
class Bins {
 public:
  Bins(double lo, double hi, int64_t n) : n_(n), edges_(n + 1) {
    if (lo == hi) {
      lo -= 0.5;
      hi += 0.5;
    }
    lo_ = lo;
    step_ = (hi - lo) / static_cast<double>(n);
    inv_step_ = 1.0 / step_;
    for (int64_t i = 0; i < n; ++i) edges_[i] = static_cast<double>(i) * step_ + lo;
    edges_[n] = hi;
  }

  // searchsorted(edges, v, side='right') - 1, the maximum moved into the last bin. The product
  // gives the bin up to rounding; comparing with the edges themselves makes it exact.
  int64_t operator()(double v) const {
    int64_t k = static_cast<int64_t>((v - lo_) * inv_step_);
    k = k < 0 ? 0 : (k >= n_ ? n_ - 1 : k);
    while (k > 0 && v < edges_[k]) --k;
    while (k + 1 < n_ && v >= edges_[k + 1]) ++k;
    return k;
  }

  /// The bins for the vectorized kernels (histogram_kernels.h).
  detail::UniformBins uniform() const {
    return {lo_, step_, inv_step_, static_cast<int32_t>(std::min<int64_t>(n_, INT32_MAX))};
  }

 private:
  int64_t n_;
  double lo_ = 0, step_ = 1, inv_step_ = 1;
  std::vector<double> edges_;
};

constexpr int64_t kMaxBins = 4096;

// The range pass works in chunks of this many samples, in parallel.
constexpr int64_t kChunk = 1 << 16;

std::pair<double, double> finite_range(const double* v, int64_t n, const char* name) {
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<detail::ValueRange> ranges(chunks);
  at::parallel_for(0, chunks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      ranges[c] = detail::value_range(v + c * kChunk, std::min(n, (c + 1) * kChunk) - c * kChunk);
    }
  });
  detail::ValueRange all = ranges[0];
  for (const auto& r : ranges) {
    all.lo = std::min(all.lo, r.lo);
    all.hi = std::max(all.hi, r.hi);
    all.nan = all.nan || r.nan;
  }
  TORCH_CHECK(!all.nan && std::isfinite(all.lo) && std::isfinite(all.hi),
              "estimate_mutual_information: ", name, " must be finite, its range is [",
              all.nan ? std::nan("") : all.lo, ", ", all.nan ? std::nan("") : all.hi, "]");
  return {all.lo, all.hi};
}

// Adds one to histogram i % copies (copies 1 or 4, of `cells` counters each) at found[i], for
// i < count. Written out per copy, with only locals in the loop: the increments are int64 stores,
// which the compiler cannot prove miss an int64 read through a lambda's reference, and reloading
// that and recomputing each index made the counting half as fast.
void count_cells(const int32_t* found, int64_t count, int64_t* histograms, int64_t copies,
                 int64_t cells) {
  int64_t i = 0;
  if (copies == 4) {
    int64_t* const h1 = histograms + cells;
    int64_t* const h2 = histograms + 2 * cells;
    int64_t* const h3 = histograms + 3 * cells;
    for (; i + 4 <= count; i += 4) {
      ++histograms[found[i]];
      ++h1[found[i + 1]];
      ++h2[found[i + 2]];
      ++h3[found[i + 3]];
    }
  }
  for (; i < count; ++i) ++histograms[found[i]];
}

// np.histogram2d(x, y, bins=n)[0] as float64, row-major [n, n].
std::vector<double> histogram2d(const double* x, const double* y, int64_t size, int64_t n) {
  const auto [x_lo, x_hi] = finite_range(x, size, "x");
  const auto [y_lo, y_hi] = finite_range(y, size, "y");
  const Bins bin_x(x_lo, x_hi, n), bin_y(y_lo, y_hi, n);
  const int64_t cells = n * n;
  // One share of the samples per thread, counted into histograms of the share's own: integer
  // counts add up to the same totals in any order, so any thread count gives the same histogram.
  // A small grid gets four histograms per share, one per sample modulo 4: neighbouring samples
  // often fall in one cell, and incrementing a counter back to back waits for each store to land.
  // A large grid is rarely hit twice in a row, and four copies of it would not stay in cache.
  const int64_t copies = cells <= (int64_t{1} << 16) ? 4 : 1;
  const int64_t shares =
      std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), size / kChunk));
  std::vector<int64_t> counts(shares * copies * cells, 0);
  const auto uniform_x = bin_x.uniform(), uniform_y = bin_y.uniform();
  const bool vectorized = uniform_x.one_step_exact() && uniform_y.one_step_exact();
  at::parallel_for(0, shares, 1, [&](int64_t begin, int64_t end) {
    constexpr int64_t kBlock = 512;  // cells found a block at a time (vectorized), then counted
    int32_t found[kBlock];
    for (int64_t share = begin; share < end; ++share) {
      int64_t* const histograms = counts.data() + share * copies * cells;
      const int64_t start = size * share / shares, stop = size * (share + 1) / shares;
      for (int64_t b = start; b < stop; b += kBlock) {
        const int64_t m = std::min(kBlock, stop - b);
        if (vectorized) {
          detail::joint_cells(x + b, y + b, m, uniform_x, uniform_y, found);
        } else {  // bins only a few ulps wide: search the edges for every sample
          for (int64_t i = 0; i < m; ++i)
            found[i] = static_cast<int32_t>(bin_x(x[b + i]) * n + bin_y(y[b + i]));
        }
        count_cells(found, m, histograms, copies, cells);
      }
    }
  });
  std::vector<int64_t> total(counts.begin(), counts.begin() + cells);
  for (int64_t h = 1; h < shares * copies; ++h) {
    const int64_t* histogram = counts.data() + h * cells;
    for (int64_t k = 0; k < cells; ++k) total[k] += histogram[k];
  }
  return std::vector<double>(total.begin(), total.end());
}

}  // namespace

double estimate_mutual_information(const at::Tensor& x, const at::Tensor& y, int64_t n_bins) {
  check_pair(x, y, "estimate_mutual_information");
  // The joint histogram has n_bins^2 cells per thread: 4096 bins is 128 MiB of counters each.
  TORCH_CHECK(n_bins >= 1 && n_bins <= kMaxBins,
              "estimate_mutual_information: n_bins must be in [1, ", kMaxBins, "], got ", n_bins);
  const auto xd = x.to(at::kCPU, at::kDouble).contiguous();
  const auto yd = y.to(at::kCPU, at::kDouble).contiguous();
  const int64_t n = n_bins;
  auto joint_prob = histogram2d(xd.data_ptr<double>(), yd.data_ptr<double>(), xd.size(0), n);
  // The seed's arithmetic in numpy's order: the total (exact: integer counts), row sums as
  // np.sum(axis=1) (pairwise), column sums row after row, then its double loop.
  const double total = detail::numpy_sum(joint_prob.data(), n * n);
  for (double& p : joint_prob) p /= total;
  std::vector<double> p_x(n), p_y(n, 0.0);
  for (int64_t i = 0; i < n; ++i) {
    p_x[i] = detail::numpy_sum(&joint_prob[i * n], n);
    for (int64_t j = 0; j < n; ++j) p_y[j] += joint_prob[i * n + j];
  }
  double mi = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      const double p = joint_prob[i * n + j];
      if (p > 0 && p_x[i] > 0 && p_y[j] > 0) mi += p * std::log(p / (p_x[i] * p_y[j]));
    }
  }
  return mi;
}

double pearson_correlation(const at::Tensor& x, const at::Tensor& y) {
  check_pair(x, y, "pearson_correlation");
  const auto xd = x.to(at::kCPU, at::kDouble);
  const auto yd = y.to(at::kCPU, at::kDouble);
  TORCH_CHECK(xd.isfinite().all().item<bool>() && yd.isfinite().all().item<bool>(),
              "pearson_correlation: x and y must be finite");
  // Every sum in an order fixed by n (infozoo/detail/ordered_sum.h): the same r for any thread
  // count.
  const auto n = static_cast<double>(xd.numel());
  const auto xc = xd - infozoo::detail::ordered_sum(xd) / n;
  const auto yc = yd - infozoo::detail::ordered_sum(yd) / n;
  const double sxx = infozoo::detail::ordered_dot(xc, xc);
  const double syy = infozoo::detail::ordered_dot(yc, yc);
  TORCH_CHECK(sxx > 0 && syy > 0,
              "pearson_correlation: x and y must not be constant, got variances ", sxx, " and ",
              syy);
  // np.corrcoef divides the covariance by each standard deviation in turn; the 1/(n-1) cancels.
  const double r = infozoo::detail::ordered_dot(xc, yc) / std::sqrt(sxx) / std::sqrt(syy);
  return std::min(1.0, std::max(-1.0, r));
}

}  // namespace infozoo::analysis
