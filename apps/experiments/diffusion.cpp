// SPDX-License-Identifier: BSD-3-Clause
// `infozoo diffusion`: Information loss along a diffusion noise schedule (seed 8.3, the seed's
// `diffusion_info_analysis`): SNR and the Gaussian-channel MI bound at four steps, and the step
// where the bound falls fastest.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <array>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/models/diffusion_schedule.h"

namespace infozoo::apps {
namespace {

// The options this subcommand reads, with the reference's defaults.
struct Options {
  int64_t steps = 1000;  // the seed's T = 1000
  double beta_start = 1e-4;
  double beta_end = 0.02;
};

void add_options(CLI::App& app, Options& o) {
  app.add_option("--steps", o.steps, "Number of diffusion steps T")
      ->check(integer_in(2, kMaxSize))
      ->capture_default_str();
  app.add_option("--beta-start", o.beta_start, "First beta of the linear schedule, in (0, 1)")
      ->capture_default_str();
  app.add_option("--beta-end", o.beta_end, "Last beta of the linear schedule, in (beta-start, 1)")
      ->capture_default_str();
}

void check(const Options& o) {
  // `!(x > 0 && x < 1)` also rejects NaN.
  if (!(o.beta_start > 0 && o.beta_start < 1)) {
    throw UsageError(fmt::format("--beta-start must be in (0, 1), got {}", o.beta_start));
  }
  if (!(o.beta_end > 0 && o.beta_end < 1)) {
    throw UsageError(fmt::format("--beta-end must be in (0, 1), got {}", o.beta_end));
  }
  if (o.beta_start >= o.beta_end) {
    throw UsageError(
        fmt::format("--beta-start must be less than --beta-end, got --beta-start {} "
                    "and --beta-end {}",
                    o.beta_start, o.beta_end));
  }
}

Outcome run(const RunContext& context, const Options& o) {
  check(o);
  const int64_t T = o.steps;
  models::DiffusionSchedule schedule(
      models::DiffusionScheduleOptions(T).beta_start(o.beta_start).beta_end(o.beta_end));
  schedule->to(context.device);
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

Subcommand diffusion_experiment() {
  return make_subcommand<Options>("diffusion",
                                  "Information loss along a diffusion noise schedule (seed 8.3)",
                                  add_options, run);
}

}  // namespace infozoo::apps
