// SPDX-License-Identifier: BSD-3-Clause
// `infozoo diffusion`: Information loss along a diffusion noise schedule (seed 8.3, the seed's
// `diffusion_info_analysis`): SNR and the Gaussian-channel MI bound at four steps, and the step
// where the bound falls fastest.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/models/diffusion_schedule.h"
#include "output/plot.h"
#include "output/to_doubles.h"

namespace infozoo::apps {
namespace {

// The options this subcommand reads, with the reference's defaults.
struct Options {
  int64_t steps = 1000;  // the seed's T = 1000
  double beta_start = 1e-4;
  double beta_end = 0.02;
  std::string out;  // PNG: log10 SNR and the MI bound against t
};

void add_options(CLI::App& app, Options& o) {
  app.add_option("--steps", o.steps, "Number of diffusion steps T")
      ->check(integer_in(2, kMaxSize))
      ->capture_default_str();
  app.add_option("--beta-start", o.beta_start, "First beta of the linear schedule, in (0, 1)")
      ->capture_default_str();
  app.add_option("--beta-end", o.beta_end, "Last beta of the linear schedule, in (beta-start, 1)")
      ->capture_default_str();
  add_out_option(app, o.out, "diffusion.png");
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

  // The reading: what the bound is, and how its loss spreads over the steps.
  const auto bound = to_doubles(mi);
  const auto snr_all = to_doubles(snr);
  const double first = bound.front(), total = first - bound.back();
  // The first steps where the bound is below half and a tenth of its value at t = 0.
  int64_t half_t = T - 1, tenth_t = T - 1;
  for (int64_t t = T - 1; t >= 0; --t) {
    if (bound[t] < 0.5 * first) half_t = t;
    if (bound[t] < 0.1 * first) tenth_t = t;
  }
  const int64_t early = std::max<int64_t>(1, T / 10);
  const double early_share = (first - bound[early]) / total;
  outcome.json["half_bound_t"] = half_t;
  outcome.json["tenth_bound_t"] = tenth_t;
  outcome.json["share_lost_in_first_tenth"] = early_share;
  outcome.text += fmt::format(
      "\nSNR(t) = alpha_bar / (1 - alpha_bar) for the linear betas {:g} to {:g} over T = {} "
      "steps (a ratio of variances, no unit). The MI bound 0.5 log(1 + SNR) nats per dimension is "
      "I(X0; Xt) for a unit-variance Gaussian X0 and an upper bound for any X0 of that "
      "variance. It falls to half of its t = 0 value by t = {} and to a tenth by t = {}; the "
      "first tenth of the steps (t < {}) removes {:.0f}% of it. The seed's \"fastest loss\" step "
      "is t = {}: the bound drops most per step where SNR is largest, {}.\n",
      o.beta_start, o.beta_end, T, half_t, tenth_t, early, 100 * early_share, peak_loss_t,
      peak_loss_t < early ? "so by this measure the early, nearly clean steps matter most"
                          : "past the first tenth of the steps");
  if (!o.out.empty()) {
    using Style = plot::Series::Style;
    std::vector<double> t_axis(static_cast<size_t>(T)), log_snr(static_cast<size_t>(T));
    for (int64_t t = 0; t < T; ++t) {
      t_axis[t] = static_cast<double>(t);
      log_snr[t] = std::log10(snr_all[t]);
    }
    plot::Figure figure(o.out, /*width=*/1600, /*height=*/600, /*panels=*/2);
    figure.series({{"log10 SNR(t)", t_axis, log_snr, Style::kLine}},
                  {"Signal-to-noise ratio along the schedule", "step t", "log10 SNR (no unit)"});
    figure.series({{"0.5 log(1 + SNR(t))", t_axis, bound, Style::kLine},
                   {"half of its t = 0 value",
                    {0.0, static_cast<double>(T - 1)},
                    {0.5 * first, 0.5 * first},
                    Style::kDashed}},
                  {"MI bound I(X0; Xt) per dimension", "step t", "MI bound (nats)"});
    figure.save();
    outcome.text += fmt::format("SNR and the MI bound against t drawn to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand diffusion_experiment() {
  return make_subcommand<Options>("diffusion",
                                  "Information loss along a diffusion noise schedule (seed 8.3)",
                                  add_options, run);
}

}  // namespace infozoo::apps
