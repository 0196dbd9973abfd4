// The seed's histogram MI estimator and np.corrcoef against numpy 1.24
// (tests/generators/histogram_mi.py), and their argument errors.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "infozoo/analysis/histogram_mi.h"
#include "test_support.h"

namespace infozoo::testing {
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
      EXPECT_NEAR(analysis::pearson_correlation(x, y), pe, 1e-12 + 1e-9 * std::abs(pe)) << c.at("name");
    }
  }
}

TEST(HistogramMI, IndependentIsSmallDependentIsLarge) {
  torch::manual_seed(0);
  const auto x = torch::randn({20000}, torch::kDouble);
  EXPECT_LT(analysis::estimate_mutual_information(x, torch::randn({20000}, torch::kDouble), 10), 0.01);
  EXPECT_GT(analysis::estimate_mutual_information(x, x, 10), 1.5);
}

using infozoo::testing::expect_error;

TEST(HistogramMI, Errors) {
  const auto x = torch::randn({10}, torch::kDouble);
  expect_error([&] { analysis::estimate_mutual_information(x, x, 0); }, "n_bins must be >= 1, got 0");
  expect_error([&] { analysis::estimate_mutual_information(x, x.slice(0, 0, 9), 5); },
               "x and y must have the same length, got 10 and 9");
  expect_error([&] { analysis::estimate_mutual_information(torch::empty({0}), torch::empty({0}), 5); },
               "must not be empty");
  auto bad = x.clone();
  bad[3] = std::nan("");
  expect_error([&] { analysis::estimate_mutual_information(bad, x, 5); }, "x must be finite");
  expect_error([&] { analysis::pearson_correlation(torch::ones({5}), x.slice(0, 0, 5)); },
               "x and y must not be constant");
}

}  // namespace
}  // namespace infozoo::testing
