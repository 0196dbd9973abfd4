// SPDX-License-Identifier: BSD-3-Clause
// diffusers 0.25.1's scheduling_ddpm.py, op for op (0-d float32 tensors, `** 0.5` as pow), so
// that every float32 result rounds as diffusers' does; the two departures are in the header.
#include "infozoo/models/ddpm_scheduler.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace infozoo::models {
namespace {

const std::set<std::string> kSchedules = {"linear", "scaled_linear", "squaredcos_cap_v2",
                                          "sigmoid"};
const std::set<std::string> kVariances = {"fixed_small",     "fixed_small_log", "fixed_large",
                                          "fixed_large_log", "learned",         "learned_range"};
const std::set<std::string> kPredictions = {"epsilon", "sample", "v_prediction"};
const std::set<std::string> kSpacings = {"leading", "trailing", "linspace"};

std::string one_of(const std::set<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

void check_name(const std::string& option, const std::string& value,
                const std::set<std::string>& names) {
  TORCH_CHECK(names.count(value) == 1, "DDPMScheduler: ", option, " must be one of ", one_of(names),
              ", got '", value, "'");
}

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
  const auto alphas = 1.0 - betas;
  auto sqrt_bar = at::cumprod(alphas, 0).sqrt();
  const auto first = sqrt_bar[0].clone(), last = sqrt_bar[-1].clone();
  sqrt_bar -= last;
  sqrt_bar *= first / (first - last);
  const auto bar = sqrt_bar.pow(2);
  const auto rescaled = at::cat({bar.slice(0, 0, 1), bar.slice(0, 1) / bar.slice(0, 0, -1)});
  return 1 - rescaled;
}

// numpy's arange(start, stop, step) for doubles: start + i * (fl(start + step) - start).
std::vector<double> numpy_arange(double start, double stop, double step) {
  const auto n = static_cast<int64_t>(std::ceil((stop - start) / step));
  std::vector<double> out(std::max<int64_t>(n, 0));
  const double delta = (start + step) - start;
  for (int64_t i = 0; i < n; ++i) out[i] = i == 0 ? start : start + static_cast<double>(i) * delta;
  return out;
}

// Shapes [B] (or []) broadcast over the sample's trailing dimensions, as diffusers' unsqueezes.
at::Tensor per_sample(const at::Tensor& values, int64_t dims) {
  auto v = values.flatten();
  while (v.dim() < dims) v = v.unsqueeze(-1);
  return v;
}

}  // namespace

DDPMSchedulerImpl::DDPMSchedulerImpl(DDPMSchedulerOptions options_) : options(std::move(options_)) {
  reset();
}

void DDPMSchedulerImpl::reset() {
  const auto& o = options;
  const int64_t T = o.num_train_timesteps();
  TORCH_CHECK(T >= 1, "DDPMScheduler: num_train_timesteps must be >= 1, got ", T);
  check_name("variance_type", o.variance_type(), kVariances);
  check_name("prediction_type", o.prediction_type(), kPredictions);
  check_name("timestep_spacing", o.timestep_spacing(), kSpacings);
  TORCH_CHECK(o.clip_sample_range() > 0, "DDPMScheduler: clip_sample_range must be > 0, got ",
              o.clip_sample_range());
  TORCH_CHECK(o.dynamic_thresholding_ratio() > 0 && o.dynamic_thresholding_ratio() <= 1,
              "DDPMScheduler: dynamic_thresholding_ratio must be in (0, 1], got ",
              o.dynamic_thresholding_ratio());
  TORCH_CHECK(o.sample_max_value() >= 1, "DDPMScheduler: sample_max_value must be >= 1, got ",
              o.sample_max_value());
  TORCH_CHECK(o.steps_offset() >= 0 && o.steps_offset() < T,
              "DDPMScheduler: steps_offset must be in [0, num_train_timesteps), got ",
              o.steps_offset());
  const auto f32 = at::TensorOptions().dtype(at::kFloat);
  at::Tensor b;
  if (!o.trained_betas().empty()) {
    TORCH_CHECK(static_cast<int64_t>(o.trained_betas().size()) == T,
                "DDPMScheduler: trained_betas must hold num_train_timesteps = ", T, " values, got ",
                o.trained_betas().size());
    for (const double beta : o.trained_betas()) {
      TORCH_CHECK(beta > 0 && beta <= 1, "DDPMScheduler: trained_betas must be in (0, 1], got ",
                  beta);
    }
    b = at::tensor(o.trained_betas(), at::kDouble).to(at::kFloat);
  } else {
    check_name("beta_schedule", o.beta_schedule(), kSchedules);
    if (o.beta_schedule() != "squaredcos_cap_v2") {
      TORCH_CHECK(o.beta_start() > 0 && o.beta_start() <= o.beta_end() && o.beta_end() < 1,
                  "DDPMScheduler: need 0 < beta_start <= beta_end < 1, got beta_start=",
                  o.beta_start(), ", beta_end=", o.beta_end());
    }
    if (o.beta_schedule() == "linear") {
      b = at::linspace(o.beta_start(), o.beta_end(), T, f32);
    } else if (o.beta_schedule() == "scaled_linear") {
      b = at::linspace(std::sqrt(o.beta_start()), std::sqrt(o.beta_end()), T, f32).pow(2);
    } else if (o.beta_schedule() == "squaredcos_cap_v2") {
      b = squaredcos_cap_v2_betas(T);
    } else {
      b = at::sigmoid(at::linspace(-6, 6, T, f32)) * (o.beta_end() - o.beta_start()) +
          o.beta_start();
    }
  }
  if (o.rescale_betas_zero_snr()) b = rescale_zero_terminal_snr(b);
  betas = register_buffer("betas", b);
  alphas = register_buffer("alphas", 1.0 - b);
  alphas_cumprod = register_buffer("alphas_cumprod", at::cumprod(alphas, 0));
  timesteps_ = at::arange(T - 1, -1, -1, at::kLong);
  num_inference_steps_ = 0;
}

void DDPMSchedulerImpl::set_timesteps(int64_t n) {
  const int64_t T = options.num_train_timesteps();
  TORCH_CHECK(n >= 1 && n <= T, "DDPMScheduler::set_timesteps: num_inference_steps must be in [1, ",
              T, "] (num_train_timesteps), got ", n);
  std::vector<int64_t> grid;
  const std::string& spacing = options.timestep_spacing();
  if (spacing == "linspace") {
    // np.linspace(0, T - 1, n).round()[::-1]: i * step, the last exactly T - 1; half to even.
    const double step = n > 1 ? static_cast<double>(T - 1) / static_cast<double>(n - 1) : 0.0;
    for (int64_t i = n - 1; i >= 0; --i) {
      const double v = (i == n - 1 && n > 1) ? static_cast<double>(T - 1) : i * step;
      grid.push_back(static_cast<int64_t>(std::nearbyint(v)));
    }
  } else if (spacing == "leading") {
    const int64_t ratio = T / n;
    for (int64_t i = n - 1; i >= 0; --i) grid.push_back(i * ratio + options.steps_offset());
  } else {  // trailing: np.round(np.arange(T, 0, -T / n)) - 1
    const double ratio = static_cast<double>(T) / static_cast<double>(n);
    for (const double v : numpy_arange(static_cast<double>(T), 0.0, -ratio)) {
      grid.push_back(static_cast<int64_t>(std::nearbyint(v)) - 1);
    }
  }
  timesteps_ = at::tensor(grid, at::kLong);
  num_inference_steps_ = n;
}

std::vector<int64_t> DDPMSchedulerImpl::timestep_list() const {
  const auto* p = timesteps_.data_ptr<int64_t>();
  return {p, p + timesteps_.numel()};
}

int64_t DDPMSchedulerImpl::previous_timestep(int64_t t) const {
  const auto list = timestep_list();
  const auto it = std::find(list.begin(), list.end(), t);
  if (it != list.end()) return it + 1 == list.end() ? -1 : *(it + 1);
  const int64_t T = options.num_train_timesteps();
  return t - T / (num_inference_steps_ > 0 ? num_inference_steps_ : T);
}

at::Tensor DDPMSchedulerImpl::variance_std(int64_t t, const at::Tensor& predicted_variance) const {
  const int64_t prev_t = previous_timestep(t);
  const auto alpha_prod_t = alphas_cumprod[t];
  const auto alpha_prod_t_prev = prev_t >= 0 ? alphas_cumprod[prev_t] : at::ones_like(alpha_prod_t);
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

  at::Tensor x0;
  const std::string& prediction = options.prediction_type();
  if (prediction == "epsilon") {
    x0 = (sample - beta_prod_t.pow(0.5) * model_output) / alpha_prod_t.pow(0.5);
  } else if (prediction == "sample") {
    x0 = model_output;
  } else {
    x0 = alpha_prod_t.pow(0.5) * sample - beta_prod_t.pow(0.5) * model_output;
  }
  if (options.thresholding()) {
    // Imagen: s = the ratio-quantile of |x0| per sample, clamped to [1, sample_max_value].
    const auto flat = x0.reshape({x0.size(0), -1});
    const auto s = at::quantile(flat.abs(), options.dynamic_thresholding_ratio(), 1)
                       .clamp(1, options.sample_max_value())
                       .unsqueeze(1);
    x0 = (at::max(at::min(flat, s), -s) / s).reshape(x0.sizes());
  } else if (options.clip_sample()) {
    x0 = x0.clamp(-options.clip_sample_range(), options.clip_sample_range());
  }
  const auto x0_coeff = (alpha_prod_t_prev.pow(0.5) * current_beta_t) / beta_prod_t;
  const auto sample_coeff = current_alpha_t.pow(0.5) * beta_prod_t_prev / beta_prod_t;
  auto prev = x0_coeff * x0 + sample_coeff * sample;
  if (t > 0) {
    const auto z = noise.defined() ? noise
                                   : at::randn(model_output.sizes(),
                                               generator ? c10::optional<at::Generator>(*generator)
                                                         : c10::optional<at::Generator>(),
                                               model_output.options());
    prev = prev + variance_std(t, predicted_variance) * z;
  }
  return {prev, x0};
}

at::Tensor DDPMSchedulerImpl::add_noise(const at::Tensor& original_samples, const at::Tensor& noise,
                                        const at::Tensor& t) const {
  TORCH_CHECK(noise.sizes() == original_samples.sizes(),
              "DDPMScheduler::add_noise: noise must "
              "have the samples' shape ",
              original_samples.sizes(), ", got ", noise.sizes());
  TORCH_CHECK(!t.is_floating_point(), "DDPMScheduler::add_noise: t must hold integers, got ",
              t.scalar_type());
  const auto ac = alphas_cumprod.to(original_samples.device(), original_samples.scalar_type());
  const auto at_t = ac.index({t.to(original_samples.device())});
  const auto d = original_samples.dim();
  return per_sample(at_t.pow(0.5), d) * original_samples +
         per_sample((1 - at_t).pow(0.5), d) * noise;
}

at::Tensor DDPMSchedulerImpl::get_velocity(const at::Tensor& sample, const at::Tensor& noise,
                                           const at::Tensor& t) const {
  TORCH_CHECK(noise.sizes() == sample.sizes(),
              "DDPMScheduler::get_velocity: noise must have the "
              "sample's shape ",
              sample.sizes(), ", got ", noise.sizes());
  TORCH_CHECK(!t.is_floating_point(), "DDPMScheduler::get_velocity: t must hold integers, got ",
              t.scalar_type());
  const auto ac = alphas_cumprod.to(sample.device(), sample.scalar_type());
  const auto at_t = ac.index({t.to(sample.device())});
  const auto d = sample.dim();
  return per_sample(at_t.pow(0.5), d) * noise - per_sample((1 - at_t).pow(0.5), d) * sample;
}

void DDPMSchedulerImpl::pretty_print(std::ostream& stream) const {
  stream << "infozoo::models::DDPMScheduler(num_train_timesteps=" << options.num_train_timesteps()
         << ", beta_schedule="
         << (options.trained_betas().empty() ? options.beta_schedule() : "trained")
         << ", prediction_type=" << options.prediction_type()
         << ", variance_type=" << options.variance_type()
         << ", timestep_spacing=" << options.timestep_spacing() << ")";
}

}  // namespace infozoo::models
