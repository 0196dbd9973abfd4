// SPDX-License-Identifier: BSD-3-Clause
// mutual_info_classif / mutual_info_regression / mutual_info_score against scikit-learn 1.2.1 on
// edge cases (tests/generators/sklearn_mi.py), thread-count invariance, and argument errors.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <iomanip>
#include <limits>
#include <numeric>
#include <random>

#include "../analysis/src/mi_detail.h"
#include "../analysis/src/radix_sort.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/datasets/numpy_random.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

// The k-NN estimators' sort: ascending, stable among identical values, on both sides of the size
// where it switches from a comparison sort to radix passes.
TEST(RadixArgsort, SortsAscendingAndStably) {
  std::mt19937_64 gen(7);
  std::normal_distribution<double> normal(0.0, 1e3);
  const double inf = std::numeric_limits<double>::infinity();
  for (const int64_t n : {0, 1, 2, 511, 512, 513, 5000}) {
    std::vector<double> v(n);
    for (int64_t i = 0; i < n; ++i) {
      // Ties (rounded values), negatives, zeros of both signs, infinities and subnormals.
      const double x = (i % 3 == 0) ? std::round(normal(gen) / 200.0) : normal(gen);
      v[i] = i % 97 == 5 ? -inf : i % 89 == 3 ? inf : i % 50 == 7 ? -0.0 : i % 71 == 1 ? 4e-320 : x;
    }
    const auto order = analysis::detail::radix_argsort(v.data(), n);
    ASSERT_EQ(static_cast<int64_t>(order.size()), n);
    std::vector<int64_t> seen(order);
    std::sort(seen.begin(), seen.end());
    std::vector<int64_t> identity(n);
    std::iota(identity.begin(), identity.end(), int64_t{0});
    ASSERT_EQ(seen, identity) << "not a permutation at n=" << n;
    for (int64_t p = 1; p < n; ++p) {
      const double a = v[order[p - 1]], b = v[order[p]];
      ASSERT_LE(a, b) << "n=" << n << " position " << p;
      if (std::memcmp(&a, &b, sizeof a) == 0) {
        ASSERT_LT(order[p - 1], order[p]) << "unstable at n=" << n << " position " << p;
      }
    }
  }
}

using analysis::DiscreteFeatures;
using analysis::MutualInfoOptions;

const nlohmann::json& cases() {
  static const auto j = load_expected("sklearn_mi/cases.json");
  return j;
}

at::Tensor to_tensor(const nlohmann::json& values, at::ScalarType dtype) {
  std::vector<double> flat;
  int64_t rows = static_cast<int64_t>(values.size()), cols = -1;
  for (const auto& row : values) {
    if (row.is_array()) {
      cols = static_cast<int64_t>(row.size());
      for (const auto& v : row) flat.push_back(v.get<double>());
    } else {
      flat.push_back(row.get<double>());
    }
  }
  auto t = torch::tensor(flat, torch::kDouble);
  if (cols >= 0) t = t.reshape({rows, cols});
  return t.to(dtype);
}

bool all_integers(const nlohmann::json& values) {
  for (const auto& v : values) {
    if (!v.is_number_integer()) return false;
  }
  return true;
}

DiscreteFeatures discrete_from(const nlohmann::json& d) {
  if (d.is_string()) return DiscreteFeatures::automatic();
  if (d.is_boolean()) return DiscreteFeatures(d.get<bool>());
  if (!d.empty() && d[0].is_boolean())
    return DiscreteFeatures::from_mask(d.get<std::vector<bool>>());
  return DiscreteFeatures::from_indices(d.get<std::vector<int64_t>>());
}

void expect_close(const nlohmann::json& expected, const at::Tensor& actual,
                  const std::string& name) {
  ASSERT_EQ(actual.numel(), static_cast<int64_t>(expected.size())) << name;
  double worst = 0.0;
  int64_t worst_ulps = 0;
  for (size_t j = 0; j < expected.size(); ++j) {
    const double e = expected[j].get<double>();
    const double a = actual[static_cast<int64_t>(j)].item<double>();
    const double scale = std::max(std::abs(e), std::abs(a));
    const double rel = scale == 0.0 ? 0.0 : std::abs(e - a) / scale;
    worst = std::max(worst, rel);
    EXPECT_TRUE(std::abs(e - a) <= 1e-9 * scale + 1e-15)
        << name << " column " << j << ": expected " << e << ", got " << a;
    // scikit-learn's operations in its order: bit for bit but in three cases with discrete
    // columns, 1-3 ulps (ties_discrete_all, ties_indices, integer_x_mask), where the contingency
    // table's sums run in another order; budget twice that.
    const int64_t ulps = ulp_distance(e, a);
    worst_ulps = std::max(worst_ulps, ulps);
    EXPECT_LE(ulps, 6) << name << " column " << j << ": expected " << std::setprecision(17) << e
                       << ", got " << a;
  }
  std::cout << name << ": max relative difference " << worst << " (" << worst_ulps << " ulps)\n";
}

at::Tensor run_case(const nlohmann::json& c) {
  const auto x_dtype = c.at("x_dtype").get<std::string>() == "int64" ? at::kLong : at::kDouble;
  const auto X = to_tensor(c.at("X"), x_dtype);
  const auto y = to_tensor(c.at("y"), all_integers(c.at("y")) ? at::kLong : at::kDouble);
  const auto options = MutualInfoOptions()
                           .random_state(c.at("seed").get<int64_t>())
                           .n_neighbors(c.at("n_neighbors").get<int64_t>())
                           .discrete_features(discrete_from(c.at("discrete")));
  return c.at("kind") == "classif" ? analysis::mutual_info_classif(X, y, options)
                                   : analysis::mutual_info_regression(X, y, options);
}

TEST(MutualInfo, MatchesSklearnOnEdgeCases) {
  for (const auto& c : cases().at("cases")) {
    nlohmann::json expected = c.at("mi");
    // Constant columns are exactly 0 by design, where scikit-learn estimates the jitter alone
    // (its issue 30772; tests/numerical_extremes_test.cpp).
    if (c.at("name") == "constant_columns") expected = std::vector<double>(expected.size(), 0.0);
    expect_close(expected, run_case(c), c.at("name").get<std::string>());
  }
}

struct Recipe {
  at::Tensor X, y;
};

Recipe replay(const nlohmann::json& r) {
  datasets::NumpyRandomState rs(r.at("seed_data").get<int64_t>());
  const int64_t n = r.at("n"), p = r.at("p");
  auto X = rs.randn({n, p});
  at::Tensor y;
  if (r.at("kind") == "classif") {
    y = rs.randint(0, r.at("n_classes").get<int64_t>(), {n});
  } else {
    y = X.select(1, 0) + at::sin(3 * X.select(1, 1)) + 0.3 * rs.randn({n});
  }
  return {X, y};
}

TEST(MutualInfo, MatchesSklearnOnLargerRecipes) {
  for (const auto& r : cases().at("recipes")) {
    const auto [X, y] = replay(r);
    const auto options = MutualInfoOptions()
                             .random_state(r.at("seed").get<int64_t>())
                             .n_neighbors(r.at("n_neighbors").get<int64_t>());
    const auto mi = r.at("kind") == "classif" ? analysis::mutual_info_classif(X, y, options)
                                              : analysis::mutual_info_regression(X, y, options);
    expect_close(r.at("mi"), mi, r.at("name").get<std::string>());
  }
}

TEST(MutualInfo, SameBitsForAnyThreadCount) {
  const int previous = at::get_num_threads();
  for (const auto& r : cases().at("recipes")) {
    const auto [X, y] = replay(r);
    const auto options = MutualInfoOptions().random_state(3);
    auto estimate = [&] {
      return r.at("kind") == "classif" ? analysis::mutual_info_classif(X, y, options)
                                       : analysis::mutual_info_regression(X, y, options);
    };
    at::set_num_threads(1);
    const auto one = estimate();
    at::set_num_threads(2);
    const auto two = estimate();
    EXPECT_TRUE(at::equal(one, two)) << r.at("name").get<std::string>();
  }
  at::set_num_threads(previous);
}

TEST(MutualInfo, MutualInfoScoreMatchesSklearn) {
  for (const auto& c : cases().at("mutual_info_score")) {
    const auto a = to_tensor(c.at("a"), at::kDouble);
    const auto b = to_tensor(c.at("b"), at::kLong);
    const double e = c.at("mi").get<double>();
    EXPECT_NEAR(analysis::mutual_info_score(a, b), e, 1e-9 * std::abs(e) + 1e-15);
  }
  EXPECT_NEAR(analysis::mutual_info_score(torch::tensor({0, 0, 1, 1}), torch::tensor({1, 1, 0, 0})),
              std::log(2.0), 1e-15);
}

TEST(MutualInfo, DigammaMatchesScipy) {
  const auto& d = cases().at("digamma");
  for (size_t i = 0; i < d.at("x").size(); ++i) {
    const double x = d.at("x")[i].get<double>();
    const double e = d.at("digamma")[i].get<double>();
    // Within 0.3 of the negative root -0.5041 scipy switches to a Taylor series; cephes psi
    // agrees there to ~1e-14 (the estimators only ever ask for positive integers).
    const double tol = std::abs(x + 0.504083008264455409) < 0.3 ? 1e-13 : 2e-16;
    EXPECT_NEAR(analysis::detail::digamma(x), e, tol * std::max(1.0, std::abs(e))) << "x = " << x;
  }
}

TEST(MutualInfo, ArgsortMatchesNumpyWithTies) {
  for (const auto& c : cases().at("argsort")) {
    const auto order = analysis::detail::numpy_argsort(c.at("v").get<std::vector<double>>());
    EXPECT_EQ(order, c.at("order").get<std::vector<int64_t>>());
  }
}

TEST(MutualInfo, ConstantColumnIsFinite) {
  auto X = torch::randn({50, 2}, torch::kDouble);
  X.select(1, 0).fill_(2.5);
  const auto y = torch::arange(50) % 2;
  const auto mi = analysis::mutual_info_classif(X, y, MutualInfoOptions().random_state(0));
  EXPECT_TRUE(at::isfinite(mi).all().item<bool>());
  EXPECT_GE(mi[0].item<double>(), 0.0);
  // A constant column carries no information: exactly 0 (the clamp would hide a negative
  // estimate of its jitter, so >= 0 alone cannot fail).
  EXPECT_EQ(mi[0].item<double>(), 0.0);
  // The other column is estimated as if the constant one were not there.
  const auto alone = analysis::mutual_info_classif(X.slice(1, 1, 2).contiguous(), y,
                                                   MutualInfoOptions().random_state(0));
  EXPECT_NEAR(mi[1].item<double>(), alone[0].item<double>(), 1e-15);
}

TEST(MutualInfo, UnsetRandomStateFollowsTorchSeed) {
  // Integer-valued columns: ties everywhere, so the 1e-10 jitter decides the neighbour counts and
  // the estimate depends on the jitter's seed (continuous data without ties would not).
  // The data itself is fixed (its own seed), and informative, so that the MI is not clamped to 0
  // whatever the jitter; only the jitter's seed varies below.
  torch::manual_seed(0);
  const auto y = torch::arange(40) % 3;
  const auto X = (y.unsqueeze(1) + torch::randint(0, 3, {40, 3}, torch::kLong)).to(torch::kDouble);
  torch::manual_seed(5);
  const auto a = analysis::mutual_info_classif(X, y);
  torch::manual_seed(5);
  const auto b = analysis::mutual_info_classif(X, y);
  EXPECT_TRUE(at::equal(a, b));
  // The premise: two jitter seeds give two estimates here.
  ASSERT_FALSE(at::equal(analysis::mutual_info_classif(X, y, MutualInfoOptions().random_state(0)),
                         analysis::mutual_info_classif(X, y, MutualInfoOptions().random_state(1))));
  // Another torch seed, another jitter: a seed that ignored torch's generator would repeat `a`.
  torch::manual_seed(6);
  const auto c = analysis::mutual_info_classif(X, y);
  EXPECT_FALSE(at::equal(a, c)) << a << c;
}

TEST(MutualInfo, CopyFalseWritesScaledColumnsBack) {
  auto X = torch::randn({30, 2}, torch::kDouble) * 4;
  const auto before = X.clone();
  const auto y = torch::arange(30) % 2;
  analysis::mutual_info_classif(X, y, MutualInfoOptions().random_state(0).copy(false));
  EXPECT_FALSE(at::equal(X, before));
  EXPECT_NEAR(X.select(1, 0).std(/*unbiased=*/false).item<double>(), 1.0, 1e-6);
}

using infozoo::test_support::expect_error;

TEST(MutualInfo, BadInputErrors) {
  const auto X = torch::randn({20, 3}, torch::kDouble);
  const auto y = torch::arange(20) % 2;
  auto Xnan = X.clone();
  Xnan[4][2] = std::nan("");
  expect_error([&] { analysis::mutual_info_classif(Xnan, y); },
               "X must be finite, got nan in column 2 (row 4)");
  auto Xinf = X.clone();
  Xinf[0][1] = INFINITY;
  expect_error([&] { analysis::mutual_info_regression(Xinf, y.to(torch::kDouble)); },
               "X must be finite, got inf in column 1");
  expect_error(
      [&] { analysis::mutual_info_classif(X, torch::arange(19) % 2); },
      "X and y must have the same number of samples, got X with 20 rows and y of length 19");
  expect_error([&] { analysis::mutual_info_classif(X.slice(0, 0, 3), y.slice(0, 0, 3)); },
               "need at least n_neighbors + 1 = 4 samples, got 3");
  expect_error([&] { analysis::mutual_info_classif(X, y.to(torch::kDouble) + 0.5); },
               "y must hold class labels (integer values), got 0.5 at index 0");
  expect_error(
      [&] {
        analysis::mutual_info_classif(torch::empty({0, 3}, torch::kDouble), torch::empty({0}));
      },
      "X must not be empty");
  expect_error(
      [&] {
        analysis::mutual_info_classif(
            X, y,
            MutualInfoOptions().discrete_features(DiscreteFeatures::from_mask({true, false})));
      },
      "discrete_features as a mask must have one entry per column of X (3), got 2");
  expect_error(
      [&] {
        analysis::mutual_info_classif(
            X, y, MutualInfoOptions().discrete_features(DiscreteFeatures::from_indices({3})));
      },
      "discrete_features index 3 is out of range for X with 3 columns");
  expect_error([&] { analysis::mutual_info_classif(X, y, MutualInfoOptions().random_state(-1)); },
               "random_state must be in [0, 2^32), got -1");
  expect_error([&] { analysis::mutual_info_classif(X, y, MutualInfoOptions().n_neighbors(0)); },
               "n_neighbors must be >= 1, got 0");
  expect_error([&] { analysis::mutual_info_classif(X, torch::arange(20)); },
               "every class of y has a single sample");
  expect_error(
      [&] {
        analysis::mutual_info_score(torch::tensor({1, 2}), torch::tensor({1}));
      },
      "labels_a and labels_b must have the same length, got 2 and 1");
}

TEST(MutualInfo, SingleSampleClassesAreIgnored) {
  // Adding one point of a new class must leave the Ross estimate of the others unchanged
  // except through n, exactly as sklearn (covered numerically by single_and_small_classes).
  const auto& c = cases().at("cases");
  bool found = false;
  for (const auto& one : c) {
    if (one.at("name") == "single_and_small_classes") {
      found = true;
      expect_close(one.at("mi"), run_case(one), "single_and_small_classes");
    }
  }
  EXPECT_TRUE(found);

  // The invariance itself: a row of a class of its own (at x = 0, inside the data) is left out of
  // every neighbour search and of n, so the MI is the same number. Continuous columns without
  // ties: the different scaling and jitter (n + 1 rows) move no neighbour count.
  torch::manual_seed(11);
  const auto y = torch::arange(60) % 3;
  // Columns that depend on y, so the estimates are well above the clamp at 0.
  const auto X =
      y.to(torch::kDouble).unsqueeze(1) * torch::tensor({3.0, 2.0, 1.5}, torch::kDouble) +
      torch::randn({60, 3}, torch::kDouble);
  const auto extra_x = torch::zeros({1, 3}, torch::kDouble);
  const auto Xp = torch::cat({X, extra_x}, 0);
  const auto yp = torch::cat({y, torch::tensor({7}, y.options())});
  const auto options = MutualInfoOptions().random_state(0);
  const auto without = analysis::mutual_info_classif(X, y, options);
  const auto with_single = analysis::mutual_info_classif(Xp, yp, options);
  ASSERT_GT(without.min().item<double>(), 0.05) << without;
  EXPECT_TRUE(at::allclose(with_single, without, /*rtol=*/0, /*atol=*/1e-15))
      << "without the single-sample class " << without << "with it " << with_single;
  // Two single-sample classes and the same again: still the same number.
  const auto Xq = torch::cat({Xp, torch::full({1, 3}, 0.5, torch::kDouble)}, 0);
  const auto yq = torch::cat({yp, torch::tensor({9}, y.options())});
  EXPECT_TRUE(at::allclose(analysis::mutual_info_classif(Xq, yq, options), without, 0, 1e-15));
}

}  // namespace
}  // namespace infozoo::test_support
