// SPDX-License-Identifier: BSD-3-Clause
// `infozoo temperature`: Softmax temperature sweep and the entropy of each distribution (seed 1.3).
#include <ATen/ATen.h>
#include <fmt/format.h>

#include "experiments/catalog.h"
#include "infozoo/analysis/softmax.h"
#include "output/numpy_format.h"

namespace infozoo::apps {
namespace {

Outcome run(const RunContext&) {
  // The seed's scores, in float64 as numpy computes them.
  const auto scores = at::tensor({2.0, 1.5, 0.5, 0.1, -0.5}, at::kDouble);
  Outcome outcome;
  auto sweep = nlohmann::json::array();
  for (const double tau : {0.01, 0.07, 0.5, 1.0, 5.0}) {
    // The seed's naive softmax; exp(2 / 0.01) = 7e86 still fits in a double.
    const auto probs = analysis::softmax(scores, tau);
    // The seed's entropy in nats with its `+ 1e-10` guard (not analysis::entropy's exact
    // 0 log 0 = 0), so the printed and JSON values are the seed's own.
    const double entropy = -(probs * at::log(probs + 1e-10)).sum().item<double>();
    const auto p = probs.contiguous();
    const std::vector<double> values(p.data_ptr<double>(), p.data_ptr<double>() + p.numel());
    sweep.push_back({{"tau", tau}, {"probs", values}, {"entropy", entropy}});
    outcome.text += fmt::format("τ={:.2f}: {} | entropy={:.4f}\n", tau,
                                numpy_array_str(numpy_round(probs, 4)), entropy);
  }
  outcome.json = {{"sweep", sweep}};
  return outcome;
}

}  // namespace

Subcommand temperature_experiment() {
  return make_subcommand(
      "temperature", "Softmax temperature sweep and the entropy of each distribution (seed 1.3)",
      run);
}

}  // namespace infozoo::apps
