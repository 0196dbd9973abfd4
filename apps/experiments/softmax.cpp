// SPDX-License-Identifier: BSD-3-Clause
// `infozoo softmax`: Naive softmax overflows to NaN at large logits, the stable one does not
// (seed 2.2).
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <vector>

#include "experiments/catalog.h"
#include "infozoo/analysis/softmax.h"
#include "output/numpy_format.h"
#include "output/to_doubles.h"

namespace infozoo::apps {
namespace {

Outcome run(const RunContext&) {
  // The seed's logits, float64 as numpy: exp(1000) = inf, and inf / inf = NaN.
  const auto z = at::tensor({1000.0, 1001.0, 1002.0}, at::kDouble);
  const auto naive = analysis::softmax(z);
  const auto stable = analysis::stable_softmax(z);
  Outcome outcome;
  outcome.json = {{"naive", to_doubles(naive)}, {"stable", to_doubles(stable)}};  // NaN -> null
  outcome.text = fmt::format("Naive softmax: {}\n", numpy_array_str(naive)) +
                 fmt::format("Stable softmax: {}\n", numpy_array_str(stable));
  return outcome;
}

}  // namespace

Subcommand softmax_experiment() {
  return make_subcommand(
      "softmax",
      "Naive softmax overflows to NaN at large logits, the stable one does not (seed 2.2)", run);
}

}  // namespace infozoo::apps
