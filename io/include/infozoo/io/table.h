// SPDX-License-Identifier: BSD-3-Clause
/// \file
/// A user's table as a float64 matrix with column names: CSV (RFC 4180) and numpy .npy files,
/// streamed into the matrix without a copy of the file's text.
// What the `rank` and `select` subcommands (and an application embedding the MI tools) read. The
// matrix is stored column after column ([n_columns, n_rows] in memory, seen as [n_rows,
// n_columns]), which is the layout the MI estimators work in, so they can use it in place.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/arg.h>

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace infozoo::io {

/// Options of `read_table`, `read_csv` and `read_npy`.
/// Example: `ReadTableOptions().delimiter(';').drop_missing(true).target_column("label")`.
struct ReadTableOptions {
  /// CSV field separator (one byte, not a quote, CR or LF). Example: `.delimiter(';')`.
  TORCH_ARG(char, delimiter) = ',';
  /// false: a missing value (an empty field, NA, N/A, NaN, nan, null, NULL) is an error naming
  /// its row and column; true: rows holding one are dropped and counted in `Table::dropped_rows`.
  TORCH_ARG(bool, drop_missing) = false;
  /// .npy only: the column names (as many as the array's columns); empty: "0", "1", ...
  TORCH_ARG(std::vector<std::string>, columns) = {};
  /// When set, this column is stored last, so that `values.slice(1, 0, -1)` are the other
  /// columns as a view (no copy) in the estimators' layout; a name that is not a column is an
  /// error listing the columns. Example: `.target_column("y")`.
  TORCH_ARG(std::optional<std::string>, target_column) = std::nullopt;
};

/// A table read from a file: a float64 matrix and what each column was.
/// Example: `auto t = read_table("data.csv"); t.values.size(0)` is the number of rows.
struct Table {
  /// Column names in the order of `values`' columns (the target column last when one was named).
  std::vector<std::string> names;
  /// float64 [n_rows, n_columns], column-major in memory (`values.t()` is contiguous).
  at::Tensor values;
  /// Per column: true when its cells were text, now codes 0, 1, ... in order of first appearance.
  std::vector<bool> categorical;
  /// Per column: the text of each code (empty for numeric columns); `categories[j][code]`.
  std::vector<std::vector<std::string>> categories;
  /// Rows left out by `drop_missing`.
  int64_t dropped_rows = 0;

  /// The index of the column called `name`, or an error (c10::ValueError) listing the columns.
  /// Example: `t.column_index("label")`.
  int64_t column_index(const std::string& name) const;
};

/// Reads `path`: a .npy file (recognised by numpy's magic bytes, whatever its name) or else a CSV
/// file. Errors are c10::ValueError with one line naming the file and, for a bad cell, its row
/// (1-based data row, after the header), column and value. Example: `read_table("iris.csv")`.
Table read_table(const std::string& path, const ReadTableOptions& options = {});

/// Reads a CSV file (RFC 4180): a header row of unique, non-empty names, then rows of as many
/// fields; quoted fields may hold delimiters, quotes ("") and newlines; CRLF or LF line ends; a
/// UTF-8 byte-order mark is skipped. A column whose first non-missing cell is a number is numeric
/// (a later non-number there is an error); one whose first cell is text is categorical. Fails on
/// an empty file, a header without rows, ragged rows (naming the line), duplicate names, and
/// bytes that are not text (NUL, invalid UTF-8). Example: `read_csv("data.csv")`.
Table read_csv(const std::string& path, const ReadTableOptions& options = {});

/// `read_csv` on a stream (for data already in memory, and the fuzzer): the same rules; the rows
/// are read in one pass. `source` names the data in errors. Example:
/// `std::istringstream in("a,b\n1,2\n"); read_csv(in, "inline");`
Table read_csv(std::istream& in, const std::string& source, const ReadTableOptions& options = {});

/// Reads a numpy .npy file (format 1.0 to 3.0) holding a C-order (or Fortran-order) 1-D or 2-D
/// array of float64, float32 or integers (any width, either byte order); a 1-D array is one
/// column. Names come from `options.columns()`, else "0", "1", ... NaN counts as missing.
/// Example: `read_npy("X.npy", ReadTableOptions().columns({"x0", "x1", "y"}))`.
Table read_npy(const std::string& path, const ReadTableOptions& options = {});

}  // namespace infozoo::io
