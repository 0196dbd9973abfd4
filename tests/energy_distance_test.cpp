// SPDX-License-Identifier: BSD-3-Clause
// energy_distance against closed forms: two point masses (2 |a - b|, exactly), and N(0, 1)
// against N(mu, 1) in one dimension, where 2 E|X - Y| - E|X - X'| - E|Y - Y'| =
// 2 E|N(mu, 2)| - 2 * 2 / sqrt(pi), within 4 standard errors of the U-statistic at n = 3000.
#include "infozoo/analysis/energy_distance.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace infozoo::analysis {
namespace {

TEST(EnergyDistance, TwoPointMassesAreTwiceTheirDistance) {
  const auto x = torch::tensor({{0.0, 0.0}, {0.0, 0.0}, {0.0, 0.0}});
  const auto y = torch::tensor({{3.0, 4.0}, {3.0, 4.0}});
  EXPECT_DOUBLE_EQ(energy_distance(x, y), 10.0);
  EXPECT_DOUBLE_EQ(energy_distance(x, x), 0.0);
}

double folded_normal_mean(double mu, double sigma) {  // E|N(mu, sigma^2)|
  return sigma * std::sqrt(2 / M_PI) * std::exp(-mu * mu / (2 * sigma * sigma)) +
         mu * std::erf(mu / (sigma * std::sqrt(2.0)));
}

TEST(EnergyDistance, MatchesTheGaussianClosedForm) {
  torch::manual_seed(5);
  const int64_t n = 3000;
  for (double mu : {0.0, 0.5, 2.0}) {
    const auto x = torch::randn({n, 1}, torch::kDouble);
    const auto y = torch::randn({n, 1}, torch::kDouble) + mu;
    const double truth = 2 * folded_normal_mean(mu, std::sqrt(2.0)) - 2 * (2 / std::sqrt(M_PI));
    // The U-statistic's standard error is O(1/n) at mu = 0 and O(1/sqrt(n)) otherwise.
    EXPECT_NEAR(energy_distance(x, y), truth, 4 * (mu + 1) / std::sqrt(double(n))) << mu;
  }
}

TEST(EnergyDistance, IsFloat64WhateverTheInputDtype) {
  const auto x = torch::tensor({{0.1f}, {0.7f}}), y = torch::tensor({{0.3f}, {1.9f}});
  EXPECT_NEAR(energy_distance(x, y), energy_distance(x.to(torch::kDouble), y.to(torch::kDouble)),
              1e-7);
}

// 3000 x 3000 distances are far above ATen's grain size (32768), where a flat sum is split between
// threads: the result must be the same bits on one and two threads.
TEST(EnergyDistance, SameBitsForOneAndTwoThreads) {
  torch::manual_seed(11);
  const auto x = torch::randn({3000, 2}, torch::kDouble), y = torch::randn({3000, 2}) + 0.3;
  const int threads_before = at::get_num_threads();
  at::set_num_threads(1);
  const double one = energy_distance(x, y);
  at::set_num_threads(2);
  const double two = energy_distance(x, y);
  at::set_num_threads(threads_before);
  EXPECT_EQ(one, two);
}

}  // namespace
}  // namespace infozoo::analysis
