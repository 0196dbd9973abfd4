// SPDX-License-Identifier: BSD-3-Clause
// `infozoo norms`: BatchNorm against LayerNorm (an interview question of the seed), from the
// statistics of LibTorch's own torch::nn::BatchNorm1d and torch::nn::LayerNorm outputs. A batch
// [B, F] whose features have different means and scales goes through each; BatchNorm makes every
// feature (column) mean 0, variance 1 over the batch, LayerNorm every sample (row) over its
// features. BatchNorm also ties each sample's output to the rest of the batch; LayerNorm does not.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/normalization.h>

#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "experiments/one_intra_op_thread.h"
#include "output/plot.h"
#include "output/to_doubles.h"

namespace infozoo::apps {
namespace {

struct Options {
  int64_t seed = 42;
  int64_t batch = 32;
  int64_t features = 8;
  std::string out;
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  app.add_option("--batch", o.batch, "Samples B in the batch (rows)")
      ->check(integer_in(2, int64_t{1} << 20, "for a variance over the batch"))
      ->capture_default_str();
  app.add_option("--features", o.features, "Features F of each sample (columns)")
      ->check(integer_in(2, int64_t{1} << 16, "for a variance over the features"))
      ->capture_default_str();
  add_out_option(app, o.out, "norms.png");
}

// How far one axis of y is from mean 0, variance 1 (biased, as both layers normalise).
struct AxisStats {
  double max_abs_mean = 0;
  double max_abs_var_error = 0;
};

AxisStats stats_along(const at::Tensor& y, int64_t dim) {
  const auto y64 = y.to(at::kDouble);
  const auto mean = y64.mean(dim);
  const auto var = y64.var(dim, /*unbiased=*/false);
  return {mean.abs().max().item<double>(), (var - 1).abs().max().item<double>()};
}

nlohmann::json stats_json(const AxisStats& s) {
  return {{"max_abs_mean", s.max_abs_mean}, {"max_abs_var_minus_1", s.max_abs_var_error}};
}

std::vector<double> stds_along(const at::Tensor& y, int64_t dim) {
  return to_doubles(y.to(at::kDouble).std(dim, /*unbiased=*/false));
}

Outcome run(const RunContext& context, const Options& o) {
  // BatchNorm's CPU kernel splits its statistics between threads, which changes the last digit.
  const OneIntraOpThread same_bytes_for_any_thread_count;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(o.seed));
  // Feature j has mean 2j and scale 1 + j: columns on different scales, as raw inputs are.
  const auto j = at::arange(o.features, at::kFloat);
  const auto x = (at::randn({o.batch, o.features}, gen) * (1 + j) + 2 * j).to(context.device);
  torch::nn::BatchNorm1d batch_norm(o.features);  // training mode: the batch's own statistics
  torch::nn::LayerNorm layer_norm(torch::nn::LayerNormOptions({o.features}));
  batch_norm->to(context.device);
  layer_norm->to(context.device);
  at::NoGradGuard no_grad;
  const auto bn = batch_norm(x);
  const auto ln = layer_norm(x);

  // Change one other sample: does sample 0's output move?
  auto x_other = x.clone();
  x_other[1] = x_other[1] * 10 + 5;
  // In training mode the output uses the batch's own statistics, not the running ones the first
  // call updated, so the same module serves.
  const double bn_coupling = (batch_norm(x_other)[0] - bn[0]).abs().max().item<double>();
  const double ln_coupling = (layer_norm(x_other)[0] - ln[0]).abs().max().item<double>();

  const auto bn_feature = stats_along(bn, 0), bn_sample = stats_along(bn, 1);
  const auto ln_feature = stats_along(ln, 0), ln_sample = stats_along(ln, 1);
  Outcome outcome;
  outcome.text = fmt::format(
      "BatchNorm vs LayerNorm: a batch of {} samples x {} features (feature j has mean 2j, scale "
      "1 + j) through LibTorch's BatchNorm1d (training mode) and LayerNorm; how far each axis of "
      "the output is from mean 0, variance 1 (largest deviation over the rows or columns; values "
      "are unitless).\n",
      o.batch, o.features);
  outcome.text += fmt::format("{:<10} {:>28} {:>28}\n", "", "per feature (over the batch)",
                              "per sample (over features)");
  outcome.text += fmt::format("{:<10} {:>13} {:>14} {:>13} {:>14}\n", "", "|mean|", "|var - 1|",
                              "|mean|", "|var - 1|");
  for (const auto& [name, f, s] : {std::tuple{"BatchNorm", bn_feature, bn_sample},
                                   std::tuple{"LayerNorm", ln_feature, ln_sample}}) {
    outcome.text +=
        fmt::format("{:<10} {:>13.2e} {:>14.2e} {:>13.2e} {:>14.2e}\n", name, f.max_abs_mean,
                    f.max_abs_var_error, s.max_abs_mean, s.max_abs_var_error);
  }
  // eps = 1e-5 in the denominator keeps the variance at v / (v + eps): within 1e-3 of 1 for these
  // scales, while an axis that is not normalised is off by order 1.
  constexpr double kNormalised = 1e-3;
  const auto normalised = [&](const AxisStats& s) {
    return s.max_abs_mean < kNormalised && s.max_abs_var_error < kNormalised;
  };
  const auto axis = [&](const AxisStats& feature, const AxisStats& sample) -> std::string {
    if (normalised(feature) && !normalised(sample)) return "each feature over the batch";
    if (normalised(sample) && !normalised(feature)) return "each sample over its features";
    if (normalised(sample) && normalised(feature)) return "both axes";
    return "neither axis";
  };
  outcome.text += fmt::format(
      "BatchNorm normalises {}; LayerNorm normalises {} (within {} of mean 0, variance 1).\n",
      axis(bn_feature, bn_sample), axis(ln_feature, ln_sample), kNormalised);
  outcome.text += fmt::format(
      "Changing sample 1 moves sample 0's output by {:.3g} under BatchNorm and {:.3g} under "
      "LayerNorm: {}.\n",
      bn_coupling, ln_coupling,
      bn_coupling > 1e-3 && ln_coupling == 0
          ? "BatchNorm's output depends on the rest of the batch (so it needs running statistics "
            "at inference and batches larger than 1), LayerNorm's does not"
          : "here the coupling does not separate them");
  outcome.json = {{"batch", o.batch},
                  {"features", o.features},
                  {"batch_norm",
                   {{"per_feature", stats_json(bn_feature)},
                    {"per_sample", stats_json(bn_sample)},
                    {"other_sample_effect", bn_coupling}}},
                  {"layer_norm",
                   {{"per_feature", stats_json(ln_feature)},
                    {"per_sample", stats_json(ln_sample)},
                    {"other_sample_effect", ln_coupling}}}};
  if (!o.out.empty()) {
    using Style = plot::Series::Style;
    const auto index = [](int64_t n) {
      std::vector<double> v(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<double>(i);
      return v;
    };
    plot::Figure figure(o.out, /*width=*/1400, /*height=*/550, /*panels=*/2);
    figure.series({{"input", index(o.features), stds_along(x, 0), Style::kMarkers},
                   {"BatchNorm", index(o.features), stds_along(bn, 0), Style::kMarkers},
                   {"LayerNorm", index(o.features), stds_along(ln, 0), Style::kMarkers}},
                  {"Std of each feature over the batch", "feature j", "std (unitless)"});
    figure.series({{"input", index(o.batch), stds_along(x, 1), Style::kMarkers},
                   {"BatchNorm", index(o.batch), stds_along(bn, 1), Style::kMarkers},
                   {"LayerNorm", index(o.batch), stds_along(ln, 1), Style::kMarkers}},
                  {"Std of each sample over its features", "sample i", "std (unitless)"});
    figure.save();
    outcome.text += fmt::format("Per-feature and per-sample spreads written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand norms_experiment() {
  return make_subcommand<Options>(
      "norms", "BatchNorm vs LayerNorm: which axis each normalises (interview)", add_options, run);
}

}  // namespace infozoo::apps
