// SPDX-License-Identifier: BSD-3-Clause
#include "infozoo/models/diffusion_schedule.h"

#include <ATen/ATen.h>

#include <cmath>
#include <vector>

namespace infozoo::models {
namespace {

constexpr double kCosineOffset = 0.008;  // s in Nichol & Dhariwal: keeps beta_0 from being ~0
constexpr double kMaxBeta = 0.999;       // their clip: beta_T = 1 would make alpha_bar_T exactly 0

void check_beta_range(const DiffusionScheduleOptions& o) {
  // `!(x > 0 && x < 1)` also rejects NaN.
  TORCH_CHECK(o.beta_start() > 0 && o.beta_start() < 1, "beta_start must be in (0, 1), got ",
              o.beta_start());
  TORCH_CHECK(o.beta_end() > 0 && o.beta_end() < 1, "beta_end must be in (0, 1), got ",
              o.beta_end());
  TORCH_CHECK(o.beta_start() <= o.beta_end(),
              "beta_start must not exceed beta_end, got beta_start=", o.beta_start(),
              ", beta_end=", o.beta_end());
}

at::Tensor cosine_betas(int64_t steps) {
  const auto t = at::arange(steps + 1, at::kDouble) / static_cast<double>(steps);  // [T+1]
  const auto f = at::cos((t + kCosineOffset) / (1 + kCosineOffset) * (M_PI / 2)).pow(2);
  // beta_t = 1 - alpha_bar(t+1) / alpha_bar(t); the last one is 1 (cos(pi/2) = 0) before the clip.
  const auto betas = 1 - f.slice(0, 1) / f.slice(0, 0, steps);
  return betas.clamp_max(kMaxBeta).to(at::kFloat);
}

}  // namespace

std::ostream& operator<<(std::ostream& stream, BetaSchedule schedule) {
  switch (schedule) {
    case BetaSchedule::kLinear:
      return stream << "linear";
    case BetaSchedule::kCosine:
      return stream << "cosine";
    case BetaSchedule::kScaledLinear:
      return stream << "scaled_linear";
  }
  return stream << "BetaSchedule(" << static_cast<int>(schedule) << ")";
}

at::Tensor diffusion_betas(const DiffusionScheduleOptions& options) {
  const auto steps = options.steps();
  TORCH_CHECK(steps >= 1, "steps must be >= 1, got ", steps);
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  switch (options.schedule()) {
    case BetaSchedule::kLinear:
      check_beta_range(options);
      return at::linspace(options.beta_start(), options.beta_end(), steps, f32);
    case BetaSchedule::kScaledLinear:
      check_beta_range(options);
      return at::linspace(std::sqrt(options.beta_start()), std::sqrt(options.beta_end()), steps,
                          f32)
          .pow(2);
    case BetaSchedule::kCosine:
      return cosine_betas(steps);
  }
  TORCH_CHECK(false, "schedule must be linear, cosine or scaled_linear, got ",
              static_cast<int>(options.schedule()));
}

at::Tensor signal_to_noise(const at::Tensor& alpha_bar) {
  TORCH_CHECK(alpha_bar.defined() && alpha_bar.is_floating_point(),
              "alpha_bar must be a floating point tensor, got ",
              alpha_bar.defined() ? toString(alpha_bar.scalar_type()) : "undefined");
  return alpha_bar / (1 - alpha_bar);
}

at::Tensor gaussian_channel_mi_upper_bound(const at::Tensor& snr) {
  TORCH_CHECK(snr.defined() && snr.is_floating_point(), "snr must be a floating point tensor, got ",
              snr.defined() ? toString(snr.scalar_type()) : "undefined");
  return 0.5 * at::log(1 + snr);
}

DiffusionScheduleImpl::DiffusionScheduleImpl(DiffusionScheduleOptions options)
    : options(std::move(options)) {
  reset();
}

void DiffusionScheduleImpl::reset() {
  const auto b = diffusion_betas(options);
  betas = register_buffer("betas", b);
  alphas = register_buffer("alphas", 1 - b);
  alpha_bar = register_buffer("alpha_bar", at::cumprod(alphas, /*dim=*/0));
}

at::Tensor DiffusionScheduleImpl::snr() const { return signal_to_noise(alpha_bar); }

at::Tensor DiffusionScheduleImpl::mi_upper_bound() const {
  return gaussian_channel_mi_upper_bound(snr());
}

at::Tensor DiffusionScheduleImpl::q_sample(const at::Tensor& x0, const at::Tensor& t,
                                           const at::Tensor& noise) const {
  TORCH_CHECK(x0.defined() && x0.dim() >= 1 && x0.is_floating_point(),
              "x0 must be a floating point tensor [B, ...], got ",
              x0.defined() ? x0.sizes() : at::IntArrayRef{});
  TORCH_CHECK(noise.defined() && noise.sizes() == x0.sizes(), "noise must have the shape of x0 ",
              x0.sizes(), ", got ", noise.defined() ? noise.sizes() : at::IntArrayRef{});
  TORCH_CHECK(x0.device() == alpha_bar.device() && noise.device() == alpha_bar.device(),
              "x0 and noise must be on the schedule's device ", alpha_bar.device(), ", got ",
              x0.device(), " and ", noise.device());
  TORCH_CHECK(
      t.defined() && !t.is_floating_point() && !t.is_complex() && t.scalar_type() != at::kBool,
      "t must be an integer tensor of steps, got ",
      t.defined() ? toString(t.scalar_type()) : "undefined");
  TORCH_CHECK(t.dim() == 0 || (t.dim() == 1 && t.size(0) == x0.size(0)),
              "t must be a scalar or have shape [B] = [", x0.size(0), "], got ", t.sizes());
  const auto steps = alpha_bar.size(0);
  if (t.numel() > 0) {
    // Checked here: an out-of-range index on CUDA is a device-side assert, not an error.
    const auto lo = t.min().item<int64_t>();
    const auto hi = t.max().item<int64_t>();
    TORCH_CHECK(lo >= 0 && hi < steps, "t must be in [0, ", steps, "), got values in [", lo, ", ",
                hi, "]");
  }
  const auto ab = alpha_bar.index_select(0, t.reshape({-1}).to(alpha_bar.device(), at::kLong))
                      .to(x0.scalar_type());  // [1] or [B]
  // [B] -> [B, 1, ..., 1] so each sample's coefficient broadcasts over its own dimensions.
  std::vector<int64_t> shape(x0.dim(), 1);
  shape[0] = ab.size(0);
  const auto ab_b = ab.reshape(shape);
  return at::sqrt(ab_b) * x0 + at::sqrt(1 - ab_b) * noise;
}

void DiffusionScheduleImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::models::DiffusionSchedule(steps=" << options.steps()
         << ", schedule=" << options.schedule();
  if (options.schedule() != BetaSchedule::kCosine) {
    stream << ", beta_start=" << options.beta_start() << ", beta_end=" << options.beta_end();
  }
  stream << ")";
}

}  // namespace infozoo::models
