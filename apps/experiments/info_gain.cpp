// SPDX-License-Identifier: BSD-3-Clause
// `infozoo info-gain`: Information gain of a perfect and a random split (seed 1.2).
#include <ATen/ATen.h>
#include <fmt/format.h>

#include "experiments/catalog.h"
#include "infozoo/analysis/entropy.h"
#include "output/fixed.h"

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

  // The reading: bits, and what each gain leaves of H(y).
  const double h_y = analysis::label_entropy(y).item<double>();
  const auto verdict = [h_y](double gain) {
    const double share = gain / h_y;
    return share > 0.99  ? "the split determines y"
           : share < 0.1 ? "the split tells almost nothing about y"
                         : "the split tells part of y";
  };
  outcome.json["parent_entropy"] = h_y;
  outcome.text += fmt::format(
      "\nInformation gain = H(y) - the rows' weighted entropy of y on each side of the split, in "
      "bits (log2; the seed's + 1e-10 guard makes a perfect split read 1.0000 for 1 - 1.4e-10). "
      "y holds {} ones in {} rows, so H(y) = {} bits, the most any split can gain.\n"
      "  good feature: {} bits gained, {} bits of y left per row ({:.1f}% of H(y)): {}.\n"
      "  bad feature:  {} bits gained, {} bits of y left per row ({:.1f}% of H(y)): {}.\n",
      y.sum().item<int64_t>(), y.numel(), fixed(h_y, 4), fixed(good, 4), fixed(h_y - good, 4),
      100 * good / h_y, verdict(good), fixed(bad, 4), fixed(h_y - bad, 4), 100 * bad / h_y,
      verdict(bad));
  return outcome;
}

}  // namespace

Subcommand info_gain_experiment() {
  return make_subcommand("info-gain", "Information gain of a perfect and a random split (seed 1.2)",
                         run);
}

}  // namespace infozoo::apps
