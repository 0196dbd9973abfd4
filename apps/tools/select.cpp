// SPDX-License-Identifier: BSD-3-Clause
// `infozoo select FILE --target COL --method M -k N`: greedy MI feature selection (seed 6.2's
// mRMR, and the criteria that fix its pitfalls) on a user's table.
#include <ATen/ATen.h>
#include <fmt/format.h>

#include <chrono>

#include "cli/common_options.h"
#include "infozoo/analysis/feature_selection.h"
#include "tools/score_report.h"
#include "tools/table_input.h"
#include "tools/tools.h"

namespace infozoo::apps {
namespace {

namespace an = analysis;

struct Options {
  TableInputOptions input;
  std::string method = "jmi";
  int64_t n_select = 10;
  std::string estimation = "knn";
  int64_t bins = 10;
  std::string binning = "width";
  std::string out;
};

const char* method_meaning(an::SelectionCriterion c) {
  switch (c) {
    case an::SelectionCriterion::kMIM:
      return "I(X_k; y) alone (no redundancy term)";
    case an::SelectionCriterion::kMRMR:
      return "I(X_k; y) - mean over picks of I(X_k; X_j)";
    case an::SelectionCriterion::kMIQ:
      return "I(X_k; y) / mean over picks of I(X_k; X_j)";
    case an::SelectionCriterion::kNMIFS:
      return "normalised relevance - mean normalised redundancy (no unit)";
    case an::SelectionCriterion::kJMI:
      return "sum over picks of I(X_k, X_j; y)";
    case an::SelectionCriterion::kCMIM:
      return "min over picks of I(X_k; y | X_j)";
    case an::SelectionCriterion::kDISR:
      return "sum over picks of I(X_k, X_j; y) / H(X_k, X_j, y)";
    case an::SelectionCriterion::kICAP:
      return "I(X_k; y) - sum over picks of max(0, I(X_k; X_j) - I(X_k; X_j | y))";
  }
  return "";
}

void add_options(CLI::App& app, Options& o) {
  add_table_input_options(app, o.input, "--neighbors");
  app.add_option("--method", o.method,
                 "Criterion: mim, mrmr (difference form, MID), miq (quotient form), nmifs, jmi, "
                 "cmim, disr (binned only), icap")
      ->check(CLI::IsMember({"mim", "mrmr", "mid", "miq", "nmifs", "jmi", "cmim", "disr", "icap"}))
      ->capture_default_str();
  app.add_option("-k,--n-select", o.n_select, "How many columns to select")
      ->check(integer_in(1, kMaxSize))
      ->capture_default_str();
  app.add_option("--estimation", o.estimation,
                 "knn (scikit-learn's k-NN estimators) or binned (FEAST-style plug-in estimates "
                 "on --bins bins per column)")
      ->check(CLI::IsMember({"knn", "binned"}))
      ->capture_default_str();
  app.add_option("--bins", o.bins, "Bins per continuous column (--estimation binned)")
      ->check(integer_in(2, 1 << 16))
      ->capture_default_str();
  app.add_option("--binning", o.binning, "width (equal-width bins) or quantile (equal-count bins)")
      ->check(CLI::IsMember({"width", "quantile"}))
      ->capture_default_str();
  add_out_option(app, o.out);
}

Outcome run(const RunContext&, const Options& o) {
  auto in = load_table_input(o.input);
  const int64_t p = in.X.size(1);
  if (o.n_select > p) {
    throw UsageError(fmt::format("-k must be at most the number of feature columns ({}), got {}", p,
                                 o.n_select));
  }
  const auto criterion = *an::parse_criterion(o.method);
  const bool binned = o.estimation == "binned";
  if (criterion == an::SelectionCriterion::kDISR && !binned) {
    throw UsageError(
        "--method disr needs joint entropies, which the k-NN estimators do not give: add "
        "--estimation binned");
  }
  const auto start = std::chrono::steady_clock::now();
  const auto picked = an::select_features(
      in.X, in.y,
      an::FeatureSelectionOptions()
          .criterion(criterion)
          .n_select(o.n_select)
          .estimation(binned ? an::MIEstimation::kBinned : an::MIEstimation::kKnn)
          .n_bins(o.bins)
          .binning(o.binning == "quantile" ? an::Binning::kQuantile : an::Binning::kEqualWidth)
          .discrete_target(in.classification)
          .mi(in.mi_options(o.input)));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Outcome outcome;
  std::vector<std::string> selected;
  for (const int64_t j : picked.features) selected.push_back(in.features[j]);
  outcome.json = {{"target", o.input.target},
                  {"method", an::criterion_name(criterion)},
                  {"selected", selected},
                  {"scores", picked.scores}};
  if (o.input.timings) outcome.json["seconds"] = {{"read", in.read_seconds}, {"select", seconds}};

  const bool unitless =
      criterion == an::SelectionCriterion::kMIQ || criterion == an::SelectionCriterion::kNMIFS;
  auto& text = outcome.text;
  text += fmt::format(
      "Greedy selection of {} columns of {} for '{}' by {}: each step picks the column X_k with "
      "the largest J = {}; the first pick is the column with the most MI. Estimates: {}.\n",
      o.n_select, o.input.file, o.input.target, an::criterion_name(criterion),
      method_meaning(criterion),
      binned ? fmt::format("plug-in, on {} {} bins per continuous column", o.bins,
                           o.binning == "quantile" ? "equal-count" : "equal-width")
             : fmt::format("scikit-learn's k-NN estimators (k = {}, random_state = {})",
                           o.input.neighbors, o.input.seed));
  text += fmt::format("{} rows, {} feature columns, task {}.\n", in.X.size(0), p,
                      task_name(in.classification));
  for (const auto& note : in.notes) text += note + "\n";
  size_t width = 6;
  for (const auto& name : selected) width = std::max(width, name.size());
  text += fmt::format("\n  {:>4}  {:<{}}  {:>12}  {:>10}\n", "pick", "column", width,
                      unitless ? "J at pick" : "J (nats)", "MI (nats)");
  for (size_t r = 0; r < selected.size(); ++r) {
    const int64_t j = picked.features[r];
    text += fmt::format("  {:>4}  {:<{}}  {:>12.4f}  {:>10.4f}{}\n", r + 1, selected[r], width,
                        picked.scores[r] + 0.0, picked.relevance[j] + 0.0,
                        in.constant[j] ? "  constant column: carries no information" : "");
  }
  // What the redundancy term did: picks that per-column MI alone would not have made.
  std::vector<int64_t> by_mi(p);
  for (int64_t j = 0; j < p; ++j) by_mi[j] = j;
  std::stable_sort(by_mi.begin(), by_mi.end(),
                   [&](int64_t a, int64_t b) { return picked.relevance[a] > picked.relevance[b]; });
  int64_t outside_top = 0, weak = 0;
  for (const int64_t j : picked.features) {
    outside_top +=
        std::find(by_mi.begin(), by_mi.begin() + o.n_select, j) == by_mi.begin() + o.n_select ? 1
                                                                                              : 0;
    weak += picked.relevance[j] < kNoDependence ? 1 : 0;
  }
  text += fmt::format(
      "\n{} of the {} picks are not among the {} columns with the most MI: {}.", outside_top,
      o.n_select, o.n_select,
      outside_top == 0
          ? "here the criterion agrees with the plain ranking"
          : "the criterion preferred what they add to the earlier picks over their own MI");
  if (weak > 0) {
    // Criteria on joint or conditional MI can value a column for what it adds together with the
    // picks (a synergy, as in XOR); the others value it for its own relevance only.
    const bool joint =
        criterion == an::SelectionCriterion::kJMI || criterion == an::SelectionCriterion::kCMIM ||
        criterion == an::SelectionCriterion::kDISR || criterion == an::SelectionCriterion::kICAP;
    text += fmt::format(
        " {} pick{} share{} less than {} nats with the target on {} own, as noise does: {}", weak,
        weak == 1 ? "" : "s", weak == 1 ? "s" : "", kNoDependence, weak == 1 ? "its" : "their",
        joint ? "this criterion counts joint information, so it took it for what it adds together "
                "with the earlier picks, which a model can use only with them."
              : "check it before trusting the selection.");
  }
  text += "\n";
  if (!o.out.empty()) {
    draw_scores(o.out, in, picked.relevance, picked.features, "selected (pick order above)",
                fmt::format("{} selection of {} columns for '{}'", an::criterion_name(criterion),
                            o.n_select, o.input.target));
    text += fmt::format("Bar chart written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand select_tool() {
  auto subcommand = make_subcommand<Options>(
      "select", "Select columns of a CSV or .npy table by an MI criterion (mRMR, JMI, CMIM, ...)",
      add_options, run);
  subcommand.in_all = false;  // a tool for the user's data, not one of the seed's experiments
  return subcommand;
}

}  // namespace infozoo::apps
