// SPDX-License-Identifier: BSD-3-Clause
#include "table_builder.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <set>

namespace infozoo::io::detail {
namespace {

// pandas.read_csv's default na_values (pandas/_libs/parsers.pyx, STR_NA_VALUES).
constexpr std::array<std::string_view, 19> kMissing = {
    "",     "#N/A", "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A",  "NA",       "NULL", "NaN",     "None",     "n/a",  "nan",  "null"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string list_names(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < 20; ++i)
    text += (i ? ", '" : "'") + shown(names[i]) + "'";
  if (names.size() > 20) text += format(" and {} more", names.size() - 20);
  return text;
}

}  // namespace

std::string shown(std::string_view value) {
  std::string out;
  for (const char c : value.substr(0, 40)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  if (value.size() > 40) out += "...";
  return out;
}

bool is_missing(std::string_view cell) {
  const auto t = trim(cell);
  return std::find(kMissing.begin(), kMissing.end(), t) != kMissing.end();
}

bool parse_number(std::string_view cell, double& value, bool& infinite) {
  auto t = trim(cell);
  infinite = false;
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  if (t.empty() || t.front() == '+') return false;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  // ERANGE: a literal beyond the double range (1e999); Python's float() calls it inf.
  if (ec == std::errc::result_out_of_range && end == t.data() + t.size()) {
    infinite = true;
    return true;
  }
  if (ec != std::errc() || end != t.data() + t.size()) return false;
  infinite = std::isinf(value);
  return !std::isnan(value);  // "nan" is a missing marker, handled before
}

TableBuilder::TableBuilder(std::string source, const ReadTableOptions& options)
    : source_(std::move(source)), options_(options) {}

TableBuilder::~TableBuilder() { std::free(data_); }

void TableBuilder::fail(const std::string& message) const {
  TORCH_CHECK_VALUE(false, source_, ": ", message);
}

void TableBuilder::set_columns(std::vector<std::string> names, int64_t row_capacity) {
  std::set<std::string> seen, duplicates;
  for (size_t j = 0; j < names.size(); ++j) {
    if (trim(names[j]).empty()) fail(format("column {} of the header has no name", j + 1));
    if (!seen.insert(names[j]).second) duplicates.insert(names[j]);
  }
  if (!duplicates.empty()) {
    fail(format("duplicate column names: {}", list_names({duplicates.begin(), duplicates.end()})));
  }
  const auto p = static_cast<int64_t>(names.size());
  int64_t target = -1;
  if (options_.target_column()) {
    const auto it = std::find(names.begin(), names.end(), *options_.target_column());
    if (it == names.end()) {
      fail(format("no column named '{}'; the columns are {}", shown(*options_.target_column()),
                  list_names(names)));
    }
    target = it - names.begin();
  }
  slot_of_.resize(p);
  for (int64_t j = 0; j < p; ++j) {
    slot_of_[j] = target < 0 ? j : j == target ? p - 1 : (j < target ? j : j - 1);
  }
  names_ = std::move(names);
  kind_.assign(p, Kind::kUnknown);
  codes_.resize(p);
  categories_.resize(p);
  row_.assign(p, 0.0);
  row_text_.resize(p);
  capacity_ = std::max<int64_t>(row_capacity, 16);
  data_ = static_cast<double*>(std::malloc(sizeof(double) * capacity_ * std::max<int64_t>(p, 1)));
  if (data_ == nullptr) throw std::bad_alloc();
}

void TableBuilder::missing(int64_t column, std::string_view text, int64_t line) {
  if (!options_.drop_missing()) {
    fail(
        format("row {} (line {}), column '{}': missing value '{}' (set drop_missing to drop "
               "such rows)",
               rows_seen_ + 1, line, shown(names_[column]), shown(text)));
  }
  row_missing_ = true;
}

void TableBuilder::cell(int64_t column, std::string_view text, int64_t line) {
  if (is_missing(text)) return missing(column, text, line);
  if (kind_[column] != Kind::kText) {
    double value = 0;
    bool infinite = false;
    if (parse_number(text, value, infinite)) {
      if (infinite) {
        fail(format("row {} (line {}), column '{}': '{}' is not a finite number", rows_seen_ + 1,
                    line, shown(names_[column]), shown(text)));
      }
      kind_[column] = Kind::kNumber;
      row_[column] = value;
      return;
    }
    if (kind_[column] == Kind::kNumber) {
      fail(
          format("row {} (line {}), column '{}': '{}' is not a number (the column's first "
                 "value was a number)",
                 rows_seen_ + 1, line, shown(names_[column]), shown(text)));
    }
    kind_[column] = Kind::kText;
  }
  row_text_[column].assign(trim(text));
}

void TableBuilder::number_cell(int64_t column, double value, int64_t line) {
  if (std::isnan(value)) return missing(column, "nan", line);
  if (std::isinf(value)) {
    fail(format("row {}, column '{}': {} is not a finite number", rows_seen_ + 1,
                shown(names_[column]), value));
  }
  kind_[column] = Kind::kNumber;
  row_[column] = value;
}

void TableBuilder::commit_row() {
  ++rows_seen_;
  if (row_missing_) {
    row_missing_ = false;
    ++dropped_;
    return;
  }
  if (rows_ == capacity_) grow();
  const auto p = columns();
  for (int64_t j = 0; j < p; ++j) {
    double value = row_[j];
    if (kind_[j] == Kind::kText) {
      const auto [it, inserted] =
          codes_[j].try_emplace(row_text_[j], static_cast<int64_t>(categories_[j].size()));
      if (inserted) categories_[j].push_back(row_text_[j]);
      value = static_cast<double>(it->second);
    }
    data_[slot_of_[j] * capacity_ + rows_] = value;
  }
  ++rows_;
}

void TableBuilder::grow() {
  // Rarely reached (the capacity is estimated from the file's size): half as much again, the
  // columns moved to their new places from the last one down.
  const int64_t p = columns();
  const int64_t bigger = capacity_ + capacity_ / 2 + 16;
  auto* grown = static_cast<double*>(std::realloc(data_, sizeof(double) * bigger * p));
  if (grown == nullptr) throw std::bad_alloc();
  for (int64_t j = p - 1; j >= 1; --j) {
    std::memmove(grown + j * bigger, grown + j * capacity_, sizeof(double) * rows_);
  }
  data_ = grown;
  capacity_ = bigger;
}

Table TableBuilder::finish() {
  if (rows_seen_ == 0) fail("has a header but no data rows");
  if (rows_ == 0) {
    fail(format("every one of its {} data rows has a missing value (all dropped)", rows_seen_));
  }
  const int64_t p = columns();
  // Compact: column j from offset j * capacity to j * rows (forward, never overlapping wrongly).
  for (int64_t j = 1; j < p; ++j) {
    std::memmove(data_ + j * rows_, data_ + j * capacity_, sizeof(double) * rows_);
  }
  if (auto* shrunk = static_cast<double*>(std::realloc(data_, sizeof(double) * rows_ * p))) {
    data_ = shrunk;
  }
  Table table;
  table.values = at::from_blob(
                     data_, {p, rows_}, [](void* d) { std::free(d); }, at::kDouble)
                     .t();
  data_ = nullptr;  // owned by the tensor now
  table.names.resize(p);
  table.categorical.resize(p);
  table.categories.resize(p);
  for (int64_t j = 0; j < p; ++j) {
    const int64_t s = slot_of_[j];
    table.names[s] = names_[j];
    table.categorical[s] = kind_[j] == Kind::kText;
    table.categories[s] = std::move(categories_[j]);
  }
  table.dropped_rows = dropped_;
  return table;
}

}  // namespace infozoo::io::detail
