// SPDX-License-Identifier: BSD-3-Clause
// `infozoo info-gain`: Information gain of a perfect and a random split (seed 1.2).
#include <ATen/ATen.h>
#include <fmt/format.h>

#include "experiments/catalog.h"
#include "infozoo/analysis/entropy.h"

namespace infozoo::apps {
namespace {

Outcome run(const RunContext&) {
  // The seed's toy decision-tree data: x_good splits y perfectly, x_bad alternates.
  const auto y = at::tensor({1, 1, 1, 1, 0, 0, 0, 0, 1, 0}, at::kLong);
  const auto x_good = at::tensor({1, 1, 1, 1, 0, 0, 0, 0, 1, 0}, at::kLong);
  const auto x_bad = at::tensor({1, 0, 1, 0, 1, 0, 1, 0, 1, 0}, at::kLong);
  const double good = analysis::information_gain(y, x_good);
  const double bad = analysis::information_gain(y, x_bad);
  Outcome outcome;
  outcome.json = {{"good", good}, {"bad", bad}};
  outcome.text = fmt::format("Information gain of the good feature: {:.4f}\n", good) +
                 fmt::format("Information gain of the bad feature: {:.4f}\n", bad);
  return outcome;
}

}  // namespace

Subcommand info_gain_experiment() {
  return make_subcommand("info-gain", "Information gain of a perfect and a random split (seed 1.2)",
                         run);
}

}  // namespace infozoo::apps
