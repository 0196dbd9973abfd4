// SPDX-License-Identifier: BSD-3-Clause
// The row type of the bad-input table (tests/bad_input.md) and its runner, shared by
// bad_input_test.cpp (library functions) and bad_input_cli_test.cpp (command-line options).
#pragma once

#include <c10/util/Exception.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace infozoo::test_support {

struct BadInputRow {
  std::string id;     // the row's name in tests/bad_input.md (and the test's)
  std::string what;   // function, module option or CLI option
  std::string input;  // the bad input
  std::function<void()> call;
  // Fragments the error must contain, in this order; empty: the input is legitimate and `call`
  // checks the result itself (views, propagated NaN).
  std::vector<std::string> error;
  bool needs_cuda = false;  // a CPU/CUDA device mix: skipped without a GPU
};

// gtest prints parameters; a row prints as its id.
inline void PrintTo(const BadInputRow& row, std::ostream* os) { *os << row.id; }

/// Where `fragments` appear in order in `text`; "" when they all do, else the first one missing.
inline std::string missing_fragment(const std::string& text,
                                    const std::vector<std::string>& fragments) {
  size_t at = 0;
  for (const auto& f : fragments) {
    const auto found = text.find(f, at);
    if (found == std::string::npos) return f;
    at = found + f.size();
  }
  return "";
}

inline void run_bad_input_row(const BadInputRow& row, bool have_cuda) {
  if (row.needs_cuda && !have_cuda) GTEST_SKIP() << "needs a CUDA device";
  if (row.error.empty()) {
    row.call();
    return;
  }
  try {
    row.call();
  } catch (const c10::Error& e) {
    const std::string text = e.what_without_backtrace();
    EXPECT_EQ(missing_fragment(text, row.error), "") << "error text: " << text;
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw a " << typeid(e).name() << " instead of c10::Error: " << e.what();
    return;
  }
  ADD_FAILURE() << row.what << " accepted " << row.input << " without an error";
}

/// The ids in the first column of tests/bad_input.md's table rows (| `id` | ...).
inline std::set<std::string> table_ids(bool cli) {
  std::ifstream in(std::string(INFOZOO_EXPECTED_DIR) + "/../bad_input.md");
  EXPECT_TRUE(in.good()) << "tests/bad_input.md is missing";
  std::set<std::string> ids;
  static const std::regex row(R"(^\| `([A-Za-z0-9_]+)` \|)");
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, m, row)) {
      const bool is_cli = m[1].str().rfind("cli_", 0) == 0;
      if (is_cli == cli) ids.insert(m[1]);
    }
  }
  return ids;
}

inline std::string markdown_row(const BadInputRow& r) {
  std::string answer;
  if (r.error.empty()) {
    answer = "accepted (result checked)";
  } else {
    for (const auto& f : r.error) answer += (answer.empty() ? "" : " … ") + f;
  }
  std::string escaped;
  for (char c : answer) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
  return "| `" + r.id + "` | " + r.what + " | " + r.input + (r.needs_cuda ? " (CUDA)" : "") +
         " | " + escaped + " |";
}

/// The table lists exactly these rows; INFOZOO_PRINT_BAD_INPUT_TABLE=1 prints them as Markdown.
inline void check_table_lists(const std::vector<BadInputRow>& rows, bool cli) {
  if (std::getenv("INFOZOO_PRINT_BAD_INPUT_TABLE")) {
    for (const auto& r : rows) std::cout << markdown_row(r) << "\n";
  }
  std::set<std::string> code;
  for (const auto& r : rows) {
    EXPECT_TRUE(code.insert(r.id).second) << "duplicate row id " << r.id;
  }
  const auto table = table_ids(cli);
  for (const auto& id : code)
    EXPECT_TRUE(table.count(id)) << "tests/bad_input.md lacks row `" << id << "`";
  for (const auto& id : table)
    EXPECT_TRUE(code.count(id)) << "tests/bad_input.md lists `" << id << "`, which no test runs";
}

}  // namespace infozoo::test_support
