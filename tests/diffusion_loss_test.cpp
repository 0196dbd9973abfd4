// SPDX-License-Identifier: BSD-3-Clause
// compute_snr and the Min-SNR-gamma loss against diffusers 0.25.1 (tests/expected/diffusers/
// losses.json, from tests/generators/diffusers_losses.py) to 1e-6 relative; the zero-SNR step,
// where diffusers' weight is NaN, against its limit; score_from_epsilon against the closed-form
// score of a Gaussian x0.
#include "infozoo/losses/diffusion_loss.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "infozoo/models/ddpm_scheduler.h"
#include "test_support.h"

namespace infozoo::losses {
namespace {

torch::Tensor floats(const nlohmann::json& values, std::vector<int64_t> shape) {
  return torch::tensor(values.get<std::vector<double>>(), torch::kDouble)
      .to(torch::kFloat)
      .reshape(shape);
}

TEST(DiffusionLoss, SnrAndMinSnrLossMatchDiffusers) {
  const auto e = test_support::load_expected("diffusers/losses.json");
  models::DDPMScheduler scheduler;
  const auto t = torch::tensor(e["timesteps"].get<std::vector<int64_t>>(), torch::kLong);
  const auto shape = e["shape"].get<std::vector<int64_t>>();
  const auto pred = floats(e["model_pred"], shape), target = floats(e["target"], shape);
  const auto snr = compute_snr(scheduler->alphas_cumprod, t);
  const auto want_snr = floats(e["snr"], {static_cast<int64_t>(e["snr"].size())});
  EXPECT_TRUE(torch::allclose(snr, want_snr, 1e-6, 0)) << snr << want_snr;
  EXPECT_NEAR(diffusion_loss(pred, target).item<double>(), e["mse"].get<double>(),
              1e-6 * e["mse"].get<double>());
  for (const auto& [key, value] : e["min_snr"].items()) {
    const auto cut = key.rfind('_');
    const std::string prediction = key.substr(0, cut);
    const double gamma = std::stod(key.substr(cut + 1));
    const double loss =
        diffusion_loss(
            pred, target,
            DiffusionLossOptions().prediction_type(prediction).min_snr_gamma(gamma).snr(snr))
            .item<double>();
    EXPECT_NEAR(loss, value.get<double>(), 1e-6 * std::fabs(value.get<double>())) << key;
  }
}

TEST(DiffusionLoss, MinSnrWeightIsFiniteAtZeroTerminalSnr) {
  // diffusers: min(0, gamma) / 0 = NaN for epsilon (issues 3851, 9451); the limit is 1.
  const auto e = test_support::load_expected("diffusers/losses.json");
  ASSERT_EQ(e["zero_snr_epsilon_loss_diffusers"], "nan");
  models::DDPMScheduler zero(models::DDPMSchedulerOptions().rescale_betas_zero_snr(true));
  const auto snr = compute_snr(zero->alphas_cumprod, torch::tensor({0, 999}, torch::kLong));
  EXPECT_EQ(snr[1].item<float>(), 0.0f);
  const auto w = min_snr_weights(snr, 5.0, "epsilon");
  EXPECT_EQ(w[1].item<float>(), 1.0f);
  EXPECT_TRUE(torch::isfinite(min_snr_weights(snr, 5.0, "v_prediction")).all().item<bool>());
  const auto pred = torch::ones({2, 3}), target = torch::zeros({2, 3});
  const auto loss = diffusion_loss(
      pred, target, DiffusionLossOptions().min_snr_gamma(5.0).snr(snr).reduction("none"));
  EXPECT_TRUE(torch::isfinite(loss).all().item<bool>());
  EXPECT_FLOAT_EQ(loss[1].item<float>(), 1.0f);  // unit error, weight 1
}

TEST(DiffusionLoss, ScoreFromEpsilonIsTheGaussianScore) {
  // x0 ~ N(mu, s^2): x_t ~ N(sqrt(ab) mu, ab s^2 + 1 - ab), score -(x - sqrt(ab) mu) / var, and
  // the optimal noise prediction E[eps | x_t] = sqrt(1 - ab) (x - sqrt(ab) mu) / var.
  const double mu = 0.7, s = 1.3;
  const auto x = torch::linspace(-3, 3, 13, torch::kDouble);
  for (const double ab : {0.999, 0.5, 0.01}) {
    const double var = ab * s * s + 1 - ab;
    const auto eps = std::sqrt(1 - ab) * (x - std::sqrt(ab) * mu) / var;
    const auto want = -(x - std::sqrt(ab) * mu) / var;
    const auto got = score_from_epsilon(eps, torch::tensor(ab, torch::kDouble));
    EXPECT_TRUE(torch::allclose(got, want, 1e-12, 1e-12)) << ab;
  }
}

}  // namespace
}  // namespace infozoo::losses
