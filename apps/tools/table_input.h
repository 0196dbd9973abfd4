// SPDX-License-Identifier: BSD-3-Clause
// What `infozoo rank` and `infozoo select` share: the file and target options, reading the table
// (io::read_table), and turning it into scikit-learn's X, y and discrete_features, with the
// notes a user needs (categorical columns, dropped rows, constant columns, the task chosen).
#pragma once

#include <ATen/core/Tensor.h>
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "infozoo/analysis/mutual_info.h"
#include "infozoo/io/table.h"

namespace infozoo::apps {

/// The options of a tool that reads a user's table and scores its columns against a target.
struct TableInputOptions {
  std::string file;                   ///< CSV or .npy
  std::string target;                 ///< the target column's name
  std::string task = "auto";          ///< auto, classif or regression
  std::vector<std::string> discrete;  ///< feature columns to treat as discrete (names)
  std::vector<std::string> columns;   ///< .npy column names
  std::string delimiter = ",";        ///< CSV field separator
  bool drop_missing = false;          ///< drop rows with a missing value instead of failing
  int64_t neighbors = 3;              ///< k of the k-NN estimators
  int64_t seed = 0;                   ///< scikit-learn's random_state for the jitter
  bool timings = false;               ///< add the seconds each stage took to the JSON
};

/// Registers FILE (positional), --target, --task, --discrete, --columns, --delimiter,
/// --drop-missing, --k/--neighbors (unless `neighbors_flag` is empty), --seed and --timings.
void add_table_input_options(CLI::App& app, TableInputOptions& options,
                             const std::string& neighbors_flag = "--k,--neighbors");

/// The table as the estimators take it.
struct TableInput {
  io::Table table;                    ///< owns the matrix; X and y are views of it
  std::vector<std::string> features;  ///< the feature columns' names, X's column order
  at::Tensor X;                       ///< float64 [n, p], column-major (a view, no copy)
  at::Tensor y;                       ///< float64 [n]
  bool classification = true;         ///< the task: class labels (true) or a continuous target
  std::vector<bool> discrete;         ///< per feature: treated as discrete
  std::vector<bool> constant;         ///< per feature: every value equal (scores 0)
  int64_t n_classes = 0;              ///< classification: distinct target values
  std::vector<std::string> notes;     ///< sentences for the text output (what was assumed)
  double read_seconds = 0;            ///< the time read_table took
  /// scikit-learn's options for these columns: discrete_features, n_neighbors, random_state, and
  /// copy=false (the estimators scale the table's own matrix in place: no second copy).
  analysis::MutualInfoOptions mi_options(const TableInputOptions& options) const;
};

/// Reads and checks the table: a bad file, a missing target (the columns listed), a target with
/// one class, or an unknown --discrete name is a UsageError (exit 2), one line.
TableInput load_table_input(const TableInputOptions& options);

/// "classif" or "regression", as the JSON says it.
const char* task_name(bool classification);

}  // namespace infozoo::apps
