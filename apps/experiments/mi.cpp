// SPDX-License-Identifier: BSD-3-Clause
// `infozoo mi`: mutual information of five features with a nonlinear target (seed 1.1):
// y = [X0^2 + sin(X1) + 0.1 noise > 1], scored by mutual_info_classif as scikit-learn does.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <cmath>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/datasets/numpy_random.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kDefaultSamples = 1000;  // the seed's randn(1000, 5)
constexpr int64_t kFeatures = 5;
constexpr double kStrong = 0.1;  // the seed marks MI > 0.1 as strongly related

// The options this subcommand reads, with the reference's defaults.
struct Options {
  int64_t seed = 42;
  int64_t samples = kDefaultSamples;
};

void add_options(CLI::App& app, Options& o) {
  add_seed_option(app, o.seed);
  add_samples_option(app, o.samples, /*minimum=*/4, "for the 3-NN estimate");
}

Outcome run(const RunContext& context, const Options& o) {
  const int64_t n = o.samples;
  // numpy in the seed: float64 on the CPU whatever --device says.
  datasets::NumpyRandomState rng(o.seed);
  const auto X = rng.randn({n, kFeatures});
  const auto noise = rng.randn({n});
  auto y = at::empty({n}, at::kLong);
  const auto Xa = X.accessor<double, 2>();
  const auto na = noise.accessor<double, 1>();
  auto ya = y.accessor<int64_t, 1>();
  for (int64_t i = 0; i < n; ++i) {
    // Element by element with libm's sin, as numpy evaluates it.
    ya[i] = Xa[i][0] * Xa[i][0] + std::sin(Xa[i][1]) + 0.1 * na[i] > 1 ? 1 : 0;
  }
  const auto mi =
      analysis::mutual_info_classif(X, y, analysis::MutualInfoOptions().random_state(o.seed));
  std::vector<double> scores(mi.data_ptr<double>(), mi.data_ptr<double>() + kFeatures);
  Outcome outcome;
  outcome.json = {{"mi", scores}, {"positives", y.sum().item<int64_t>()}};
  for (int64_t i = 0; i < kFeatures; ++i) {
    outcome.text += fmt::format("Feature {}: MI={:.4f} {}\n", i, scores[i],
                                scores[i] > kStrong ? "← strong" : "");
  }
  return outcome;
}

}  // namespace

Subcommand mi_experiment() {
  return make_subcommand<Options>(
      "mi", "Mutual information of five features with a nonlinear target (seed 1.1)", add_options,
      run);
}

}  // namespace infozoo::apps
