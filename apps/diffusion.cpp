// `infozoo diffusion`: Information loss along a diffusion noise schedule (seed 8.3, the seed's
// `diffusion_info_analysis`): SNR and the Gaussian-channel MI bound at four steps, and the step
// where the bound falls fastest.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <array>

#include "experiments.h"
#include "infozoo/models/diffusion_schedule.h"

namespace infozoo::apps {
namespace {

void add_options(CLI::App& app, Settings& s) {
  app.add_option("--steps", s.steps, "Number of diffusion steps T (>= 2)")->capture_default_str();
  app.add_option("--beta-start", s.beta_start, "First beta of the linear schedule, in (0, 1)")
      ->capture_default_str();
  app.add_option("--beta-end", s.beta_end, "Last beta of the linear schedule, in (beta-start, 1)")
      ->capture_default_str();
}

void check(const Settings& s) {
  if (s.steps < 2) {
    throw UsageError(fmt::format("--steps must be >= 2, got {}", s.steps));
  }
  // `!(x > 0 && x < 1)` also rejects NaN.
  if (!(s.beta_start > 0 && s.beta_start < 1)) {
    throw UsageError(fmt::format("--beta-start must be in (0, 1), got {}", s.beta_start));
  }
  if (!(s.beta_end > 0 && s.beta_end < 1)) {
    throw UsageError(fmt::format("--beta-end must be in (0, 1), got {}", s.beta_end));
  }
  if (s.beta_start >= s.beta_end) {
    throw UsageError(fmt::format("--beta-start must be less than --beta-end, got --beta-start {} "
                                 "and --beta-end {}",
                                 s.beta_start, s.beta_end));
  }
}

Outcome run(const Settings& s) {
  check(s);
  const int64_t T = s.steps;
  models::DiffusionSchedule schedule(
      models::DiffusionScheduleOptions(T).beta_start(s.beta_start).beta_end(s.beta_end));
  schedule->to(s.resolved_device);
  const auto snr = schedule->snr().cpu();
  const auto mi_upper = schedule->mi_upper_bound();
  // The seed's "fastest information loss": the largest drop of the bound between steps.
  const int64_t peak_loss_t = (-at::diff(mi_upper)).argmax().item<int64_t>();
  const auto mi = mi_upper.cpu();

  // The seed prints t = 0, 250, 500, 999 for T = 1000, each with its own precision.
  const std::array<int64_t, 4> at_t = {0, T / 4, T / 2, T - 1};
  const std::array<int, 4> snr_digits = {2, 4, 6, 8};
  const std::array<int, 4> mi_digits = {4, 4, 4, 6};
  Outcome outcome;
  std::vector<double> snr_at, mi_at;
  for (size_t i = 0; i < at_t.size(); ++i) {
    snr_at.push_back(snr[at_t[i]].item<float>());
    mi_at.push_back(mi[at_t[i]].item<float>());
    outcome.text += fmt::format("t={}: SNR={:.{}f}, MI upper bound={:.{}f} nats\n", at_t[i],
                                snr_at.back(), snr_digits[i], mi_at.back(), mi_digits[i]);
  }
  outcome.text += fmt::format("\nStep with the fastest information loss: t={}\n", peak_loss_t);
  outcome.text += "Sampling around this step is the most critical for DDPM\n";
  outcome.json = {{"t", at_t}, {"snr", snr_at}, {"mi_upper", mi_at}, {"peak_loss_t", peak_loss_t}};
  return outcome;
}

}  // namespace

Experiment diffusion_experiment() {
  return {"diffusion", "Information loss along a diffusion noise schedule (seed 8.3)", add_options,
          run};
}

}  // namespace infozoo::apps
