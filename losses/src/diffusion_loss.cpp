// SPDX-License-Identifier: BSD-3-Clause
// diffusers 0.25.1's compute_snr and the Min-SNR block of its train_text_to_image.py, op for op
// (the one departure, at SNR = 0, is in the header).
#include "infozoo/losses/diffusion_loss.h"

#include <ATen/ATen.h>

#include <vector>

namespace infozoo::losses {
namespace {

at::Tensor per_sample(const at::Tensor& v, int64_t dims) {
  auto out = v.flatten();
  while (out.dim() < dims) out = out.unsqueeze(-1);
  return out;
}

void check_prediction(const std::string& prediction, const char* caller) {
  TORCH_CHECK(prediction == "epsilon" || prediction == "sample" || prediction == "v_prediction",
              caller, ": prediction_type must be epsilon, sample or v_prediction, got '",
              prediction, "'");
}

}  // namespace

at::Tensor compute_snr(const at::Tensor& alphas_cumprod, const at::Tensor& timesteps) {
  TORCH_CHECK(
      alphas_cumprod.defined() && alphas_cumprod.dim() == 1 && alphas_cumprod.is_floating_point(),
      "compute_snr: alphas_cumprod must be a 1-D floating point tensor [T]");
  TORCH_CHECK(timesteps.defined() && !timesteps.is_floating_point(),
              "compute_snr: timesteps must hold integers, got ",
              timesteps.defined() ? toString(timesteps.scalar_type()) : "undefined");
  const int64_t T = alphas_cumprod.size(0);
  if (timesteps.numel() > 0) {
    TORCH_CHECK(timesteps.min().item<int64_t>() >= 0 && timesteps.max().item<int64_t>() < T,
                "compute_snr: timesteps must be in [0, ", T, "), got values in [",
                timesteps.min().item<int64_t>(), ", ", timesteps.max().item<int64_t>(), "]");
  }
  const auto t = timesteps.to(alphas_cumprod.device());
  const auto alpha = alphas_cumprod.pow(0.5).index({t}).to(at::kFloat);
  const auto sigma = (1.0 - alphas_cumprod).pow(0.5).index({t}).to(at::kFloat);
  return (alpha / sigma).pow(2);
}

at::Tensor min_snr_weights(const at::Tensor& snr, double gamma, const std::string& prediction) {
  TORCH_CHECK(gamma > 0, "min_snr_weights: gamma must be > 0, got ", gamma);
  check_prediction(prediction, "min_snr_weights");
  TORCH_CHECK(snr.defined() && snr.is_floating_point(),
              "min_snr_weights: snr must be a floating point tensor");
  if (prediction == "epsilon") return (gamma / snr).clamp_max(1.0);  // diffusers: min(snr, g) / snr
  const auto clipped = at::stack({snr, gamma * at::ones_like(snr)}, 1).amin(1);
  return prediction == "v_prediction" ? clipped / (snr + 1) : clipped;
}

at::Tensor diffusion_loss(const at::Tensor& model_output, const at::Tensor& target,
                          const DiffusionLossOptions& o) {
  TORCH_CHECK(model_output.defined() && target.defined() &&
                  model_output.sizes() == target.sizes() && model_output.dim() >= 1,
              "diffusion_loss: model_output and target must have one shape [B, ...], got ",
              model_output.defined() ? model_output.sizes() : at::IntArrayRef{}, " and ",
              target.defined() ? target.sizes() : at::IntArrayRef{});
  check_prediction(o.prediction_type(), "diffusion_loss");
  TORCH_CHECK(o.reduction() == "mean" || o.reduction() == "none",
              "diffusion_loss: reduction must be mean or none, got '", o.reduction(), "'");
  const auto squared = (model_output.to(at::kFloat) - target.to(at::kFloat)).pow(2);
  std::vector<int64_t> dims;
  for (int64_t d = 1; d < squared.dim(); ++d) dims.push_back(d);
  auto per_sample_loss = dims.empty() ? squared : squared.mean(dims);
  if (o.min_snr_gamma()) {
    TORCH_CHECK(o.snr().defined() && o.snr().numel() == model_output.size(0),
                "diffusion_loss: min_snr_gamma needs snr with one value per sample (",
                model_output.size(0), "), got ",
                o.snr().defined() ? o.snr().sizes() : at::IntArrayRef{});
    per_sample_loss = per_sample_loss *
                      min_snr_weights(o.snr().flatten(), *o.min_snr_gamma(), o.prediction_type())
                          .to(per_sample_loss.device());
  }
  return o.reduction() == "mean" ? per_sample_loss.mean() : per_sample_loss;
}

at::Tensor score_from_epsilon(const at::Tensor& eps, const at::Tensor& alpha_bar) {
  TORCH_CHECK(eps.defined() && eps.is_floating_point(),
              "score_from_epsilon: eps must be a floating point tensor");
  TORCH_CHECK(alpha_bar.defined() && alpha_bar.is_floating_point(),
              "score_from_epsilon: alpha_bar must be a floating point tensor");
  TORCH_CHECK(alpha_bar.numel() == 1 || (eps.dim() >= 1 && alpha_bar.numel() == eps.size(0)),
              "score_from_epsilon: alpha_bar must be a scalar or hold one value per sample (",
              eps.dim() >= 1 ? eps.size(0) : 1, "), got ", alpha_bar.sizes());
  const auto ab = alpha_bar.numel() == 1 ? alpha_bar.reshape({}) : per_sample(alpha_bar, eps.dim());
  return -eps / (1 - ab).sqrt();
}

}  // namespace infozoo::losses
