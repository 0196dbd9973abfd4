// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The reverse diffusion process of DDPM (Ho et al. 2020) with the semantics of Hugging Face
/// diffusers' `DDPMScheduler` (0.25.1): the same configuration names and defaults, the same
/// `set_timesteps` grids and the same `step`, to float32 rounding
/// (tests/diffusers_schedulers_test.cpp against tests/generators/diffusers_ddpm.py). Where infozoo
/// differs from diffusers, on purpose:
/// - `previous_timestep(t)` is the next entry of `timesteps()` (or -1 after the last). diffusers
///   subtracts T // n, which is not the previous grid point of the "linspace" and "trailing"
///   spacings when n does not divide T (diffusers issues 12633, 11347); for "leading" spacing and
///   before `set_timesteps` the two agree.
/// - `fixed_large_log` variance: diffusers returns log(beta_t) from `_get_variance` and then takes
///   its square root in `step`, which is NaN (diffusers issue 14569); here its standard deviation
///   is exp(0.5 log beta_t) = sqrt(beta_t), as `fixed_large`.
/// "squaredcos_cap_v2" is the cosine schedule of Nichol & Dhariwal (2021), eq. 17, with betas
/// capped at 0.999, computed as diffusers does (per step in float64, then rounded to float32).
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

namespace infozoo::models {

/// Options of `DDPMScheduler`, named and defaulted as diffusers' `DDPMScheduler.__init__`.
/// Example:
/// `DDPMSchedulerOptions().beta_schedule("squaredcos_cap_v2").prediction_type("v_prediction")`.
struct DDPMSchedulerOptions {
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
  /// "fixed_small", "fixed_small_log", "fixed_large", "fixed_large_log", "learned" or
  /// "learned_range" (the last two read the model output's second half of channels).
  TORCH_ARG(std::string, variance_type) = "fixed_small";
  /// Clamp the predicted x0 to [-clip_sample_range, clip_sample_range] (unless thresholding).
  TORCH_ARG(bool, clip_sample) = true;
  /// "epsilon" (the noise), "sample" (x0) or "v_prediction" (v = sqrt(a) eps - sqrt(1 - a) x0).
  TORCH_ARG(std::string, prediction_type) = "epsilon";
  /// Imagen's dynamic thresholding of the predicted x0 (per sample, at a quantile of |x0|).
  TORCH_ARG(bool, thresholding) = false;
  /// The quantile of |x0| that dynamic thresholding clamps to, in (0, 1].
  TORCH_ARG(double, dynamic_thresholding_ratio) = 0.995;
  /// The bound of `clip_sample`, > 0.
  TORCH_ARG(double, clip_sample_range) = 1.0;
  /// The largest threshold of dynamic thresholding, >= 1.
  TORCH_ARG(double, sample_max_value) = 1.0;
  /// How `set_timesteps(n)` spaces its n steps: "leading", "trailing" or "linspace".
  TORCH_ARG(std::string, timestep_spacing) = "leading";
  /// Added to every "leading" timestep (Stable Diffusion uses 1).
  TORCH_ARG(int64_t, steps_offset) = 0;
  /// Rescale the betas to zero terminal SNR (Lin et al. 2023, Algorithm 1): alpha_bar_{T-1} = 0.
  TORCH_ARG(bool, rescale_betas_zero_snr) = false;
};

/// What one `step` returns. Example: `auto out = scheduler->step(eps, t, x); x = out.prev_sample;`
struct DDPMSchedulerOutput {
  /// x_{t-1}: the posterior mean plus the variance's noise (none at t = 0).
  at::Tensor prev_sample;
  /// The model's estimate of x0 (after clipping or thresholding).
  at::Tensor pred_original_sample;
};

/// diffusers' `DDPMScheduler` as a module: float32 buffers `betas`, `alphas`, `alphas_cumprod`
/// ([T]) travel with `.to(device)`; `timesteps()` is an int64 tensor in the order the sampling
/// loop runs. Example:
/// ```
///   DDPMScheduler scheduler(DDPMSchedulerOptions().num_train_timesteps(1000));
///   scheduler->set_timesteps(50);
///   auto x = torch::randn({16, 2});
///   for (int64_t t : scheduler->timestep_list()) x = scheduler->step(model(x, t), t,
///   x).prev_sample;
/// ```
class DDPMSchedulerImpl : public torch::nn::Cloneable<DDPMSchedulerImpl> {
 public:
  /// Checks `options` (an error names the bad option) and builds the schedule.
  explicit DDPMSchedulerImpl(DDPMSchedulerOptions options = {});

  /// Registers `betas`, `alphas`, `alphas_cumprod`; the timesteps are T-1, ..., 0 again.
  void reset() override;

  /// The inference grid of `num_inference_steps` steps (1 <= n <= T) in `timestep_spacing`.
  void set_timesteps(int64_t num_inference_steps);

  /// The timesteps in sampling order (int64, on the CPU).
  const at::Tensor& timesteps() const { return timesteps_; }

  /// The same as a vector, for a `for` loop.
  std::vector<int64_t> timestep_list() const;

  /// The step after `t` in `timesteps()`, or -1 after the last one (see the file comment for how
  /// this differs from diffusers); a `t` not on the grid steps back by T // n.
  int64_t previous_timestep(int64_t t) const;

  /// One reverse step from x_t (`sample`) to x_{t-1}. `model_output` has the sample's shape, or
  /// twice its channels (dimension 1) for the learned variances. `noise` (the sample's shape) is
  /// the variance's standard normal draw; when undefined it is drawn from `generator` (or the
  /// default generator). Returns the sample's dtype.
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
  /// folder that receives scheduler_config.json. Keys sorted, with `_class_name` "DDPMScheduler";
  /// diffusers' `DDPMScheduler.from_pretrained(folder)` loads it.
  /// Example: `scheduler->save_config("out/scheduler");`
  void save_config(const std::string& path) const;

  /// The configuration as save_config writes it.
  /// Example: `std::cout << scheduler->config_json();`
  std::string config_json() const;

  /// `infozoo::models::DDPMScheduler(num_train_timesteps=1000, beta_schedule=linear, ...)`.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  DDPMSchedulerOptions options;
  at::Tensor betas;           ///< beta_t, [T]
  at::Tensor alphas;          ///< 1 - beta_t, [T]
  at::Tensor alphas_cumprod;  ///< alpha_bar_t = prod_{s<=t} alphas_s, [T]

 private:
  // The standard deviation of the step's noise (diffusers' _get_variance, then its square root
  // or exp(0.5 *) in step), from the alpha_bars step has already looked up.
  at::Tensor variance_std(const at::Tensor& alpha_prod_t, const at::Tensor& alpha_prod_t_prev,
                          const at::Tensor& predicted_variance) const;

  at::Tensor timesteps_;
  int64_t num_inference_steps_ = 0;  // 0: set_timesteps not called
};

/// A ModuleHolder for DDPMSchedulerImpl, as `TORCH_MODULE(DDPMScheduler)` declares it, plus
/// diffusers' `from_config`. Example: `DDPMScheduler scheduler;`
class DDPMScheduler : public torch::nn::ModuleHolder<DDPMSchedulerImpl> {
 public:
  using torch::nn::ModuleHolder<DDPMSchedulerImpl>::ModuleHolder;
  /// The implementation type, as TORCH_MODULE names it.
  using Impl = DDPMSchedulerImpl;

  /// Reads diffusers' scheduler_config.json: `path` is the file, or the folder that holds it
  /// (diffusers' `save_config(folder)` writes one). Keys this scheduler does not have are ignored
  /// and, when `ignored_keys` is given, listed there (diffusers' "_..." keys are skipped
  /// silently). A value of the wrong type, a bad name (e.g. beta_schedule "cosine") or JSON that
  /// does not parse is a c10::Error that names the file and the key.
  /// Example:
  /// ```
  ///   std::vector<std::string> ignored;
  ///   auto scheduler = DDPMScheduler::from_config("model/scheduler", &ignored);
  /// ```
  static DDPMScheduler from_config(const std::string& path,
                                   std::vector<std::string>* ignored_keys = nullptr);
};

}  // namespace infozoo::models
