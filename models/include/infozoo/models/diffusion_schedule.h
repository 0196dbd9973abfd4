// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// The forward (noising) process of a diffusion model and how much information about x0 survives
/// it (seed section 8): q(x_t | x0) = N(sqrt(alpha_bar_t) x0, (1 - alpha_bar_t) I) with
/// alpha_bar_t = prod_{s<=t} (1 - beta_s) (Ho et al. 2020, DDPM). Seen as a Gaussian channel of
/// signal-to-noise ratio SNR_t = alpha_bar_t / (1 - alpha_bar_t), the mutual information per
/// (unit-variance Gaussian) dimension is at most 0.5 log(1 + SNR_t) nats (Shannon's capacity).
/// Schedules: the seed's linear one; cosine (Nichol & Dhariwal 2021, "Improved DDPM", eq. 17);
/// scaled-linear (Stable Diffusion: linear in sqrt(beta)).
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <ostream>

namespace infozoo::models {

/// How beta_t grows with t.
/// Example: `DiffusionScheduleOptions(1000).schedule(BetaSchedule::kCosine)`.
enum class BetaSchedule {
  kLinear,        ///< the seed's: torch.linspace(beta_start, beta_end, T)
  kCosine,        ///< alpha_bar(t) = cos^2(((t/T) + s) / (1 + s) * pi/2), s = 0.008; betas <= 0.999
  kScaledLinear,  ///< linspace(sqrt(beta_start), sqrt(beta_end), T)^2 (Stable Diffusion)
};

/// Writes the schedule's name: `linear`, `cosine` or `scaled_linear`.
/// Example: `std::cout << BetaSchedule::kCosine;` prints `cosine`.
std::ostream& operator<<(std::ostream& stream, BetaSchedule schedule);

/// Length and shape of a noise schedule.
/// Example:
/// `DiffusionScheduleOptions(1000).beta_start(1e-4).beta_end(0.02).schedule(BetaSchedule::kCosine)`.
struct DiffusionScheduleOptions {
  /// `steps` diffusion steps, the other options at their defaults (the seed's linear schedule).
  /* implicit */ DiffusionScheduleOptions(int64_t steps)  // NOLINT(google-explicit-constructor)
      : steps_(steps) {}
  /// Number of diffusion steps T (>= 1); t runs over 0 .. T-1.
  TORCH_ARG(int64_t, steps);
  /// beta_0, in (0, 1). Used by the linear and scaled-linear schedules, not by the cosine one.
  TORCH_ARG(double, beta_start) = 1e-4;
  /// beta_{T-1}, in [beta_start, 1). Used by the linear and scaled-linear schedules.
  TORCH_ARG(double, beta_end) = 0.02;
  /// How beta_t grows with t.
  TORCH_ARG(BetaSchedule, schedule) = BetaSchedule::kLinear;
};

/// The T betas of `options`' schedule as a float32 [T] tensor on the CPU. The linear schedule is
/// the seed's `torch.linspace(beta_start, beta_end, T)` to the last bit; the cosine one is computed
/// in float64 (as the paper's code) and rounded once.
/// Example: `diffusion_betas(DiffusionScheduleOptions(1000))[999]` is 0.02.
at::Tensor diffusion_betas(const DiffusionScheduleOptions& options);

/// Signal-to-noise ratio alpha_bar / (1 - alpha_bar), elementwise (dimensionless): +inf where
/// alpha_bar = 1 (no noise yet), 0 where alpha_bar = 0 (a zero-terminal-SNR schedule).
/// Example: `signal_to_noise(at::tensor({0.5f}))` is 1.
at::Tensor signal_to_noise(const at::Tensor& alpha_bar);

/// Gaussian-channel capacity 0.5 log(1 + snr) in nats, the seed's upper bound on I(X0; Xt) per
/// dimension: 0 at snr = 0, +inf at snr = +inf. Computed as the seed writes it (log(1 + snr), not
/// log1p) so its float32 numbers match; below snr ~ 1e-3 that costs ~1e-7 / snr relative accuracy.
/// Example: `gaussian_channel_mi_upper_bound(at::tensor({1.0f}))` is 0.5 log 2 = 0.3466 nats.
at::Tensor gaussian_channel_mi_upper_bound(const at::Tensor& snr);

/// A noise schedule as a module whose float32 buffers `betas`, `alphas` (= 1 - betas) and
/// `alpha_bar` (cumulative product of alphas), all [T], travel with `.to(device)`, `clone()` and
/// `state_dict`. Example:
/// ```
///   DiffusionSchedule schedule(DiffusionScheduleOptions(1000));
///   auto mi = schedule->mi_upper_bound();                       // [1000], nats
///   auto xt = schedule->q_sample(x0, torch::full({B}, 500), torch::randn_like(x0));
/// ```
class DiffusionScheduleImpl : public torch::nn::Cloneable<DiffusionScheduleImpl> {
 public:
  /// Computes the schedule of `options` (checked: an error names the bad option).
  explicit DiffusionScheduleImpl(DiffusionScheduleOptions options);

  /// Registers the buffers `betas`, `alphas`, `alpha_bar`.
  void reset() override;

  /// alpha_bar / (1 - alpha_bar) for every t, [T].
  at::Tensor snr() const;

  /// 0.5 log(1 + SNR_t) in nats for every t, [T]: the seed's `mi_upper`.
  at::Tensor mi_upper_bound() const;

  /// Draws x_t ~ q(x_t | x0): sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise. `x0` and `noise`
  /// have the same shape [B, ...]; `t` holds integer steps in [0, T): a scalar (one t for all)
  /// or [B] (one per sample, broadcast over the trailing dimensions). Returns x0's dtype.
  at::Tensor q_sample(const at::Tensor& x0, const at::Tensor& t, const at::Tensor& noise) const;

  /// `infozoo::models::DiffusionSchedule(steps=1000, schedule=linear, beta_start=0.0001,
  /// beta_end=0.02)`; the cosine schedule, which uses no betas, shows none.
  void pretty_print(std::ostream& stream) const override;

  /// The options with which this module was built.
  DiffusionScheduleOptions options;
  at::Tensor betas;      ///< beta_t, [T]
  at::Tensor alphas;     ///< 1 - beta_t, [T]
  at::Tensor alpha_bar;  ///< prod_{s<=t} alphas_s, [T]
};

/// A ModuleHolder for DiffusionScheduleImpl. Example: `DiffusionSchedule schedule(1000);`
TORCH_MODULE(DiffusionSchedule);

}  // namespace infozoo::models
