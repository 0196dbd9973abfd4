// SPDX-License-Identifier: BSD-3-Clause
// diffusers 0.25.1's scheduling_ddim.py, op for op (diffusers_common.h holds what DDPM shares);
// the departures from diffusers are in the header.
#include "infozoo/models/ddim_scheduler.h"

#include <ATen/ATen.h>

#include <set>

#include "diffusers_common.h"
#include "scheduler_config.h"

namespace infozoo::models {
namespace {

constexpr const char* kName = "DDIMScheduler";

}  // namespace

DDIMSchedulerImpl::DDIMSchedulerImpl(DDIMSchedulerOptions options_) : options(std::move(options_)) {
  reset();
}

void DDIMSchedulerImpl::reset() {
  const auto& o = options;
  const int64_t T = o.num_train_timesteps();
  detail::check_common_options(kName, o);
  TORCH_CHECK(o.eta() >= 0, kName, ": eta must be >= 0, got ", o.eta());
  const auto b = detail::diffusers_betas(kName, T, o.beta_start(), o.beta_end(), o.beta_schedule(),
                                         o.trained_betas(), o.rescale_betas_zero_snr());
  betas = register_buffer("betas", b);
  alphas = register_buffer("alphas", 1.0 - b);
  alphas_cumprod = register_buffer("alphas_cumprod", at::cumprod(alphas, 0));
  timesteps_ = at::arange(T - 1, -1, -1, at::kLong);
  num_inference_steps_ = 0;
}

void DDIMSchedulerImpl::set_timesteps(int64_t n) {
  timesteps_ =
      at::tensor(detail::inference_grid(kName, options.num_train_timesteps(), n,
                                        options.timestep_spacing(), options.steps_offset()),
                 at::kLong);
  num_inference_steps_ = n;
}

std::vector<int64_t> DDIMSchedulerImpl::timestep_list() const {
  const auto* p = timesteps_.data_ptr<int64_t>();
  return {p, p + timesteps_.numel()};
}

int64_t DDIMSchedulerImpl::previous_timestep(int64_t t) const {
  return detail::next_on_grid(timesteps_, t, options.num_train_timesteps(), num_inference_steps_);
}

DDPMSchedulerOutput DDIMSchedulerImpl::step(const at::Tensor& model_output, int64_t t,
                                            const at::Tensor& sample, const at::Tensor& noise,
                                            std::optional<at::Generator> generator) const {
  const int64_t T = options.num_train_timesteps();
  TORCH_CHECK(t >= 0 && t < T, kName, "::step: t must be in [0, ", T, "), got ", t);
  TORCH_CHECK(sample.defined() && sample.is_floating_point(), kName,
              "::step: sample must be a floating point tensor");
  TORCH_CHECK(model_output.defined() && model_output.sizes() == sample.sizes(), kName,
              "::step: model_output must have the sample's shape ", sample.sizes(), ", got ",
              model_output.defined() ? model_output.sizes() : at::IntArrayRef{});
  if (noise.defined()) {
    TORCH_CHECK(noise.sizes() == sample.sizes(), kName,
                "::step: noise must have the sample's "
                "shape ",
                sample.sizes(), ", got ", noise.sizes());
  }
  const int64_t prev_t = previous_timestep(t);
  const auto alpha_prod_t = alphas_cumprod[t];
  const auto alpha_prod_t_prev = prev_t >= 0                  ? alphas_cumprod[prev_t]
                                 : options.set_alpha_to_one() ? at::ones_like(alpha_prod_t)
                                                              : alphas_cumprod[0];
  const auto beta_prod_t = 1 - alpha_prod_t;
  const std::string& prediction = options.prediction_type();
  at::Tensor pred_epsilon;
  if (prediction == "epsilon") {
    pred_epsilon = model_output;
  } else if (prediction == "sample") {
    pred_epsilon = (sample - alpha_prod_t.pow(0.5) * model_output) / beta_prod_t.pow(0.5);
  } else {
    pred_epsilon = alpha_prod_t.pow(0.5) * model_output + beta_prod_t.pow(0.5) * sample;
  }
  const auto x0 = detail::threshold_or_clip(
      detail::predict_original_sample(prediction, model_output, sample, alpha_prod_t),
      options.thresholding(), options.dynamic_thresholding_ratio(), options.sample_max_value(),
      options.clip_sample(), options.clip_sample_range());
  const auto beta_prod_t_prev = 1 - alpha_prod_t_prev;
  const auto variance = (beta_prod_t_prev / beta_prod_t) * (1 - alpha_prod_t / alpha_prod_t_prev);
  const auto std_dev_t = options.eta() * variance.pow(0.5);
  if (options.use_clipped_model_output()) {
    pred_epsilon = (sample - alpha_prod_t.pow(0.5) * x0) / beta_prod_t.pow(0.5);
  }
  const auto direction = (1 - alpha_prod_t_prev - std_dev_t.pow(2)).pow(0.5) * pred_epsilon;
  auto prev = alpha_prod_t_prev.pow(0.5) * x0 + direction;
  if (options.eta() > 0) {
    const auto z = noise.defined() ? noise
                                   : at::randn(model_output.sizes(),
                                               generator ? c10::optional<at::Generator>(*generator)
                                                         : c10::optional<at::Generator>(),
                                               model_output.options());
    prev = prev + std_dev_t * z;
  }
  return {prev, x0};
}

at::Tensor DDIMSchedulerImpl::add_noise(const at::Tensor& original_samples, const at::Tensor& noise,
                                        const at::Tensor& t) const {
  return detail::noise_mix("DDIMScheduler::add_noise", alphas_cumprod, original_samples, noise, t,
                           1.0);
}

at::Tensor DDIMSchedulerImpl::get_velocity(const at::Tensor& sample, const at::Tensor& noise,
                                           const at::Tensor& t) const {
  return detail::noise_mix("DDIMScheduler::get_velocity", alphas_cumprod, noise, sample, t, -1.0);
}

void DDIMSchedulerImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::models::DDIMScheduler(num_train_timesteps=" << options.num_train_timesteps()
         << ", beta_schedule="
         << (options.trained_betas().empty() ? options.beta_schedule() : "trained")
         << ", prediction_type=" << options.prediction_type()
         << ", timestep_spacing=" << options.timestep_spacing() << ", eta=" << options.eta() << ")";
}

std::string DDIMSchedulerImpl::config_json() const {
  auto o = options;  // for_each_config_key hands out mutable references
  nlohmann::json config;
  auto write = [&](const char* key, const auto& member) {
    config[key] = detail::config_value(member);
  };
  detail::for_each_config_key(o, write);
  write("set_alpha_to_one", o.set_alpha_to_one());
  return detail::config_text(kName, std::move(config));
}

void DDIMSchedulerImpl::save_config(const std::string& path) const {
  detail::write_config_file(path, config_json());
}

DDIMScheduler DDIMScheduler::from_config(const std::string& path,
                                         std::vector<std::string>* ignored_keys) {
  return detail::scheduler_from_config<DDIMScheduler, DDIMSchedulerOptions>(
      kName, path, ignored_keys,
      [](auto& o, auto& read) { read("set_alpha_to_one", o.set_alpha_to_one()); });
}

}  // namespace infozoo::models
