// `infozoo mi`: mutual information of five features with a nonlinear target (seed 1.1):
// y = [X0^2 + sin(X1) + 0.1 noise > 1], scored by mutual_info_classif as scikit-learn does.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <cmath>

#include "experiments.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/datasets/numpy_random.h"

namespace infozoo::apps {
namespace {

constexpr int64_t kDefaultSamples = 1000;  // the seed's randn(1000, 5)
constexpr int64_t kFeatures = 5;
constexpr double kStrong = 0.1;            // the seed marks MI > 0.1 as strongly related

Outcome run(const Settings& s) {
  const int64_t n = s.samples_or(kDefaultSamples);
  if (n < 4) throw UsageError(fmt::format("--samples must be >= 4 for the 3-NN estimate, got {}", n));
  // numpy in the seed: float64 on the CPU whatever --device says.
  datasets::NumpyRandomState rng(s.seed);
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
  const auto mi = analysis::mutual_info_classif(
      X, y, analysis::MutualInfoOptions().set_random_state(s.seed));
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

Experiment mi_experiment() {
  return Experiment{"mi", "Mutual information of five features with a nonlinear target (seed 1.1)",
                    [](CLI::App& app, Settings& s) {
                      add_seed_option(app, s);
                      add_samples_option(app, s, kDefaultSamples);
                    },
                    run};
}

}  // namespace infozoo::apps
