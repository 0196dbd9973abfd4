// SPDX-License-Identifier: BSD-3-Clause
// diffusers 0.25.1 (scheduling_ddpm.py, scheduling_ddim.py) op for op: 0-d float32 tensors and
// `** 0.5` as pow, so every float32 result rounds as diffusers' does.
#include "diffusers_common.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace infozoo::models::detail {
namespace {

const std::set<std::string> kSchedules = {"linear", "scaled_linear", "squaredcos_cap_v2",
                                          "sigmoid"};
const std::set<std::string> kSpacings = {"leading", "trailing", "linspace"};

// betas_for_alpha_bar(T) with the cosine alpha_bar: Python floats (double), then float32.
at::Tensor squaredcos_cap_v2_betas(int64_t steps) {
  auto alpha_bar = [](double t) {
    const double c = std::cos((t + 0.008) / 1.008 * M_PI / 2);
    return c * c;
  };
  std::vector<double> betas(steps);
  for (int64_t i = 0; i < steps; ++i) {
    const double t1 = static_cast<double>(i) / static_cast<double>(steps);
    const double t2 = static_cast<double>(i + 1) / static_cast<double>(steps);
    betas[i] = std::min(1 - alpha_bar(t2) / alpha_bar(t1), 0.999);
  }
  return at::tensor(betas, at::kDouble).to(at::kFloat);
}

// Lin et al. (2023), Algorithm 1, as diffusers' rescale_zero_terminal_snr.
at::Tensor rescale_zero_terminal_snr(const at::Tensor& betas) {
  auto sqrt_bar = at::cumprod(1.0 - betas, 0).sqrt();
  const auto first = sqrt_bar[0].clone(), last = sqrt_bar[-1].clone();
  sqrt_bar -= last;
  sqrt_bar *= first / (first - last);
  const auto bar = sqrt_bar.pow(2);
  return 1 - at::cat({bar.slice(0, 0, 1), bar.slice(0, 1) / bar.slice(0, 0, -1)});
}

// numpy's arange(start, stop, step) for doubles: start + i * (fl(start + step) - start).
std::vector<double> numpy_arange(double start, double stop, double step) {
  const auto n = static_cast<int64_t>(std::ceil((stop - start) / step));
  std::vector<double> out(std::max<int64_t>(n, 0));
  const double delta = (start + step) - start;
  for (int64_t i = 0; i < n; ++i) out[i] = i == 0 ? start : start + static_cast<double>(i) * delta;
  return out;
}

}  // namespace

void check_name(const char* scheduler, const char* option, const std::string& value,
                const std::set<std::string>& names) {
  if (names.count(value) == 1) return;
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  TORCH_CHECK(false, scheduler, ": ", option, " must be one of ", list, ", got '", value, "'");
}

at::Tensor diffusers_betas(const char* scheduler, int64_t T, double beta_start, double beta_end,
                           const std::string& schedule, const std::vector<double>& trained,
                           bool rescale_zero_snr) {
  TORCH_CHECK(T >= 1, scheduler, ": num_train_timesteps must be >= 1, got ", T);
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  at::Tensor b;
  if (!trained.empty()) {
    TORCH_CHECK(static_cast<int64_t>(trained.size()) == T, scheduler,
                ": trained_betas must hold num_train_timesteps = ", T, " values, got ",
                trained.size());
    for (const double beta : trained) {
      TORCH_CHECK(beta > 0 && beta <= 1, scheduler, ": trained_betas must be in (0, 1], got ",
                  beta);
    }
    b = at::tensor(trained, at::kDouble).to(at::kFloat);
  } else {
    check_name(scheduler, "beta_schedule", schedule, kSchedules);
    if (schedule != "squaredcos_cap_v2") {
      TORCH_CHECK(beta_start > 0 && beta_start <= beta_end && beta_end < 1, scheduler,
                  ": need 0 < beta_start <= beta_end < 1, got beta_start=", beta_start,
                  ", beta_end=", beta_end);
    }
    if (schedule == "linear") {
      b = at::linspace(beta_start, beta_end, T, f32);
    } else if (schedule == "scaled_linear") {
      b = at::linspace(std::sqrt(beta_start), std::sqrt(beta_end), T, f32).pow(2);
    } else if (schedule == "squaredcos_cap_v2") {
      b = squaredcos_cap_v2_betas(T);
    } else {
      b = at::sigmoid(at::linspace(-6, 6, T, f32)) * (beta_end - beta_start) + beta_start;
    }
  }
  return rescale_zero_snr ? rescale_zero_terminal_snr(b) : b;
}

std::vector<int64_t> inference_grid(const char* scheduler, int64_t T, int64_t n,
                                    const std::string& spacing, int64_t offset) {
  check_name(scheduler, "timestep_spacing", spacing, kSpacings);
  TORCH_CHECK(n >= 1 && n <= T, scheduler, "::set_timesteps: num_inference_steps must be in [1, ",
              T, "] (num_train_timesteps), got ", n);
  std::vector<int64_t> grid;
  if (spacing == "linspace") {
    // np.linspace(0, T - 1, n).round()[::-1]: i * step, the last exactly T - 1; half to even.
    const double step = n > 1 ? static_cast<double>(T - 1) / static_cast<double>(n - 1) : 0.0;
    for (int64_t i = n - 1; i >= 0; --i) {
      const double v = (i == n - 1 && n > 1) ? static_cast<double>(T - 1) : i * step;
      grid.push_back(static_cast<int64_t>(std::nearbyint(v)));
    }
  } else if (spacing == "leading") {
    const int64_t ratio = T / n;
    for (int64_t i = n - 1; i >= 0; --i) grid.push_back(i * ratio + offset);
  } else {  // trailing: np.round(np.arange(T, 0, -T / n)) - 1
    const double ratio = static_cast<double>(T) / static_cast<double>(n);
    for (const double v : numpy_arange(static_cast<double>(T), 0.0, -ratio)) {
      grid.push_back(static_cast<int64_t>(std::nearbyint(v)) - 1);
    }
  }
  return grid;
}

int64_t next_on_grid(const at::Tensor& grid, int64_t t, int64_t T, int64_t n) {
  const int64_t* begin = grid.data_ptr<int64_t>();
  const int64_t* end = begin + grid.numel();
  const int64_t* it = std::find(begin, end, t);
  if (it != end) return it + 1 == end ? -1 : *(it + 1);
  return t - T / (n > 0 ? n : T);
}

at::Tensor predict_original_sample(const std::string& prediction, const at::Tensor& model_output,
                                   const at::Tensor& sample, const at::Tensor& alpha_prod_t) {
  const auto beta_prod_t = 1 - alpha_prod_t;
  if (prediction == "epsilon") {
    return (sample - beta_prod_t.pow(0.5) * model_output) / alpha_prod_t.pow(0.5);
  }
  if (prediction == "sample") return model_output;
  return alpha_prod_t.pow(0.5) * sample - beta_prod_t.pow(0.5) * model_output;  // v_prediction
}

at::Tensor threshold_or_clip(const at::Tensor& x0, bool thresholding, double ratio,
                             double max_value, bool clip, double range) {
  if (thresholding) {
    const auto flat = x0.reshape({x0.size(0), -1});
    const auto s = at::quantile(flat.abs(), ratio, 1).clamp(1, max_value).unsqueeze(1);
    return (at::max(at::min(flat, s), -s) / s).reshape(x0.sizes());
  }
  return clip ? x0.clamp(-range, range) : x0;
}

at::Tensor noise_mix(const char* caller, const at::Tensor& alphas_cumprod, const at::Tensor& x,
                     const at::Tensor& y, const at::Tensor& t, double sign) {
  TORCH_CHECK(x.defined() && y.defined() && x.sizes() == y.sizes(), caller,
              ": the two tensors must have one shape, got ", x.sizes(), " and ", y.sizes());
  TORCH_CHECK(t.defined() && !t.is_floating_point(), caller, ": t must hold integers, got ",
              t.defined() ? toString(t.scalar_type()) : "undefined");
  const auto ac = alphas_cumprod.to(x.device(), x.scalar_type());
  const auto at_t = ac.index({t.to(x.device())});
  auto per_sample = [&](const at::Tensor& v) {
    auto out = v.flatten();
    while (out.dim() < x.dim()) out = out.unsqueeze(-1);
    return out;
  };
  return per_sample(at_t.pow(0.5)) * x + sign * per_sample((1 - at_t).pow(0.5)) * y;
}

}  // namespace infozoo::models::detail
