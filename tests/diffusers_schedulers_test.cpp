// SPDX-License-Identifier: BSD-3-Clause
// DDPMScheduler and DDIMScheduler against diffusers 0.25.1 (tests/expected/diffusers/ddpm.json
// and ddim.json, written by tests/generators/diffusers_ddpm.py and diffusers_ddim.py):
// alphas_cumprod, timesteps and step() for every beta schedule x prediction type x variance type
// (DDPM) or eta (DDIM) x spacing, within 1e-6 relative (float32, the same ops in the same order);
// then the places where infozoo departs from diffusers on purpose, and closed forms.
#include "infozoo/models/ddim_scheduler.h"
#include "infozoo/models/ddpm_scheduler.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "test_support.h"

namespace infozoo::models {
namespace {

// 1 / sqrt(abar_t), the amplification of x0 = (x_t - sqrt(1 - abar) eps) / sqrt(abar), capped
// at 1000 so that a zero-SNR step (abar = 0, where v-prediction divides by nothing) stays checked.
double condition_at(const torch::Tensor& alphas_cumprod, int64_t t) {
  return std::min(1 / std::sqrt(alphas_cumprod[t].item<double>()), 1000.0);
}

// The keys both schedulers' options share, set from a case's diffusers config.
template <typename Options>
void set_common(Options& o, const nlohmann::json& config) {
  if (config.contains("beta_schedule")) o.beta_schedule(config["beta_schedule"]);
  if (config.contains("beta_start")) o.beta_start(config["beta_start"]);
  if (config.contains("beta_end")) o.beta_end(config["beta_end"]);
  if (config.contains("prediction_type")) o.prediction_type(config["prediction_type"]);
  if (config.contains("timestep_spacing")) o.timestep_spacing(config["timestep_spacing"]);
  if (config.contains("clip_sample")) o.clip_sample(config["clip_sample"]);
  if (config.contains("clip_sample_range")) o.clip_sample_range(config["clip_sample_range"]);
  if (config.contains("thresholding")) o.thresholding(config["thresholding"]);
  if (config.contains("dynamic_thresholding_ratio"))
    o.dynamic_thresholding_ratio(config["dynamic_thresholding_ratio"]);
  if (config.contains("sample_max_value")) o.sample_max_value(config["sample_max_value"]);
  if (config.contains("steps_offset")) o.steps_offset(config["steps_offset"]);
  if (config.contains("rescale_betas_zero_snr"))
    o.rescale_betas_zero_snr(config["rescale_betas_zero_snr"]);
}

DDPMSchedulerOptions options_of(const nlohmann::json& config, int64_t T) {
  DDPMSchedulerOptions o;
  o.num_train_timesteps(T);
  set_common(o, config);
  if (config.contains("variance_type")) o.variance_type(config["variance_type"]);
  return o;
}

torch::Tensor tensor_of(const nlohmann::json& values, std::vector<int64_t> shape) {
  return torch::tensor(values.get<std::vector<double>>(), torch::kDouble)
      .to(torch::kFloat)
      .reshape(shape);
}

// |a - b| <= 1e-6 * condition * max(|b|, 1) elementwise: float32 results of the same ops; the
// floor of 1 keeps values near 0 (differences of two O(1) terms) from demanding more than float32
// holds. `condition` is how much a step amplifies a last-bit difference of its inputs: x0 =
// (x_t - sqrt(1 - abar) eps) / sqrt(abar) multiplies it by 1 / sqrt(abar_t), 157 at t = 999 of
// the linear schedule, where LibTorch 2.x's vectorised kernels (FMA) round differently from 1.13.
void expect_close(const torch::Tensor& actual, const torch::Tensor& expected,
                  const std::string& what, double condition = 1.0) {
  ASSERT_EQ(actual.sizes(), expected.sizes()) << what;
  const auto a = actual.to(torch::kDouble), e = expected.to(torch::kDouble);
  const auto excess =
      ((a - e).abs() - 1e-6 * condition * e.abs().clamp_min(1)).max().item<double>();
  EXPECT_LE(excess, 0.0) << what << "\nactual " << actual << "\nexpected " << expected;
}

TEST(DDPMScheduler, MatchesDiffusersForEveryConfiguration) {
  const auto expected = test_support::load_expected("diffusers/ddpm.json");
  const int64_t T = expected["num_train_timesteps"], n = expected["num_inference_steps"];
  const auto shape = expected["shape"].get<std::vector<int64_t>>();
  ASSERT_GE(expected["cases"].size(), 180u);
  for (const auto& c : expected["cases"]) {
    const std::string name = c["config"].dump();
    DDPMScheduler scheduler(options_of(c["config"], T));
    expect_close(scheduler->alphas_cumprod,
                 tensor_of(expected["alphas_cumprod"][c["schedule"].get<std::string>()], {T}),
                 name + " alphas_cumprod");
    scheduler->set_timesteps(n);
    EXPECT_EQ(scheduler->timestep_list(), c["timesteps"].get<std::vector<int64_t>>()) << name;
    for (const auto& s : c["steps"]) {
      const int64_t t = s["t"];
      const auto out = scheduler->step(
          tensor_of(s["model_output"], s["model_output_shape"].get<std::vector<int64_t>>()), t,
          tensor_of(s["sample"], shape), tensor_of(s["noise"], shape));
      const double condition = condition_at(scheduler->alphas_cumprod, t);
      expect_close(out.pred_original_sample, tensor_of(s["pred_original_sample"], shape),
                   name + " pred_original_sample at t=" + std::to_string(t), condition);
      expect_close(out.prev_sample, tensor_of(s["prev_sample"], shape),
                   name + " prev_sample at t=" + std::to_string(t), condition);
    }
  }
}

TEST(DDPMScheduler, PreviousTimestepIsTheNextGridPointForEverySpacing) {
  // diffusers' t - T // n is wrong here: T = 1000, n = 7 (trailing: 999, 856, ...).
  for (const char* spacing : {"leading", "trailing", "linspace"}) {
    DDPMScheduler scheduler(DDPMSchedulerOptions().timestep_spacing(spacing));
    scheduler->set_timesteps(7);
    const auto grid = scheduler->timestep_list();
    ASSERT_EQ(grid.size(), 7u) << spacing;
    for (size_t i = 0; i + 1 < grid.size(); ++i) {
      EXPECT_GT(grid[i], grid[i + 1]) << spacing;
      EXPECT_EQ(scheduler->previous_timestep(grid[i]), grid[i + 1]) << spacing;
    }
    EXPECT_EQ(scheduler->previous_timestep(grid.back()), -1) << spacing;
  }
}

TEST(DDPMScheduler, FixedLargeLogIsFiniteAndEqualsFixedLarge) {
  // diffusers 0.25.1 returns NaN here (the square root of log(beta_t) < 0, issue 14569).
  torch::manual_seed(3);
  const auto x = torch::randn({4, 2}), eps = torch::randn({4, 2}), z = torch::randn({4, 2});
  DDPMScheduler log_form(DDPMSchedulerOptions().variance_type("fixed_large_log"));
  DDPMScheduler plain(DDPMSchedulerOptions().variance_type("fixed_large"));
  for (const int64_t t : {999, 500, 1}) {
    const auto a = log_form->step(eps, t, x, z).prev_sample;
    const auto b = plain->step(eps, t, x, z).prev_sample;
    EXPECT_TRUE(torch::isfinite(a).all().item<bool>()) << t;
    EXPECT_TRUE(torch::allclose(a, b, 1e-6, 1e-7)) << t;
  }
}

TEST(DDPMScheduler, ZeroNoiseGivesThePosteriorMeanOfHoEtAl) {
  // Eq. 7 of Ho et al.: mu = sqrt(abar_prev) beta_t / (1 - abar_t) x0
  //                        + sqrt(alpha_t) (1 - abar_prev) / (1 - abar_t) x_t, in float64.
  DDPMScheduler scheduler(DDPMSchedulerOptions().prediction_type("sample").clip_sample(false));
  const auto x0 = torch::tensor({0.3, -1.2}, torch::kDouble);
  const auto xt = torch::tensor({1.5, 0.25}, torch::kDouble);
  const int64_t t = 400;
  const auto out =
      scheduler->step(x0.to(torch::kFloat), t, xt.to(torch::kFloat), torch::zeros({2}));
  const auto ab = scheduler->alphas_cumprod.to(torch::kDouble);
  const double abar = ab[t].item<double>(), abar_prev = ab[t - 1].item<double>();
  const double beta = 1 - abar / abar_prev;
  const auto mean = std::sqrt(abar_prev) * beta / (1 - abar) * x0 +
                    std::sqrt(1 - beta) * (1 - abar_prev) / (1 - abar) * xt;
  EXPECT_TRUE(torch::allclose(out.prev_sample.to(torch::kDouble), mean, 1e-5, 1e-6));
}

TEST(DDPMScheduler, AddNoiseAndVelocityFollowTheirDefinitions) {
  DDPMScheduler scheduler;
  torch::manual_seed(1);
  const auto x0 = torch::randn({3, 2}), noise = torch::randn({3, 2});
  const auto t = torch::tensor({0, 500, 999}, torch::kLong);
  const auto ab = scheduler->alphas_cumprod.index({t}).unsqueeze(1);
  EXPECT_TRUE(torch::allclose(scheduler->add_noise(x0, noise, t),
                              ab.sqrt() * x0 + (1 - ab).sqrt() * noise));
  EXPECT_TRUE(torch::allclose(scheduler->get_velocity(x0, noise, t),
                              ab.sqrt() * noise - (1 - ab).sqrt() * x0));
}

DDIMSchedulerOptions ddim_options_of(const nlohmann::json& c, int64_t T) {
  DDIMSchedulerOptions o;
  o.num_train_timesteps(T).eta(c["eta"]).use_clipped_model_output(c["use_clipped_model_output"]);
  set_common(o, c["config"]);
  if (c["config"].contains("set_alpha_to_one")) o.set_alpha_to_one(c["config"]["set_alpha_to_one"]);
  return o;
}

TEST(DDIMScheduler, MatchesDiffusersForEveryConfiguration) {
  const auto expected = test_support::load_expected("diffusers/ddim.json");
  const int64_t T = expected["num_train_timesteps"], n = expected["num_inference_steps"];
  const auto shape = expected["shape"].get<std::vector<int64_t>>();
  ASSERT_GE(expected["cases"].size(), 40u);
  for (const auto& c : expected["cases"]) {
    const std::string name = c.dump().substr(0, 160);
    DDIMScheduler scheduler(ddim_options_of(c, T));
    scheduler->set_timesteps(n);
    EXPECT_EQ(scheduler->timestep_list(), c["timesteps"].get<std::vector<int64_t>>()) << name;
    for (const auto& s : c["steps"]) {
      const int64_t t = s["t"];
      const auto out = scheduler->step(tensor_of(s["model_output"], shape), t,
                                       tensor_of(s["sample"], shape), tensor_of(s["noise"], shape));
      const double condition = condition_at(scheduler->alphas_cumprod, t);
      expect_close(out.pred_original_sample, tensor_of(s["pred_original_sample"], shape),
                   name + " pred_original_sample at t=" + std::to_string(t), condition);
      expect_close(out.prev_sample, tensor_of(s["prev_sample"], shape),
                   name + " prev_sample at t=" + std::to_string(t), condition);
    }
  }
}

TEST(DDIMScheduler, DeterministicStepIsSongEtAlEquation12OnTheGrid) {
  // eta = 0: x_prev = sqrt(abar_prev) x0 + sqrt(1 - abar_prev) eps, x0 = (x_t - sqrt(1 - abar_t)
  // eps) / sqrt(abar_t), in float64, with abar_prev that of the next grid point, for a grid
  // (linspace, n = 7) where diffusers' t - T // n is off the grid.
  DDIMScheduler scheduler(DDIMSchedulerOptions().timestep_spacing("linspace").clip_sample(false));
  scheduler->set_timesteps(7);
  const auto grid = scheduler->timestep_list();
  const auto ab = scheduler->alphas_cumprod.to(torch::kDouble);
  torch::manual_seed(2);
  const auto x = torch::randn({3, 2}, torch::kDouble), eps = torch::randn({3, 2}, torch::kDouble);
  for (size_t i = 0; i < grid.size(); ++i) {
    const int64_t t = grid[i];
    const double abar = ab[t].item<double>();
    const double abar_prev = i + 1 < grid.size() ? ab[grid[i + 1]].item<double>() : 1.0;
    const auto x0 = (x - std::sqrt(1 - abar) * eps) / std::sqrt(abar);
    const auto want = std::sqrt(abar_prev) * x0 + std::sqrt(1 - abar_prev) * eps;
    const auto got = scheduler->step(eps.to(torch::kFloat), t, x.to(torch::kFloat))
                         .prev_sample.to(torch::kDouble);
    EXPECT_TRUE(torch::allclose(got, want, 1e-4, 1e-5)) << "t=" << t << "\n" << got << want;
  }
}

TEST(DDIMScheduler, EtaOneHasDdpmsPosteriorStandardDeviation) {
  // Song et al.: eta = 1 gives sigma_t^2 = (1 - abar_prev) / (1 - abar_t) (1 - abar_t / abar_prev),
  // DDPM's fixed_small variance: the noise's coefficient, read off with zero and unit noise.
  DDIMScheduler ddim(DDIMSchedulerOptions().eta(1.0));
  DDPMScheduler ddpm;
  ddim->set_timesteps(1000);
  const auto x = torch::full({1, 1}, 0.3f), eps = torch::full({1, 1}, -0.2f);
  for (const int64_t t : {900, 500, 10}) {
    const double ddim_sigma = (ddim->step(eps, t, x, torch::ones({1, 1})).prev_sample -
                               ddim->step(eps, t, x, torch::zeros({1, 1})).prev_sample)
                                  .item<double>();
    const double ddpm_sigma = (ddpm->step(eps, t, x, torch::ones({1, 1})).prev_sample -
                               ddpm->step(eps, t, x, torch::zeros({1, 1})).prev_sample)
                                  .item<double>();
    EXPECT_NEAR(ddim_sigma, ddpm_sigma, 1e-6 * ddpm_sigma) << t;
  }
}

TEST(DDPMScheduler, StepOnCudaEqualsCpu_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  DDPMScheduler cpu(DDPMSchedulerOptions().variance_type("learned_range"));
  auto gpu = std::dynamic_pointer_cast<DDPMSchedulerImpl>(cpu->clone(torch::kCUDA));
  ASSERT_TRUE(gpu->alphas_cumprod.is_cuda());
  torch::manual_seed(5);
  const auto x = torch::randn({4, 2, 3}), out = torch::randn({4, 4, 3}).tanh();
  const auto z = torch::randn({4, 2, 3});
  for (const int64_t t : {999, 10, 0}) {
    const auto a = cpu->step(out, t, x, z).prev_sample;
    const auto b = gpu->step(out.cuda(), t, x.cuda(), z.cuda()).prev_sample;
    EXPECT_TRUE(b.is_cuda());
    EXPECT_TRUE(torch::allclose(a, b.cpu(), 1e-5, 1e-6)) << t;
  }
}

}  // namespace
}  // namespace infozoo::models
