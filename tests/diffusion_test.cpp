// SPDX-License-Identifier: BSD-3-Clause
// DiffusionSchedule: buffers against the closed forms of each schedule, module behaviour
// (state_dict, clone, to), q_sample, the SNR / MI bound edge cases and the error messages.
#include "infozoo/models/diffusion_schedule.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <set>

#include "test_support.h"

namespace infozoo::models {
namespace {

class DiffusionTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

using infozoo::test_support::expect_error;

double max_rel_diff(const torch::Tensor& a, const torch::Tensor& b) {
  const auto a64 = a.to(torch::kDouble), b64 = b.to(torch::kDouble);
  return ((a64 - b64).abs() / b64.abs()).max().item<double>();
}

TEST_F(DiffusionTest, LinearBuffersAreTheSeedsFloat32Computation) {
  DiffusionSchedule schedule(DiffusionScheduleOptions(1000));
  // The seed: betas = torch.linspace(1e-4, 0.02, T); alphas = 1 - betas; cumprod.
  const auto betas = torch::linspace(1e-4, 0.02, 1000);
  EXPECT_EQ(schedule->betas.scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::equal(schedule->betas, betas));
  EXPECT_TRUE(torch::equal(schedule->alphas, 1 - betas));
  EXPECT_TRUE(torch::equal(schedule->alpha_bar, torch::cumprod(1 - betas, 0)));
}

TEST_F(DiffusionTest, LinearBuffersMatchFloat64ClosedForm) {
  const int64_t T = 500;
  const double b0 = 2e-4, b1 = 0.03;
  DiffusionSchedule schedule(DiffusionScheduleOptions(T).beta_start(b0).beta_end(b1));
  const auto t = torch::arange(T, torch::kDouble);
  const auto betas = b0 + (b1 - b0) * t / static_cast<double>(T - 1);
  const auto alpha_bar = torch::cumprod(1 - betas, 0);
  const auto snr = alpha_bar / (1 - alpha_bar);
  EXPECT_LT(max_rel_diff(schedule->betas, betas), 1e-6);
  // A float32 running product of 500 factors can drift by up to ~T ulps.
  const auto err_ab = max_rel_diff(schedule->alpha_bar, alpha_bar);
  const auto err_mi = max_rel_diff(schedule->mi_upper_bound(), 0.5 * torch::log1p(snr));
  std::cout << "float32 vs float64 closed form: alpha_bar max rel err " << err_ab
            << ", mi_upper_bound max rel err " << err_mi << "\n";
  EXPECT_LT(err_ab, 1e-5);
  EXPECT_LT(err_mi, 1e-3);  // log(1 + snr) in float32 loses digits where snr is tiny
}

TEST_F(DiffusionTest, SnrAndMiBoundFollowAlphaBar) {
  DiffusionSchedule schedule(DiffusionScheduleOptions(1000));
  const auto ab = schedule->alpha_bar;
  EXPECT_TRUE(torch::allclose(schedule->snr(), ab / (1 - ab)));
  EXPECT_TRUE(torch::allclose(schedule->mi_upper_bound(), 0.5 * torch::log(1 + ab / (1 - ab))));
  // Noise only accumulates: SNR and the bound fall monotonically.
  EXPECT_TRUE((schedule->mi_upper_bound().diff() < 0).all().item<bool>());
  // t = 0: alpha_bar = 1 - 1e-4, so SNR ~ 1e4 (float32 rounding of 1 - alpha_bar moves it by
  // ~0.03%).
  EXPECT_NEAR(schedule->snr()[0].item<double>(), 9999.0, 9999.0 * 1e-3);
}

TEST_F(DiffusionTest, InfiniteAndZeroSnrGiveInfiniteAndZeroBound) {
  const auto ab = torch::tensor({1.0f, 0.0f});  // no noise yet; terminal SNR 0
  const auto snr = signal_to_noise(ab);
  EXPECT_TRUE(std::isinf(snr[0].item<float>()));
  EXPECT_EQ(snr[1].item<float>(), 0.0f);
  const auto mi = gaussian_channel_mi_upper_bound(snr);
  EXPECT_TRUE(std::isinf(mi[0].item<float>()));
  EXPECT_EQ(mi[1].item<float>(), 0.0f);
  EXPECT_NEAR(gaussian_channel_mi_upper_bound(torch::tensor({1.0f}))[0].item<float>(),
              0.5 * std::log(2.0), 1e-7);
}

TEST_F(DiffusionTest, BuffersAreInStateDictAndNoParameters) {
  DiffusionSchedule schedule(DiffusionScheduleOptions(10));
  std::set<std::string> names;
  for (const auto& item : schedule->named_buffers()) names.insert(item.key());
  EXPECT_EQ(names, (std::set<std::string>{"betas", "alphas", "alpha_bar"}));
  EXPECT_TRUE(schedule->parameters().empty());
  for (const auto& buffer : schedule->buffers()) {
    EXPECT_EQ(buffer.sizes(), torch::IntArrayRef({10}));
  }
}

TEST_F(DiffusionTest, CloneIsDeep) {
  DiffusionSchedule schedule(DiffusionScheduleOptions(10).schedule(BetaSchedule::kCosine));
  const auto copy = std::dynamic_pointer_cast<DiffusionScheduleImpl>(schedule->clone());
  ASSERT_TRUE(copy);
  EXPECT_TRUE(torch::equal(copy->alpha_bar, schedule->alpha_bar));
  copy->alpha_bar.fill_(0.5);
  EXPECT_FALSE(torch::equal(copy->alpha_bar, schedule->alpha_bar));
  EXPECT_EQ(copy->options.schedule(), BetaSchedule::kCosine);
}

TEST_F(DiffusionTest, ToMovesAndCastsBuffers) {
  DiffusionSchedule schedule(DiffusionScheduleOptions(10));
  schedule->to(torch::kDouble);
  EXPECT_EQ(schedule->alpha_bar.scalar_type(), torch::kDouble);
  EXPECT_EQ(schedule->snr().scalar_type(), torch::kDouble);
}

TEST_F(DiffusionTest, QSampleMatchesFormulaPerSample) {
  DiffusionSchedule schedule(DiffusionScheduleOptions(100));
  const auto x0 = torch::randn({4, 3, 2});
  const auto noise = torch::randn({4, 3, 2});
  const auto t = torch::tensor({0, 10, 50, 99});
  const auto xt = schedule->q_sample(x0, t, noise);
  ASSERT_EQ(xt.sizes(), x0.sizes());
  for (int64_t i = 0; i < 4; ++i) {
    const auto ab = schedule->alpha_bar[t[i].item<int64_t>()];
    const auto expected = torch::sqrt(ab) * x0[i] + torch::sqrt(1 - ab) * noise[i];
    EXPECT_TRUE(torch::allclose(xt[i], expected, 1e-6, 1e-7)) << "sample " << i;
  }
  // A scalar t applies to every sample.
  const auto all50 = schedule->q_sample(x0, torch::tensor(50), noise);
  EXPECT_TRUE(torch::allclose(all50[2], xt[2]));
}

TEST_F(DiffusionTest, QSampleHasTheForwardProcessMoments) {
  DiffusionSchedule schedule(DiffusionScheduleOptions(1000));
  const int64_t t = 300;
  const auto x0 = torch::full({200000, 1}, 2.0);
  const auto xt = schedule->q_sample(x0, torch::tensor(t), torch::randn({200000, 1}));
  const double ab = schedule->alpha_bar[t].item<double>();
  EXPECT_NEAR(xt.mean().item<double>(), std::sqrt(ab) * 2.0, 0.01);
  EXPECT_NEAR(xt.var().item<double>(), 1 - ab, 0.01);
  // float64 inputs give float64 samples.
  const auto x64 = schedule->q_sample(x0.to(torch::kDouble), torch::tensor(t),
                                      torch::zeros({200000, 1}, torch::kDouble));
  EXPECT_EQ(x64.scalar_type(), torch::kDouble);
  EXPECT_NEAR(x64[0][0].item<double>(), std::sqrt(ab) * 2.0, 1e-6);
}

TEST_F(DiffusionTest, CosineScheduleFollowsNicholDhariwal) {
  const int64_t T = 1000;
  DiffusionSchedule schedule(DiffusionScheduleOptions(T).schedule(BetaSchedule::kCosine));
  const auto f = [&](double t) {
    const double c = std::cos((t / T + 0.008) / 1.008 * M_PI / 2);
    return c * c;
  };
  // alpha_bar_t = f(t + 1) / f(0) away from the clipped end.
  for (int64_t t : {0, 1, 100, 500, 900}) {
    EXPECT_NEAR(schedule->alpha_bar[t].item<double>(), f(t + 1) / f(0), 1e-5) << "t=" << t;
  }
  EXPECT_LE(schedule->betas.max().item<double>(), 0.999 + 1e-7);
  EXPECT_NEAR(schedule->betas[T - 1].item<double>(), 0.999, 1e-7);
  EXPECT_TRUE((schedule->betas.diff() >= 0).all().item<bool>());
  // The clip keeps alpha_bar_{T-1} > 0: SNR and the bound stay finite and positive.
  const auto snr_end = schedule->snr()[T - 1].item<double>();
  EXPECT_GT(snr_end, 0.0);
  EXPECT_TRUE(std::isfinite(schedule->mi_upper_bound()[T - 1].item<double>()));
}

TEST_F(DiffusionTest, ScaledLinearIsLinearInSqrtBeta) {
  const double b0 = 0.00085, b1 = 0.012;
  DiffusionSchedule schedule(DiffusionScheduleOptions(1000).beta_start(b0).beta_end(b1).schedule(
      BetaSchedule::kScaledLinear));
  const auto betas = schedule->betas.to(torch::kDouble);
  EXPECT_NEAR(betas[0].item<double>(), b0, 1e-9);
  EXPECT_NEAR(betas[999].item<double>(), b1, 1e-8);
  const auto steps = torch::sqrt(betas).diff();
  EXPECT_LT((steps - steps.mean()).abs().max().item<double>(), 1e-6);
  // (a + (b - a) u)^2 <= a^2 + (b^2 - a^2) u: below the linear schedule with the same ends.
  DiffusionSchedule linear(DiffusionScheduleOptions(1000).beta_start(b0).beta_end(b1));
  EXPECT_TRUE((schedule->betas <= linear->betas + 1e-9).all().item<bool>());
}

TEST_F(DiffusionTest, PrettyPrint) {
  DiffusionSchedule linear(DiffusionScheduleOptions(10));
  EXPECT_EQ(c10::str(*linear),
            "infozoo::models::DiffusionSchedule(steps=10, schedule=linear, beta_start=0.0001, "
            "beta_end=0.02)");
  DiffusionSchedule cosine(DiffusionScheduleOptions(10).schedule(BetaSchedule::kCosine));
  EXPECT_EQ(c10::str(*cosine), "infozoo::models::DiffusionSchedule(steps=10, schedule=cosine)");
}

TEST_F(DiffusionTest, BadOptionsAreErrors) {
  expect_error([] { DiffusionSchedule(DiffusionScheduleOptions(0)); }, "steps must be >= 1, got 0");
  expect_error([] { DiffusionSchedule(DiffusionScheduleOptions(10).beta_start(0)); },
               "beta_start must be in (0, 1), got 0");
  expect_error([] { DiffusionSchedule(DiffusionScheduleOptions(10).beta_end(1.5)); },
               "beta_end must be in (0, 1), got 1.5");
  expect_error(
      [] { DiffusionSchedule(DiffusionScheduleOptions(10).beta_start(0.1).beta_end(0.01)); },
      "beta_start must not exceed beta_end, got beta_start=0.1, beta_end=0.01");
  expect_error(
      [] {
        DiffusionSchedule(DiffusionScheduleOptions(10)
                              .beta_start(std::nan(""))
                              .schedule(BetaSchedule::kScaledLinear));
      },
      "beta_start must be in (0, 1), got nan");
}

TEST_F(DiffusionTest, BadQSampleArgumentsAreErrors) {
  DiffusionSchedule schedule(DiffusionScheduleOptions(100));
  const auto x0 = torch::randn({3, 2});
  const auto noise = torch::randn({3, 2});
  expect_error(
      [&] {
        schedule->q_sample(x0, torch::tensor({0, 5, 100}), noise);
      },
      "t must be in [0, 100), got values in [0, 100]");
  expect_error(
      [&] {
        schedule->q_sample(x0, torch::tensor({0, -1, 1}), noise);
      },
      "got values in [-1, 1]");
  expect_error(
      [&] {
        schedule->q_sample(x0, torch::tensor({0.5, 1.0, 2.0}), noise);
      },
      "t must be an integer tensor of steps, got Float");
  expect_error(
      [&] {
        schedule->q_sample(x0, torch::tensor({1, 2}), noise);
      },
      "t must be a scalar or have shape [B] = [3], got [2]");
  expect_error([&] { schedule->q_sample(x0, torch::tensor(1), torch::randn({3})); },
               "noise must have the shape of x0 [3, 2], got [3]");
}

TEST_F(DiffusionTest, MovesToCuda_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  DiffusionSchedule schedule(DiffusionScheduleOptions(1000));
  const auto cpu_x =
      schedule->q_sample(torch::ones({2, 3}), torch::tensor({3, 700}), torch::ones({2, 3}));
  schedule->to(torch::kCUDA);
  EXPECT_TRUE(schedule->alpha_bar.is_cuda());
  EXPECT_TRUE(schedule->mi_upper_bound().is_cuda());
  const auto cuda_opts = torch::TensorOptions().device(torch::kCUDA);
  const auto x =
      schedule->q_sample(torch::ones({2, 3}, cuda_opts), torch::tensor({3, 700}).to(torch::kCUDA),
                         torch::ones({2, 3}, cuda_opts));
  EXPECT_TRUE(torch::allclose(x.cpu(), cpu_x));
}

}  // namespace
}  // namespace infozoo::models
