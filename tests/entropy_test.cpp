// SPDX-License-Identifier: BSD-3-Clause
// entropy, label_entropy, information_gain and kl_divergence against closed forms.
#include "infozoo/analysis/entropy.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <iomanip>

#include "test_support.h"

namespace infozoo::analysis {
namespace {

TEST(Entropy, FairCoinIsOneBitOrLogTwoNats) {
  const auto p = torch::tensor({0.5, 0.5}, torch::kDouble);
  EXPECT_DOUBLE_EQ(entropy(p).item<double>(), 1.0);
  EXPECT_DOUBLE_EQ(entropy(p, InfoUnit::kNats).item<double>(), std::log(2.0));
}

TEST(Entropy, ZeroProbabilitiesContributeNothing) {
  const auto p = torch::tensor({1.0, 0.0, 0.0}, torch::kDouble);
  const auto h = entropy(p).item<double>();
  EXPECT_TRUE(std::isfinite(h));
  EXPECT_EQ(h, 0.0);
}

TEST(Entropy, BatchedOverLeadingDimensions) {
  const auto p = torch::tensor({{0.25, 0.25, 0.25, 0.25}, {0.5, 0.5, 0.0, 0.0}}, torch::kDouble);
  const auto h = entropy(p);
  ASSERT_EQ(h.sizes(), torch::IntArrayRef({2}));
  EXPECT_DOUBLE_EQ(h[0].item<double>(), 2.0);
  EXPECT_DOUBLE_EQ(h[1].item<double>(), 1.0);
}

TEST(Entropy, RejectsIntegerInput) {
  try {
    entropy(torch::tensor({1, 0}));
    FAIL() << "expected an error";
  } catch (const c10::Error& e) {
    EXPECT_NE(std::string(e.what_without_backtrace()).find("probs must be floating point"),
              std::string::npos);
  }
}

TEST(InformationGain, SeedPerfectSplitIsOneBit) {
  const auto y = torch::tensor({1, 1, 1, 1, 0, 0, 0, 0, 1, 0});
  // With five ones and five zeros H(y) = 1 bit (less the seed's 1e-10 guard).
  EXPECT_NEAR(information_gain(y, y), 1.0, 1e-9);
}

// Bit for bit against the seed's numpy (tests/expected/reference/info-gain__default.json): the
// perfect split's 0.99999999985573 is 1 bit less the seed's + 1e-10 inside log2, 1.4e-10 (650 000
// ulps) away from 1.0, which the 1e-9 above cannot see.
TEST(InformationGain, SeedSplitsEqualNumpyBitForBit) {
  const auto expected = test_support::load_expected("reference/info-gain__default.json");
  const auto y = torch::tensor({1, 1, 1, 1, 0, 0, 0, 0, 1, 0});
  const auto x_good = torch::tensor({1, 1, 1, 1, 0, 0, 0, 0, 1, 0});
  const auto x_bad = torch::tensor({1, 0, 1, 0, 1, 0, 1, 0, 1, 0});
  const double good = expected.at("output").at("good").get<double>();
  const double bad = expected.at("output").at("bad").get<double>();
  EXPECT_EQ(test_support::ulp_distance(information_gain(y, x_good), good), 0)
      << std::setprecision(17) << information_gain(y, x_good) << " vs numpy's " << good;
  EXPECT_EQ(test_support::ulp_distance(information_gain(y, x_bad), bad), 0)
      << std::setprecision(17) << information_gain(y, x_bad) << " vs numpy's " << bad;
  // H(y) of five and five: the seed's -sum p log2(p + 1e-10), 0.5 log2(0.5 + 1e-10) twice.
  // (ATen's vectorised log2 against libm's: within 2 ulps; without the guard it is 1.0 exactly.)
  EXPECT_LE(test_support::ulp_distance(label_entropy(y).item<double>(), -std::log2(0.5 + 1e-10)), 2)
      << std::setprecision(17) << label_entropy(y).item<double>();
}

TEST(InformationGain, ThresholdSplitsOnLessOrEqual) {
  const auto y = torch::tensor({0, 0, 1, 1});
  const auto x = torch::tensor({0.1, 0.2, 0.7, 0.9}, torch::kDouble);
  EXPECT_NEAR(information_gain(y, x, 0.5), 1.0, 1e-9);
  EXPECT_NEAR(information_gain(y, x, 0.15),
              1.0 - 0.75 * (-(1.0 / 3) * std::log2(1.0 / 3) - (2.0 / 3) * std::log2(2.0 / 3)),
              1e-8);
}

TEST(InformationGain, EmptySideGivesZero) {
  const auto y = torch::tensor({0, 1, 1});
  EXPECT_EQ(information_gain(y, torch::ones({3})), 0.0);
  EXPECT_EQ(information_gain(y, torch::tensor({1.0, 2.0, 3.0}), 10.0), 0.0);
}

TEST(InformationGain, DifferentLengthsNameBothArguments) {
  try {
    information_gain(torch::tensor({0, 1, 1}), torch::tensor({0, 1}));
    FAIL() << "expected an error";
  } catch (const c10::Error& e) {
    const std::string msg = e.what_without_backtrace();
    EXPECT_NE(msg.find("y and x_feature must have the same length, got y of length 3 and "
                       "x_feature of length 2"),
              std::string::npos)
        << msg;
  }
}

TEST(KlDivergence, ClosedFormAndNonNegative) {
  const auto p = torch::tensor({0.5, 0.5}, torch::kDouble);
  const auto q = torch::tensor({0.9, 0.1}, torch::kDouble);
  const double expected = 0.5 * std::log(0.5 / 0.9) + 0.5 * std::log(0.5 / 0.1);
  EXPECT_NEAR(kl_divergence(p, q).item<double>(), expected, 1e-15);
  EXPECT_EQ(kl_divergence(p, p).item<double>(), 0.0);
}

TEST(KlDivergence, SupportMismatchIsInfinite) {
  const auto p = torch::tensor({0.5, 0.5}, torch::kDouble);
  const auto q = torch::tensor({1.0, 0.0}, torch::kDouble);
  EXPECT_TRUE(std::isinf(kl_divergence(p, q).item<double>()));
  EXPECT_EQ(kl_divergence(q, p).item<double>(), std::log(2.0));
}

}  // namespace
}  // namespace infozoo::analysis
