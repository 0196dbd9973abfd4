// SPDX-License-Identifier: BSD-3-Clause
// diffusers 0.25.1's scheduling_ddpm.py, op for op (diffusers_common.h holds what DDIM shares);
// the two departures from diffusers are in the header.
#include "infozoo/models/ddpm_scheduler.h"

#include <ATen/ATen.h>

#include <set>

#include "diffusers_common.h"
#include "scheduler_config.h"

namespace infozoo::models {
namespace {

constexpr const char* kName = "DDPMScheduler";
const std::set<std::string> kVariances = {"fixed_small",     "fixed_small_log", "fixed_large",
                                          "fixed_large_log", "learned",         "learned_range"};

}  // namespace

DDPMSchedulerImpl::DDPMSchedulerImpl(DDPMSchedulerOptions options_) : options(std::move(options_)) {
  reset();
}

void DDPMSchedulerImpl::reset() {
  const auto& o = options;
  const int64_t T = o.num_train_timesteps();
  detail::check_common_options(kName, o);
  detail::check_name(kName, "variance_type", o.variance_type(), kVariances);
  const auto b = detail::diffusers_betas(kName, T, o.beta_start(), o.beta_end(), o.beta_schedule(),
                                         o.trained_betas(), o.rescale_betas_zero_snr());
  betas = register_buffer("betas", b);
  alphas = register_buffer("alphas", 1.0 - b);
  alphas_cumprod = register_buffer("alphas_cumprod", at::cumprod(alphas, 0));
  timesteps_ = at::arange(T - 1, -1, -1, at::kLong);
  num_inference_steps_ = 0;
}

void DDPMSchedulerImpl::set_timesteps(int64_t n) {
  timesteps_ =
      at::tensor(detail::inference_grid(kName, options.num_train_timesteps(), n,
                                        options.timestep_spacing(), options.steps_offset()),
                 at::kLong);
  num_inference_steps_ = n;
}

std::vector<int64_t> DDPMSchedulerImpl::timestep_list() const {
  const auto* p = timesteps_.data_ptr<int64_t>();
  return {p, p + timesteps_.numel()};
}

int64_t DDPMSchedulerImpl::previous_timestep(int64_t t) const {
  return detail::next_on_grid(timesteps_, t, options.num_train_timesteps(), num_inference_steps_);
}

at::Tensor DDPMSchedulerImpl::variance_std(const at::Tensor& alpha_prod_t,
                                           const at::Tensor& alpha_prod_t_prev,
                                           const at::Tensor& predicted_variance) const {
  const auto current_beta_t = 1 - alpha_prod_t / alpha_prod_t_prev;
  const auto variance =
      at::clamp_min((1 - alpha_prod_t_prev) / (1 - alpha_prod_t) * current_beta_t, 1e-20);
  const std::string& type = options.variance_type();
  if (type == "fixed_small") return variance.pow(0.5);
  if (type == "fixed_small_log") return at::exp(0.5 * at::log(variance));
  if (type == "fixed_large") return current_beta_t.pow(0.5);
  if (type == "fixed_large_log") return at::exp(0.5 * at::log(current_beta_t));  // diffusers: NaN
  if (type == "learned") return predicted_variance.pow(0.5);
  const auto frac = (predicted_variance + 1) / 2;  // learned_range
  return at::exp(0.5 * (frac * at::log(current_beta_t) + (1 - frac) * at::log(variance)));
}

DDPMSchedulerOutput DDPMSchedulerImpl::step(const at::Tensor& model_output_in, int64_t t,
                                            const at::Tensor& sample, const at::Tensor& noise,
                                            std::optional<at::Generator> generator) const {
  const int64_t T = options.num_train_timesteps();
  TORCH_CHECK(t >= 0 && t < T, "DDPMScheduler::step: t must be in [0, ", T, "), got ", t);
  TORCH_CHECK(sample.defined() && sample.is_floating_point(),
              "DDPMScheduler::step: sample must be a floating point tensor");
  TORCH_CHECK(model_output_in.defined(), "DDPMScheduler::step: model_output is undefined");
  const bool learned =
      options.variance_type() == "learned" || options.variance_type() == "learned_range";
  at::Tensor model_output = model_output_in, predicted_variance;
  if (learned) {
    auto doubled = sample.sizes().vec();
    TORCH_CHECK(sample.dim() >= 2,
                "DDPMScheduler::step: a learned variance needs a sample with "
                "a channel dimension (dimension 1), got shape ",
                sample.sizes());
    doubled[1] *= 2;
    TORCH_CHECK(model_output_in.sizes() == at::IntArrayRef(doubled), "DDPMScheduler::step: with ",
                options.variance_type(),
                " variance model_output must have twice the sample's channels (dimension 1), "
                "shape ",
                at::IntArrayRef(doubled), ", got ", model_output_in.sizes());
    const auto halves = model_output_in.split(sample.size(1), 1);
    model_output = halves[0];
    predicted_variance = halves[1];
  } else {
    TORCH_CHECK(model_output_in.sizes() == sample.sizes(),
                "DDPMScheduler::step: model_output must have the sample's shape ", sample.sizes(),
                ", got ", model_output_in.sizes());
  }
  if (noise.defined()) {
    TORCH_CHECK(noise.sizes() == sample.sizes(),
                "DDPMScheduler::step: noise must have the "
                "sample's shape ",
                sample.sizes(), ", got ", noise.sizes());
  }

  const int64_t prev_t = previous_timestep(t);
  const auto alpha_prod_t = alphas_cumprod[t];
  const auto alpha_prod_t_prev = prev_t >= 0 ? alphas_cumprod[prev_t] : at::ones_like(alpha_prod_t);
  const auto beta_prod_t = 1 - alpha_prod_t;
  const auto beta_prod_t_prev = 1 - alpha_prod_t_prev;
  const auto current_alpha_t = alpha_prod_t / alpha_prod_t_prev;
  const auto current_beta_t = 1 - current_alpha_t;

  const auto x0 = detail::threshold_or_clip(
      detail::predict_original_sample(options.prediction_type(), model_output, sample,
                                      alpha_prod_t),
      options.thresholding(), options.dynamic_thresholding_ratio(), options.sample_max_value(),
      options.clip_sample(), options.clip_sample_range());
  const auto x0_coeff = (alpha_prod_t_prev.pow(0.5) * current_beta_t) / beta_prod_t;
  const auto sample_coeff = current_alpha_t.pow(0.5) * beta_prod_t_prev / beta_prod_t;
  auto prev = x0_coeff * x0 + sample_coeff * sample;
  if (t > 0) {
    const auto z = noise.defined() ? noise
                                   : at::randn(model_output.sizes(),
                                               generator ? c10::optional<at::Generator>(*generator)
                                                         : c10::optional<at::Generator>(),
                                               model_output.options());
    prev = prev + variance_std(alpha_prod_t, alpha_prod_t_prev, predicted_variance) * z;
  }
  return {prev, x0};
}

at::Tensor DDPMSchedulerImpl::add_noise(const at::Tensor& original_samples, const at::Tensor& noise,
                                        const at::Tensor& t) const {
  return detail::noise_mix("DDPMScheduler::add_noise", alphas_cumprod, original_samples, noise, t,
                           1.0);
}

at::Tensor DDPMSchedulerImpl::get_velocity(const at::Tensor& sample, const at::Tensor& noise,
                                           const at::Tensor& t) const {
  return detail::noise_mix("DDPMScheduler::get_velocity", alphas_cumprod, noise, sample, t, -1.0);
}

void DDPMSchedulerImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::models::DDPMScheduler(num_train_timesteps=" << options.num_train_timesteps()
         << ", beta_schedule="
         << (options.trained_betas().empty() ? options.beta_schedule() : "trained")
         << ", prediction_type=" << options.prediction_type()
         << ", variance_type=" << options.variance_type()
         << ", timestep_spacing=" << options.timestep_spacing() << ")";
}

std::string DDPMSchedulerImpl::config_json() const {
  auto o = options;  // for_each_config_key hands out mutable references
  nlohmann::json config;
  auto write = [&](const char* key, const auto& member) {
    config[key] = detail::config_value(member);
  };
  detail::for_each_config_key(o, write);
  write("variance_type", o.variance_type());
  return detail::config_text(kName, std::move(config));
}

void DDPMSchedulerImpl::save_config(const std::string& path) const {
  detail::write_config_file(path, config_json());
}

DDPMScheduler DDPMScheduler::from_config(const std::string& path,
                                         std::vector<std::string>* ignored_keys) {
  return detail::scheduler_from_config<DDPMScheduler, DDPMSchedulerOptions>(
      kName, path, ignored_keys,
      [](auto& o, auto& read) { read("variance_type", o.variance_type()); });
}

}  // namespace infozoo::models
