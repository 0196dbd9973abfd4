// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The training objective of a diffusion model (seed section 8; Ho et al. 2020): the simplified
/// loss, the mean squared error between the model's output and its target (the noise for
/// "epsilon", x0 for "sample", v = sqrt(abar) eps - sqrt(1 - abar) x0 for "v_prediction"),
/// optionally weighted per sample by Min-SNR-gamma (Hang et al. 2023) as diffusers' training
/// scripts do, and the link between a noise prediction and the score (seed 8.3). Where infozoo
/// differs from diffusers: at SNR = 0 (a zero-terminal-SNR schedule's last step) diffusers'
/// epsilon weight min(SNR, gamma) / SNR is 0 / 0 = NaN (diffusers issues 3851, 9451); here it is
/// its limit, 1, computed as min(gamma / SNR, 1), which equals diffusers' value wherever that is
/// finite.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>

#include <optional>
#include <string>

namespace infozoo::losses {

/// diffusers' `training_utils.compute_snr`: SNR_t = (sqrt(abar_t) / sqrt(1 - abar_t))^2 for each
/// timestep (dimensionless; +inf where abar = 1, 0 where abar = 0), float32, t's shape.
/// Example: `compute_snr(scheduler->alphas_cumprod, torch::tensor({0, 999}))`.
at::Tensor compute_snr(const at::Tensor& alphas_cumprod, const at::Tensor& timesteps);

/// The per-sample Min-SNR-gamma weight for `prediction_type`: min(SNR, gamma) / SNR ("epsilon",
/// 1 at SNR = 0), min(SNR, gamma) / (SNR + 1) ("v_prediction"), min(SNR, gamma) ("sample").
/// Example: `min_snr_weights(snr, 5.0, "epsilon")`.
at::Tensor min_snr_weights(const at::Tensor& snr, double gamma, const std::string& prediction_type);

/// Options of `diffusion_loss`. Example: `DiffusionLossOptions().snr(snr).min_snr_gamma(5.0)`.
struct DiffusionLossOptions {
  /// "epsilon", "sample" or "v_prediction": selects the Min-SNR weight's form.
  TORCH_ARG(std::string, prediction_type) = "epsilon";
  /// When set, Min-SNR-gamma weighting with this gamma (> 0); needs `snr`.
  TORCH_ARG(std::optional<double>, min_snr_gamma) = std::nullopt;
  /// The per-sample SNR [B] (`compute_snr`), for the weights.
  TORCH_ARG(at::Tensor, snr) = {};
  /// "mean" (a scalar: the mean over samples of each sample's mean squared error) or "none"
  /// (the per-sample [B] losses).
  TORCH_ARG(std::string, reduction) = "mean";
};

/// The simplified objective: per sample, the mean over all but the first dimension of
/// (model_output - target)^2, in float32, times the Min-SNR weight when asked; then reduced.
/// Example: `auto loss = diffusion_loss(model(x_t, t), noise);`
at::Tensor diffusion_loss(const at::Tensor& model_output, const at::Tensor& target,
                          const DiffusionLossOptions& options = {});

/// The score grad_x log q(x_t) from a noise prediction (seed 8.3): -eps / sqrt(1 - abar_t), with
/// `alpha_bar` a scalar or [B] (broadcast over the trailing dimensions). The exact score when
/// eps is E[noise | x_t]. Example: `score_from_epsilon(eps, abar)`.
at::Tensor score_from_epsilon(const at::Tensor& eps, const at::Tensor& alpha_bar);

}  // namespace infozoo::losses
