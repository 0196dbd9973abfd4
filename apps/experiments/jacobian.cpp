// SPDX-License-Identifier: BSD-3-Clause
// `infozoo jacobian`: The softmax Jacobian diag(s) - s s^T at z = [2, 1, 0.5] (seed 2.3).
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
  const auto z = at::tensor({2.0, 1.0, 0.5}, at::kDouble);
  const auto s = analysis::stable_softmax(z);
  const auto jacobian = analysis::softmax_jacobian(z);  // (3, 3)
  auto rows = nlohmann::json::array();
  for (int64_t i = 0; i < jacobian.size(0); ++i) rows.push_back(to_doubles(jacobian[i]));
  Outcome outcome;
  outcome.json = {{"softmax", to_doubles(s)}, {"jacobian", rows}};
  outcome.text = fmt::format("Softmax: {}\n", numpy_array_str(s)) +
                 fmt::format("Jacobian matrix:\n{}\n", numpy_array_str(numpy_round(jacobian, 4)));
  return outcome;
}

}  // namespace

Subcommand jacobian_experiment() {
  return make_subcommand("jacobian",
                         "The softmax Jacobian diag(s) - s s^T at z = [2, 1, 0.5] (seed 2.3)", run);
}

}  // namespace infozoo::apps
