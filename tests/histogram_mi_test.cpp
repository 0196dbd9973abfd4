// SPDX-License-Identifier: BSD-3-Clause
// The seed's histogram MI estimator and np.corrcoef against numpy 1.24
// (tests/generators/histogram_mi.py), and their argument errors.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "../analysis/src/histogram_kernels.h"
#include "infozoo/analysis/histogram_mi.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

at::Tensor vec(const nlohmann::json& j) {
  return torch::tensor(j.get<std::vector<double>>(), torch::kDouble);
}

TEST(HistogramMI, MatchesNumpy) {
  const auto expected = load_expected("histogram_mi/cases.json");
  for (const auto& c : expected.at("cases")) {
    const auto x = vec(c.at("x"));
    const auto y = vec(c.at("y"));
    const double e = c.at("mi").get<double>();
    const double a = analysis::estimate_mutual_information(x, y, c.at("bins").get<int64_t>());
    EXPECT_NEAR(a, e, 1e-9 * std::abs(e) + 1e-15) << c.at("name");
    std::cout << c.at("name").get<std::string>() << ": |diff| " << std::abs(a - e) << "\n";
    if (c.contains("pearson")) {
      const double pe = c.at("pearson").get<double>();
      EXPECT_NEAR(analysis::pearson_correlation(x, y), pe, 1e-12 + 1e-9 * std::abs(pe))
          << c.at("name");
    }
  }
}

// numpy's bin of v: searchsorted(linspace edges, v, side='right') - 1, the maximum in the last bin.
int32_t searchsorted_bin(double v, const analysis::detail::UniformBins& b, double hi) {
  std::vector<double> edges(b.n + 1);
  for (int32_t i = 0; i < b.n; ++i) edges[i] = static_cast<double>(i) * b.step + b.lo;
  edges[b.n] = hi;
  const auto k =
      static_cast<int32_t>(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin()) - 1;
  return std::min(k, b.n - 1);
}

using analysis::detail::Isa;

// Every version of the kernels this processor runs: the widest is what the estimator uses here,
// the others what it uses on processors without it.
std::vector<Isa> runnable_isas() {
  std::vector<Isa> isas;
  for (const Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (isa <= analysis::detail::best_isa()) isas.push_back(isa);
  }
  return isas;
}

// The vectorized cells (product plus one corrective step) against the edge search, on values
// chosen to sit on and one ulp either side of every edge, over ranges of many scales and offsets.
TEST(HistogramKernels, JointCellsEqualTheEdgeSearch) {
  for (const Isa isa : runnable_isas()) {
    SCOPED_TRACE("isa " + std::to_string(static_cast<int>(isa)));
    std::mt19937_64 rng(5);
    const double inf = std::numeric_limits<double>::infinity();
    int64_t checked = 0;
    for (int trial = 0; trial < 300; ++trial) {
      const double offset =
          std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng), trial % 40 - 10);
      const double width = std::ldexp(1.0, trial % 50 - 25);
      const double lo = offset, hi = offset + width;
      const auto n = static_cast<int32_t>(1 + trial % 97);
      const double step = (hi - lo) / n;
      const analysis::detail::UniformBins bins{lo, step, 1.0 / step, n};
      if (!bins.one_step_exact()) continue;
      std::vector<double> v{lo, hi};
      for (int32_t i = 1; i < n; ++i) {
        const double edge = static_cast<double>(i) * step + lo;
        for (const double e : {std::nextafter(edge, -inf), edge, std::nextafter(edge, inf)}) {
          if (e >= lo && e <= hi) v.push_back(e);
        }
      }
      std::uniform_real_distribution<double> uniform(lo, hi);
      for (int i = 0; i < 64; ++i) v.push_back(uniform(rng));
      std::shuffle(v.begin(), v.end(), rng);
      const std::vector<double> zeros(v.size(), 0.0);
      // y: every cell is kx * 1 + 0
      const analysis::detail::UniformBins one_bin{-0.5, 1.0, 1.0, 1};
      std::vector<int32_t> cells(v.size());
      analysis::detail::joint_cells(v.data(), zeros.data(), static_cast<int64_t>(v.size()), bins,
                                    one_bin, cells.data(), isa);
      for (size_t i = 0; i < v.size(); ++i) {
        ASSERT_EQ(cells[i], searchsorted_bin(v[i], bins, hi))
            << "value " << v[i] << " in [" << lo << ", " << hi << "], " << n << " bins";
      }
      checked += static_cast<int64_t>(v.size());
    }
    EXPECT_GT(checked, 10000);
  }
  // Bins a few ulps wide are refused (histogram_mi.cpp searches the edges for those).
  EXPECT_FALSE((analysis::detail::UniformBins{1e15, 0.125, 8.0, 30}.one_step_exact()));
}

TEST(HistogramKernels, ValueRangeEqualsMinMaxAndFindsNaNAnywhere) {
  for (const Isa isa : runnable_isas()) {
    SCOPED_TRACE("isa " + std::to_string(static_cast<int>(isa)));
    std::mt19937_64 rng(9);
    std::normal_distribution<double> normal;
    for (const int64_t count : {1, 3, 7, 8, 15, 16, 17, 31, 100, 1001}) {
      std::vector<double> v(count);
      for (auto& x : v) x = normal(rng);
      const auto r = analysis::detail::value_range(v.data(), count, isa);
      EXPECT_FALSE(r.nan);
      EXPECT_EQ(r.lo, *std::min_element(v.begin(), v.end())) << count;
      EXPECT_EQ(r.hi, *std::max_element(v.begin(), v.end())) << count;
      for (int64_t at = 0; at < count; ++at) {
        auto with_nan = v;
        with_nan[at] = std::nan("");
        EXPECT_TRUE(analysis::detail::value_range(with_nan.data(), count, isa).nan)
            << "NaN at " << at << " of " << count;
      }
    }
  }
}

// Each thread counts a share of the samples; the shares' integer counts add up to the same joint
// histogram whatever the split. 300 000 samples make up to four shares of at least 65 536.
TEST(HistogramMI, SameForAnyThreadCount) {
  torch::manual_seed(3);
  const auto x = torch::randn({300000}, torch::kDouble);
  const auto y = x + torch::randn({300000}, torch::kDouble);
  const int before = at::get_num_threads();
  at::set_num_threads(1);
  const double one = analysis::estimate_mutual_information(x, y, 30);
  for (const int threads : {2, 3, 4}) {
    at::set_num_threads(threads);
    EXPECT_EQ(analysis::estimate_mutual_information(x, y, 30), one) << threads << " threads";
  }
  at::set_num_threads(before);
}

TEST(HistogramMI, IndependentIsSmallDependentIsLarge) {
  torch::manual_seed(0);
  const auto x = torch::randn({20000}, torch::kDouble);
  EXPECT_LT(analysis::estimate_mutual_information(x, torch::randn({20000}, torch::kDouble), 10),
            0.01);
  EXPECT_GT(analysis::estimate_mutual_information(x, x, 10), 1.5);
}

using infozoo::test_support::expect_error;

TEST(HistogramMI, Errors) {
  const auto x = torch::randn({10}, torch::kDouble);
  expect_error([&] { analysis::estimate_mutual_information(x, x, 0); },
               "n_bins must be in [1, 4096], got 0");
  expect_error([&] { analysis::estimate_mutual_information(x, x.slice(0, 0, 9), 5); },
               "x and y must have the same length, got 10 and 9");
  expect_error(
      [&] { analysis::estimate_mutual_information(torch::empty({0}), torch::empty({0}), 5); },
      "must not be empty");
  auto bad = x.clone();
  bad[3] = std::nan("");
  expect_error([&] { analysis::estimate_mutual_information(bad, x, 5); }, "x must be finite");
  expect_error([&] { analysis::pearson_correlation(torch::ones({5}), x.slice(0, 0, 5)); },
               "x and y must not be constant");
}

}  // namespace
}  // namespace infozoo::test_support
