// SPDX-License-Identifier: BSD-3-Clause
// `infozoo softmax`: Naive softmax overflows to NaN at large logits, the stable one does not
// (seed 2.2).
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>
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

  // The reading: why the naive one fails, and that the shift changes nothing else.
  const double largest_exponent = std::log(std::numeric_limits<double>::max());
  const int64_t nans = at::isnan(naive).sum().item<int64_t>();
  // Any common shift cancels: the naive formula on z - 1000 = [0, 1, 2] does not overflow.
  const auto shifted = analysis::softmax(z - 1000.0);
  const double shift_error = (stable - shifted).abs().max().item<double>();
  const double sum_error = std::abs(stable.sum().item<double>() - 1.0);
  outcome.json["naive_nans"] = nans;
  outcome.text += fmt::format(
      "\nThe logits are 1000, 1001, 1002 (float64). exp(z) overflows past z = {:.2f} (the largest "
      "double, {:.3e}), so the naive exp(z) / sum exp(z) is inf / inf: {} of its 3 values are "
      "NaN. The stable one subtracts max(z) = 1002 first; the logits become -2, -1, 0, whose "
      "exponentials lie in [{:.3f}, 1], and the ratio is unchanged by the shift (a common factor "
      "exp(-1002) cancels): it equals the naive softmax of z - 1000 = [0, 1, 2], which fits in a "
      "double, to {:.1e} and sums to 1 to {:.1e}.\n",
      largest_exponent, std::numeric_limits<double>::max(), nans, std::exp(-2.0), shift_error,
      sum_error);
  return outcome;
}

}  // namespace

Subcommand softmax_experiment() {
  return make_subcommand(
      "softmax",
      "Naive softmax overflows to NaN at large logits, the stable one does not (seed 2.2)", run);
}

}  // namespace infozoo::apps
