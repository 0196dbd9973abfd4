// SPDX-License-Identifier: BSD-3-Clause
// `infozoo rank FILE --target COL`: scikit-learn's mutual_info_classif (or _regression) of every
// column of a user's table with the target, ranked: the seed's 6.2 ranking on one's own data.
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

struct Options {
  TableInputOptions input;
  std::string out;
};

void add_options(CLI::App& app, Options& o) {
  add_table_input_options(app, o.input);
  add_out_option(app, o.out);
}

Outcome run(const RunContext&, const Options& o) {
  auto in = load_table_input(o.input);
  const auto start = std::chrono::steady_clock::now();
  const auto options = in.mi_options(o.input);
  const auto scores = in.classification ? analysis::mutual_info_classif(in.X, in.y, options)
                                        : analysis::mutual_info_regression(in.X, in.y, options);
  const double mi_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::vector<double> mi(scores.data_ptr<double>(),
                               scores.data_ptr<double>() + scores.numel());
  const auto order = analysis::rank_by_score(scores);
  const double h_y = in.classification ? target_entropy(in.y) : 0.0;

  Outcome outcome;
  nlohmann::json by_name = nlohmann::json::object();
  std::vector<std::string> ranking;
  for (size_t j = 0; j < mi.size(); ++j) by_name[in.features[j]] = mi[j];
  for (const int64_t j : order) ranking.push_back(in.features[j]);
  outcome.json = {{"target", o.input.target},
                  {"task", task_name(in.classification)},
                  {"scores", by_name},
                  {"ranking", ranking}};
  if (o.input.timings) outcome.json["seconds"] = {{"read", in.read_seconds}, {"mi", mi_seconds}};

  auto& text = outcome.text;
  text += fmt::format(
      "How much each column of {} tells about '{}': scikit-learn's {} (k = {} neighbours, "
      "random_state = {}), in nats; 0 means no dependence, and with class labels no column can "
      "exceed the target's entropy H(y).\n",
      o.input.file, o.input.target,
      in.classification ? "mutual_info_classif" : "mutual_info_regression", o.input.neighbors,
      o.input.seed);
  text += fmt::format(
      "{} rows, {} feature columns{}.\n", in.X.size(0), in.X.size(1),
      in.classification ? fmt::format(", {} classes, H(y) = {:.4f} nats", in.n_classes, h_y) : "");
  for (const auto& note : in.notes) text += note + "\n";
  text += "\n" + ranking_table(in, mi, order, h_y) + "\n";
  text += ranking_conclusion(in, mi, order, h_y);
  if (!o.out.empty()) {
    std::vector<int64_t> shown;
    for (const int64_t j : order) {
      if (mi[j] >= kNoDependence) shown.push_back(j);
    }
    draw_scores(o.out, in, mi, shown,
                fmt::format("shows a dependence (>= {} nats; rank above)", kNoDependence),
                fmt::format("MI of each column with '{}'", o.input.target));
    text += fmt::format("Bar chart written to {}\n", o.out);
  }
  return outcome;
}

}  // namespace

Subcommand rank_tool() {
  auto subcommand = make_subcommand<Options>(
      "rank", "Rank the columns of a CSV or .npy table by their MI with a target column",
      add_options, run);
  subcommand.in_all = false;  // a tool for the user's data, not one of the seed's experiments
  return subcommand;
}

}  // namespace infozoo::apps
