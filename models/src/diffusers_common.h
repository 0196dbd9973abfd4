// SPDX-License-Identifier: BSD-3-Clause
// What DDPMScheduler and DDIMScheduler share, written as diffusers 0.25.1 writes it: the beta
// schedules, the inference grids, x0 from the model output, clipping and dynamic thresholding,
// and the per-sample coefficients of add_noise / get_velocity.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace infozoo::models::detail {

/// An error "<scheduler>: <option> must be one of a, b, c, got '<value>'" unless value is a name.
void check_name(const char* scheduler, const char* option, const std::string& value,
                const std::set<std::string>& names);

/// The checks DDPMSchedulerOptions and DDIMSchedulerOptions share (same member names); every
/// error names the option.
template <typename Options>
void check_common_options(const char* scheduler, const Options& o) {
  const int64_t T = o.num_train_timesteps();
  TORCH_CHECK(T >= 1, scheduler, ": num_train_timesteps must be >= 1, got ", T);
  check_name(scheduler, "prediction_type", o.prediction_type(),
             {"epsilon", "sample", "v_prediction"});
  check_name(scheduler, "timestep_spacing", o.timestep_spacing(),
             {"leading", "trailing", "linspace"});
  TORCH_CHECK(o.clip_sample_range() > 0, scheduler, ": clip_sample_range must be > 0, got ",
              o.clip_sample_range());
  TORCH_CHECK(o.dynamic_thresholding_ratio() > 0 && o.dynamic_thresholding_ratio() <= 1, scheduler,
              ": dynamic_thresholding_ratio must be in (0, 1], got ",
              o.dynamic_thresholding_ratio());
  TORCH_CHECK(o.sample_max_value() >= 1, scheduler, ": sample_max_value must be >= 1, got ",
              o.sample_max_value());
  TORCH_CHECK(o.steps_offset() >= 0 && o.steps_offset() < T, scheduler,
              ": steps_offset must be in [0, num_train_timesteps), got ", o.steps_offset());
}

/// The float32 [T] betas of diffusers' schedulers (linear, scaled_linear, squaredcos_cap_v2,
/// sigmoid, or `trained` when not empty), rescaled to zero terminal SNR when asked.
at::Tensor diffusers_betas(const char* scheduler, int64_t T, double beta_start, double beta_end,
                           const std::string& schedule, const std::vector<double>& trained,
                           bool rescale_zero_snr);

/// set_timesteps(n)'s grid in sampling order: "leading" (+ offset), "trailing" or "linspace".
std::vector<int64_t> inference_grid(const char* scheduler, int64_t T, int64_t n,
                                    const std::string& spacing, int64_t offset);

/// The entry after `t` in `grid` (int64 [n], sampling order), -1 after the last; off the grid,
/// t - T // n (n = 0: set_timesteps not called, T).
int64_t next_on_grid(const at::Tensor& grid, int64_t t, int64_t T, int64_t n);

/// x0 from the model output: "epsilon", "sample" or "v_prediction" (0-d float32 alpha_bar_t).
at::Tensor predict_original_sample(const std::string& prediction, const at::Tensor& model_output,
                                   const at::Tensor& sample, const at::Tensor& alpha_prod_t);

/// Imagen's dynamic thresholding (per sample at the `ratio` quantile of |x0|, clamped to
/// [1, max_value], then divided by it) when `thresholding`, else clamping to +-range when `clip`.
at::Tensor threshold_or_clip(const at::Tensor& x0, bool thresholding, double ratio,
                             double max_value, bool clip, double range);

/// a * x + b * y with a = sqrt(alpha_bar_t), b = sign * sqrt(1 - alpha_bar_t) per sample:
/// add_noise (x = x0, y = noise, sign +1) and get_velocity (x = noise, y = sample, sign -1).
at::Tensor noise_mix(const char* caller, const at::Tensor& alphas_cumprod, const at::Tensor& x,
                     const at::Tensor& y, const at::Tensor& t, double sign);

}  // namespace infozoo::models::detail
