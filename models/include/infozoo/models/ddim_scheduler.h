// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// Denoising diffusion implicit models (Song et al. 2021) with the semantics of diffusers'
/// `DDIMScheduler` (0.25.1): its configuration names and defaults and its `step`, to float32
/// rounding (tests/diffusers_schedulers_test.cpp against tests/generators/diffusers_ddim.py). eta =
/// 0 is the deterministic sampler; eta = 1 has DDPM's posterior variance. Where infozoo differs
/// from diffusers, on purpose: the previous timestep is the next entry of `timesteps()` (or -1
/// after the last). diffusers computes t - T // n, which skips or repeats grid points of the
/// "trailing" and "linspace" spacings when n does not divide T (diffusers issues 12633, 11347);
/// for "leading" spacing the two agree. diffusers also requires `set_timesteps` before `step`;
/// here the grid is T-1, ..., 0 until it is called. The sigmoid schedule, which diffusers'
/// DDPMScheduler has and its DDIMScheduler lacks, is accepted here too.
#pragma once

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "infozoo/models/ddpm_scheduler.h"

namespace infozoo::models {

/// Options of `DDIMScheduler`, named and defaulted as diffusers' `DDIMScheduler.__init__`, plus
/// `eta` and `use_clipped_model_output`, which diffusers passes to each `step`.
/// Example: `DDIMSchedulerOptions().timestep_spacing("trailing").eta(0.0)`.
struct DDIMSchedulerOptions {
  /// T, the number of training steps (>= 1).
  TORCH_ARG(int64_t, num_train_timesteps) = 1000;
  /// beta_0 of the linear, scaled_linear and sigmoid schedules.
  TORCH_ARG(double, beta_start) = 0.0001;
  /// beta_{T-1} of the linear, scaled_linear and sigmoid schedules.
  TORCH_ARG(double, beta_end) = 0.02;
  /// "linear", "scaled_linear", "squaredcos_cap_v2" or "sigmoid" (ignored with `trained_betas`).
  TORCH_ARG(std::string, beta_schedule) = "linear";
  /// When not empty: the T betas themselves.
  TORCH_ARG(std::vector<double>, trained_betas) = {};
  /// Clamp the predicted x0 to [-clip_sample_range, clip_sample_range] (unless thresholding).
  TORCH_ARG(bool, clip_sample) = true;
  /// alpha_bar before the first step: 1 (true) or alpha_bar_0 (false).
  TORCH_ARG(bool, set_alpha_to_one) = true;
  /// Added to every "leading" timestep.
  TORCH_ARG(int64_t, steps_offset) = 0;
  /// "epsilon", "sample" or "v_prediction".
  TORCH_ARG(std::string, prediction_type) = "epsilon";
  /// Imagen's dynamic thresholding of the predicted x0.
  TORCH_ARG(bool, thresholding) = false;
  /// The quantile of |x0| that dynamic thresholding clamps to, in (0, 1].
  TORCH_ARG(double, dynamic_thresholding_ratio) = 0.995;
  /// The bound of `clip_sample`, > 0.
  TORCH_ARG(double, clip_sample_range) = 1.0;
  /// The largest threshold of dynamic thresholding, >= 1.
  TORCH_ARG(double, sample_max_value) = 1.0;
  /// "leading", "trailing" or "linspace".
  TORCH_ARG(std::string, timestep_spacing) = "leading";
  /// Rescale the betas to zero terminal SNR (Lin et al. 2023).
  TORCH_ARG(bool, rescale_betas_zero_snr) = false;
  /// The weight of the posterior noise, >= 0: 0 is deterministic DDIM, 1 DDPM's variance.
  TORCH_ARG(double, eta) = 0.0;
  /// Recompute epsilon from the clipped x0 (diffusers' use_clipped_model_output).
  TORCH_ARG(bool, use_clipped_model_output) = false;
};

/// diffusers' `DDIMScheduler` as a module: float32 buffers `betas`, `alphas`, `alphas_cumprod`
/// ([T]) travel with `.to(device)`. Example:
/// ```
///   DDIMScheduler scheduler(DDIMSchedulerOptions().timestep_spacing("trailing"));
///   scheduler->set_timesteps(50);
///   for (int64_t t : scheduler->timestep_list()) x = scheduler->step(model(x, t), t,
///   x).prev_sample;
/// ```
class DDIMSchedulerImpl : public torch::nn::Cloneable<DDIMSchedulerImpl> {
 public:
  /// Checks `options` (an error names the bad option) and builds the schedule.
  explicit DDIMSchedulerImpl(DDIMSchedulerOptions options = {});

  /// Registers `betas`, `alphas`, `alphas_cumprod`; the timesteps are T-1, ..., 0 again.
  void reset() override;

  /// The inference grid of `num_inference_steps` steps (1 <= n <= T) in `timestep_spacing`.
  void set_timesteps(int64_t num_inference_steps);

  /// The timesteps in sampling order (int64, on the CPU).
  const at::Tensor& timesteps() const { return timesteps_; }

  /// The same as a vector, for a `for` loop.
  std::vector<int64_t> timestep_list() const;

  /// The step after `t` in `timesteps()`, or -1 after the last one.
  int64_t previous_timestep(int64_t t) const;

  /// One DDIM step from x_t to x_prev (Song et al. eq. 12). `noise` (the sample's shape) is used
  /// when eta > 0; when undefined it is drawn from `generator` (or the default generator).
  DDPMSchedulerOutput step(const at::Tensor& model_output, int64_t t, const at::Tensor& sample,
                           const at::Tensor& noise = {},
                           std::optional<at::Generator> generator = std::nullopt) const;

  /// q(x_t | x0): sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise, `t` int64 [B] or scalar.
  at::Tensor add_noise(const at::Tensor& original_samples, const at::Tensor& noise,
                       const at::Tensor& t) const;

  /// The v-prediction target sqrt(alpha_bar_t) noise - sqrt(1 - alpha_bar_t) sample.
  at::Tensor get_velocity(const at::Tensor& sample, const at::Tensor& noise,
                          const at::Tensor& t) const;

  /// Writes the configuration as diffusers' `save_config` does: `path` names the JSON file, or a
  /// folder that receives scheduler_config.json. Keys sorted, with `_class_name` "DDIMScheduler";
  /// diffusers' `DDIMScheduler.from_pretrained(folder)` loads it. `eta` and
  /// `use_clipped_model_output` are not written: diffusers passes them to `step`. Example:
  /// `scheduler->save_config("out/scheduler");`
  void save_config(const std::string& path) const;

  /// The configuration as save_config writes it.
  /// Example: `std::cout << scheduler->config_json();`
  std::string config_json() const;

  /// `infozoo::models::DDIMScheduler(num_train_timesteps=1000, beta_schedule=linear, eta=0, ...)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  DDIMSchedulerOptions options;
  at::Tensor betas;           ///< beta_t, [T]
  at::Tensor alphas;          ///< 1 - beta_t, [T]
  at::Tensor alphas_cumprod;  ///< alpha_bar_t, [T]

 private:
  at::Tensor timesteps_;
  int64_t num_inference_steps_ = 0;  // 0: set_timesteps not called
};

/// A ModuleHolder for DDIMSchedulerImpl, as `TORCH_MODULE(DDIMScheduler)` declares it, plus
/// diffusers' `from_config`. Example: `DDIMScheduler scheduler;`
class DDIMScheduler : public torch::nn::ModuleHolder<DDIMSchedulerImpl> {
 public:
  using torch::nn::ModuleHolder<DDIMSchedulerImpl>::ModuleHolder;
  /// The implementation type, as TORCH_MODULE names it.
  using Impl = DDIMSchedulerImpl;

  /// Reads diffusers' scheduler_config.json: `path` is the file, or the folder that holds it
  /// (diffusers' `save_config(folder)` writes one). Keys this scheduler does not have are ignored
  /// and, when `ignored_keys` is given, listed there (diffusers' "_..." keys are skipped
  /// silently). A value of the wrong type, a bad name (e.g. beta_schedule "cosine") or JSON that
  /// does not parse is a c10::Error that names the file and the key.
  /// Example:
  /// ```
  ///   std::vector<std::string> ignored;
  ///   auto scheduler = DDIMScheduler::from_config("model/scheduler", &ignored);
  /// ```
  static DDIMScheduler from_config(const std::string& path,
                                   std::vector<std::string>* ignored_keys = nullptr);
};

}  // namespace infozoo::models
