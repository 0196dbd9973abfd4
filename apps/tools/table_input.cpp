// SPDX-License-Identifier: BSD-3-Clause
#include "tools/table_input.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "cli/common_options.h"
#include "cli/subcommand.h"

namespace infozoo::apps {
namespace {

// A target of integers with at most this many distinct values is taken for class labels (auto
// task); more, or any fraction, makes it continuous. scikit-learn's type_of_target calls any
// integer-valued target "multiclass"; the cap keeps counts such as ages or prices continuous.
constexpr int64_t kMaxAutoClasses = 20;

std::string join_names(const std::vector<std::string>& names, size_t limit = 20) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < limit; ++i) {
    text += (i == 0 ? "'" : ", '") + names[i] + "'";
  }
  if (names.size() > limit) text += fmt::format(" and {} more", names.size() - limit);
  return text;
}

}  // namespace

const char* task_name(bool classification) { return classification ? "classif" : "regression"; }

void add_table_input_options(CLI::App& app, TableInputOptions& o,
                             const std::string& neighbors_flag) {
  app.add_option("file", o.file, "The table: a CSV file (header row first) or a numpy .npy file")
      ->required();
  app.add_option("--target", o.target, "The column to score the others against")->required();
  app.add_option("--task", o.task,
                 fmt::format("classif (a discrete target: mutual_info_classif), regression (a "
                             "continuous one: mutual_info_regression), or auto (classif for text "
                             "or for integers with at most {} distinct values)",
                             kMaxAutoClasses))
      ->check(CLI::IsMember({"auto", "classif", "regression"}))
      ->capture_default_str();
  app.add_option("--discrete", o.discrete,
                 "Feature columns to treat as discrete (names, comma-separated); text columns "
                 "always are")
      ->delimiter(',');
  app.add_option("--columns", o.columns, "Column names of a .npy file (comma-separated)")
      ->delimiter(',');
  app.add_option("--delimiter", o.delimiter, "CSV field separator (one character; \\t for tab)")
      ->capture_default_str();
  app.add_flag("--drop-missing", o.drop_missing,
               "Drop rows with a missing value (empty, NA, NaN, null) instead of failing");
  if (!neighbors_flag.empty()) {
    app.add_option(neighbors_flag, o.neighbors, "Neighbours k of the k-NN MI estimators")
        ->check(integer_in(1, kMaxSize))
        ->capture_default_str();
  }
  app.add_option("--seed", o.seed,
                 "random_state of scikit-learn's 1e-10 tie-breaking jitter, in [0, 2^32)")
      ->check(integer_in(0, (int64_t{1} << 32) - 1))
      ->capture_default_str();
  app.add_flag("--timings", o.timings, "Add the seconds each stage took to the JSON (\"seconds\")");
}

analysis::MutualInfoOptions TableInput::mi_options(const TableInputOptions& o) const {
  return analysis::MutualInfoOptions()
      .discrete_features(analysis::DiscreteFeatures::from_mask(discrete))
      .n_neighbors(o.neighbors)
      .random_state(o.seed)
      .copy(false);
}

TableInput load_table_input(const TableInputOptions& o) {
  std::string delimiter = o.delimiter == "\\t" ? "\t" : o.delimiter;
  if (delimiter.size() != 1) {
    throw UsageError(
        fmt::format("--delimiter must be one character (or \\t), got '{}'", o.delimiter));
  }
  TableInput in;
  const auto start = std::chrono::steady_clock::now();
  try {
    in.table = io::read_table(o.file, io::ReadTableOptions()
                                          .delimiter(delimiter[0])
                                          .drop_missing(o.drop_missing)
                                          .columns(o.columns)
                                          .target_column(o.target));
  } catch (const c10::Error& e) {
    throw UsageError(e.what_without_backtrace());
  }
  in.read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto& t = in.table;
  const int64_t n = t.values.size(0), p = t.values.size(1) - 1;
  if (p < 1) {
    throw UsageError(fmt::format("{}: the table has only the target column '{}'; nothing to score",
                                 o.file, o.target));
  }
  if (n < o.neighbors + 1) {
    throw UsageError(
        fmt::format("{}: {} rows is too few for the {}-NN estimators (need at least {})", o.file, n,
                    o.neighbors, o.neighbors + 1));
  }
  in.features.assign(t.names.begin(), t.names.end() - 1);
  in.X = t.values.slice(1, 0, p);
  in.y = t.values.select(1, p);

  // The task: forced, or from the target's values.
  const bool target_text = t.categorical[p];
  const auto y = in.y.contiguous();
  const double* yv = y.data_ptr<double>();
  std::set<double> distinct;
  bool integral = true;
  for (int64_t i = 0; i < n; ++i) {
    integral = integral && yv[i] == std::floor(yv[i]);
    if (distinct.size() <= static_cast<size_t>(kMaxAutoClasses)) distinct.insert(yv[i]);
  }
  if (o.task == "auto") {
    in.classification =
        target_text || (integral && distinct.size() <= static_cast<size_t>(kMaxAutoClasses));
    in.notes.push_back(fmt::format(
        "The target '{}' is taken as {} ({}); --task forces either.", o.target,
        in.classification ? "class labels (classification)" : "continuous (regression)",
        target_text ? "its cells are text"
        : in.classification
            ? fmt::format("integers, {} distinct values", distinct.size())
            : (integral ? fmt::format("integers with more than {} distinct values", kMaxAutoClasses)
                        : "it holds fractions")));
  } else {
    in.classification = o.task == "classif";
    if (in.classification && !integral) {
      throw UsageError(fmt::format(
          "--task classif needs class labels, but the target '{}' holds fractions (e.g. {})",
          o.target, *std::find_if(yv, yv + n, [](double v) { return v != std::floor(v); })));
    }
    if (!in.classification && target_text) {
      throw UsageError(fmt::format(
          "--task regression needs a numeric target, but the target '{}' holds text", o.target));
    }
  }
  if (distinct.size() == 1) {
    throw UsageError(fmt::format(
        "the target '{}' has one value ({}) in all {} rows: there is nothing to predict", o.target,
        target_text ? "'" + t.categories[p][0] + "'" : fmt::format("{}", yv[0]), n));
  }
  in.n_classes = static_cast<int64_t>(distinct.size());

  // Discrete features: text columns, and the names given.
  in.discrete.assign(p, false);
  std::vector<std::string> text_columns;
  for (int64_t j = 0; j < p; ++j) {
    if (t.categorical[j]) {
      in.discrete[j] = true;
      text_columns.push_back(in.features[j]);
    }
  }
  for (const auto& name : o.discrete) {
    const auto it = std::find(in.features.begin(), in.features.end(), name);
    if (it == in.features.end()) {
      throw UsageError(
          fmt::format("--discrete names '{}', which is not a feature column; they are {}", name,
                      join_names(in.features)));
    }
    in.discrete[it - in.features.begin()] = true;
  }
  if (!text_columns.empty()) {
    in.notes.push_back(fmt::format(
        "{} held text: {} coded as categories (0, 1, ... in order of first appearance) and "
        "treated as discrete.",
        text_columns.size() == 1 ? "1 column" : fmt::format("{} columns", text_columns.size()),
        join_names(text_columns)));
  }
  if (t.dropped_rows > 0) {
    in.notes.push_back(fmt::format("--drop-missing dropped {} of {} rows that had a missing value.",
                                   t.dropped_rows, t.dropped_rows + n));
  }

  in.constant.assign(p, false);
  for (int64_t j = 0; j < p; ++j) {
    const auto column = in.X.select(1, j).contiguous();  // column-major: no copy
    const double* c = column.data_ptr<double>();
    in.constant[j] = std::all_of(c, c + n, [&](double v) { return v == c[0]; });
  }
  return in;
}

}  // namespace infozoo::apps
