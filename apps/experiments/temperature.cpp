// SPDX-License-Identifier: BSD-3-Clause
// `infozoo temperature`: Softmax temperature sweep and the entropy of each distribution (seed 1.3),
// then what the sweep shows: the argmax limit, the uniform limit, and the picture of both.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "cli/common_options.h"
#include "experiments/catalog.h"
#include "infozoo/analysis/entropy.h"
#include "infozoo/analysis/softmax.h"
#include "output/fixed.h"
#include "output/numpy_format.h"
#include "output/plot.h"
#include "output/to_doubles.h"

namespace infozoo::apps {
namespace {

struct Options {
  std::string out;  // PNG: the distribution at each tau, and the entropy against tau
};

void add_options(CLI::App& app, Options& o) { add_out_option(app, o.out, "temperature.png"); }

struct Row {
  double tau;
  std::vector<double> probs;
  double largest;        // the largest probability
  double seed_entropy;   // the seed's -sum p log(p + 1e-10), nats
  double exact_entropy;  // -sum p log p with 0 log 0 = 0, nats
};

void draw(const std::string& path, const std::vector<Row>& rows, double uniform) {
  using Style = plot::Series::Style;
  plot::Figure figure(path, /*width=*/1600, /*height=*/600, /*panels=*/2);
  std::vector<plot::Series> distributions;
  const std::vector<double> classes{0, 1, 2, 3, 4};
  for (const auto& r : rows) {
    distributions.push_back({fmt::format("tau = {:g}", r.tau), classes, r.probs, Style::kLine});
  }
  figure.series(distributions, {"softmax(scores / tau), scores 2, 1.5, 0.5, 0.1, -0.5",
                                "class (index of its score)", "probability"});
  std::vector<double> log_tau, entropy;
  for (const auto& r : rows) {
    log_tau.push_back(std::log10(r.tau));
    entropy.push_back(r.exact_entropy);
  }
  figure.series(
      {{"entropy of softmax(scores / tau)", log_tau, entropy, Style::kMarkers},
       {"uniform: log 5", {log_tau.front(), log_tau.back()}, {uniform, uniform}, Style::kDashed}},
      {"Entropy against temperature", "log10 tau", "entropy (nats)"});
  figure.save();
}

Outcome run(const RunContext&, const Options& o) {
  // The seed's scores, in float64 as numpy computes them.
  const auto scores = at::tensor({2.0, 1.5, 0.5, 0.1, -0.5}, at::kDouble);
  Outcome outcome;
  auto sweep = nlohmann::json::array();
  std::vector<Row> rows;
  for (const double tau : {0.01, 0.07, 0.5, 1.0, 5.0}) {
    // The seed's naive softmax; exp(2 / 0.01) = 7e86 still fits in a double.
    const auto probs = analysis::softmax(scores, tau);
    // The seed's entropy in nats with its `+ 1e-10` guard (not analysis::entropy's exact
    // 0 log 0 = 0), so the printed and JSON values are the seed's own.
    const double entropy = -(probs * at::log(probs + 1e-10)).sum().item<double>();
    const double exact = analysis::entropy(probs, analysis::InfoUnit::kNats).item<double>();
    const auto values = to_doubles(probs);
    const double largest = probs.max().item<double>();
    rows.push_back({tau, values, largest, entropy, exact});
    sweep.push_back({{"tau", tau},
                     {"probs", values},
                     {"entropy", entropy},
                     {"exact_entropy", exact},
                     {"largest_weight", largest}});
    outcome.text += fmt::format("τ={:.2f}: {} | entropy={:.4f}\n", tau,
                                numpy_array_str(numpy_round(probs, 4)), entropy);
  }
  const double uniform = std::log(5.0);
  outcome.json = {{"sweep", sweep}, {"uniform_entropy", uniform}};

  // The reading, after the seed's lines: units, what each number is, and what the sweep shows.
  outcome.text += fmt::format(
      "\nEach line is softmax(scores / τ) of the seed's five scores and its entropy in nats "
      "(natural log; uniform over 5 classes: log 5 = {:.4f} nats).\n"
      "{:>6}  {:>14}  {:>20}  {:>14}\n",
      uniform, "τ", "largest weight", "exact entropy (nats)", "share of log 5");
  bool rises = true;
  for (size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    outcome.text += fmt::format("{:>6g}  {:>14}  {:>20}  {:>13.1f}%\n", r.tau, fixed(r.largest, 4),
                                fixed(r.exact_entropy, 4), 100 * r.exact_entropy / uniform);
    if (k > 0 && !(r.exact_entropy > rows[k - 1].exact_entropy)) rises = false;
  }
  const auto& coldest = rows.front();
  const auto& hottest = rows.back();
  const double hottest_share = hottest.exact_entropy / uniform;
  outcome.text += fmt::format(
      "τ → 0: at τ = {:g} the largest weight is {}, {}. τ → ∞: at τ = {:g} the entropy is "
      "{:.1f}% of log 5, {}. The entropy {}.\n",
      coldest.tau, fixed(coldest.largest, 4),
      coldest.largest > 0.99 ? "so softmax has become argmax (a hard choice)" : "not yet argmax",
      hottest.tau, 100 * hottest_share,
      hottest_share > 0.95 ? "close to the uniform distribution" : "still far from uniform",
      rises ? "rises with τ at every step of the sweep"
            : "does not rise with τ at every step of the sweep");
  if (coldest.seed_entropy < 0) {
    outcome.text += fmt::format(
        "The seed's entropy={:.4f} at τ = {:g} is its + 1e-10 guard: -sum p log(p + 1e-10) = "
        "{:.1e} nats for a distribution this close to one-hot; the exact entropy (0 log 0 = 0) is "
        "{}.\n",
        coldest.seed_entropy, coldest.tau, coldest.seed_entropy, fixed(coldest.exact_entropy, 4));
  }
  if (!o.out.empty()) {
    draw(o.out, rows, uniform);
    outcome.text += fmt::format("The distributions and the entropy against τ drawn to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand temperature_experiment() {
  return make_subcommand<Options>(
      "temperature", "Softmax temperature sweep and the entropy of each distribution (seed 1.3)",
      add_options, run);
}

}  // namespace infozoo::apps
