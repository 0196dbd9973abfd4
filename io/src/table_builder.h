// SPDX-License-Identifier: BSD-3-Clause
// What the CSV and .npy readers share: the column-major float64 matrix that grows by rows (one
// allocation of an estimated capacity, grown rarely, compacted in place at the end), column names
// checked once, the target column moved last, text columns coded, and errors that name the file.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "infozoo/io/table.h"

namespace infozoo::io::detail {

/// `text` with each "{}" replaced by the next argument (operator<<): the io library's messages,
/// without a formatting library in its link interface (infozoo's installed package needs none).
template <class... Args>
std::string format(std::string_view text, const Args&... args) {
  std::ostringstream out;
  size_t at = 0;
  auto next = [&](const auto& value) {
    const size_t hole = text.find("{}", at);
    out << text.substr(at, hole - at) << value;
    at = hole == std::string_view::npos ? text.size() : hole + 2;
  };
  (next(args), ...);
  out << text.substr(std::min(at, text.size()));
  return out.str();
}

/// A value (a cell, a name) as an error message shows it: control bytes escaped, at most 40 bytes.
std::string shown(std::string_view value);

/// Whether a cell is one of pandas' default missing-value markers ("", NA, N/A, NaN, nan, null,
/// NULL, None, ...).
bool is_missing(std::string_view cell);

/// Parses a whole cell (ASCII spaces around it allowed, a leading '+' too) as a finite double;
/// false when it is not a number. `infinite` is set for inf / -inf.
bool parse_number(std::string_view cell, double& value, bool& infinite);

/// The matrix being filled, row by row.
class TableBuilder {
 public:
  TableBuilder(std::string source, const ReadTableOptions& options);
  ~TableBuilder();
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;

  /// Sets the column names (checked: non-empty, unique, the target among them) and the first
  /// capacity in rows (grown by half when reached).
  void set_columns(std::vector<std::string> names, int64_t row_capacity);
  int64_t columns() const { return static_cast<int64_t>(names_.size()); }

  /// One CSV cell of the pending row, by file column: missing, a number, or text (which makes a
  /// column whose first non-missing cell it is categorical, and is an error in a numeric one).
  /// `line` is the file line the row ends on, for errors.
  void cell(int64_t column, std::string_view text, int64_t line);
  /// A number of the pending row (.npy); NaN is a missing value.
  void number_cell(int64_t column, double value, int64_t line);
  /// Ends the pending row: stored, or dropped when it held a missing value and drop_missing.
  void commit_row();

  /// Throws c10::ValueError "<source>: <message>".
  [[noreturn]] void fail(const std::string& message) const;
  const std::string& source() const { return source_; }
  int64_t rows() const { return rows_; }
  /// Data rows read so far, dropped ones included.
  int64_t rows_seen() const { return rows_seen_; }

  /// The finished table (fails when no row was read).
  Table finish();

 private:
  enum class Kind { kUnknown, kNumber, kText };
  void grow();
  void missing(int64_t column, std::string_view text, int64_t line);

  std::string source_;
  ReadTableOptions options_;
  std::vector<std::string> names_;
  std::vector<int64_t> slot_of_;  // file column -> storage column (the target last)
  std::vector<Kind> kind_;
  std::vector<std::unordered_map<std::string, int64_t>> codes_;
  std::vector<std::vector<std::string>> categories_;
  std::vector<double> row_;            // the pending row's values, by file column
  std::vector<std::string> row_text_;  // the pending row's text cells (text columns)
  bool row_missing_ = false;
  int64_t rows_seen_ = 0;   // data rows read, dropped ones included (errors count them)
  double* data_ = nullptr;  // [columns, capacity_], malloc'd
  int64_t capacity_ = 0;
  int64_t rows_ = 0;
  int64_t dropped_ = 0;
};

}  // namespace infozoo::io::detail
