// SPDX-License-Identifier: BSD-3-Clause
// Test helpers: expected values produced by ../shared/reference/reference.py
// (tests/generate_expected.py), JSON comparison with tolerances, and the in-process CLI.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace infozoo::test_support {

/// A fresh folder under the system's temporary directory (`<prefix>_XXXXXX`), removed with its
/// contents when this object is destroyed.
struct TempDir {
  explicit TempDir(const std::string& prefix = "infozoo_test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path path;
};

/// Makes `dir` the working directory while this object lives, then returns to the one before,
/// also when the scope is left by an exception.
/// Example: `TempDir dir; { const InDirectory in(dir.path); write_default_png(); }`
class InDirectory {
 public:
  explicit InDirectory(const std::filesystem::path& dir);
  ~InDirectory();
  InDirectory(const InDirectory&) = delete;
  InDirectory& operator=(const InDirectory&) = delete;

 private:
  std::filesystem::path before_;
};

/// `name` as a GoogleTest parameter name, which allows only letters, digits and '_': each '-' of a
/// subcommand's name becomes '_'.
/// Example: `gtest_name("mi-hist")` is "mi_hist".
std::string gtest_name(std::string name);

/// Reads tests/expected/<relative>.
nlohmann::json load_expected(const std::string& relative);

/// The names of the .json files in tests/expected/<folder>/, sorted.
std::vector<std::string> expected_files(const std::string& folder);

struct JsonTolerance {
  double rtol = 1e-9;             // relative, against max(|expected|, |actual|)
  double atol = 0.0;              // absolute floor, for values that should be 0
  bool allow_extra_keys = false;  // the actual object may carry keys the reference lacks
  // >= 0: non-integer numbers must lie within this many float64 ulps (ulp_distance) instead of
  // rtol/atol; 0 is bit for bit.
  int64_t max_ulps = -1;
  // Per-key ulp budgets, by the last key of a number's JSON path ("probs" for $.sweep[2].probs[0]);
  // they override max_ulps and rtol/atol for that key.
  std::map<std::string, int64_t> max_ulps_by_key = {};
};

/// The number of float64 values from `a` to `b` (0 when equal, +0 and -0 included; 1 for
/// neighbours); the maximum int64 when either is NaN.
/// Example: `ulp_distance(1.0, std::nextafter(1.0, 2.0))` is 1.
int64_t ulp_distance(double a, double b);

/// Adds a GoogleTest failure, naming the JSON path, wherever `actual` differs from `expected`:
/// other keys, other lengths, other types, or numbers further apart than `tol` (integers exactly).
void expect_json_near(const nlohmann::json& expected, const nlohmann::json& actual,
                      const JsonTolerance& tol, const std::string& path = "$");

struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

/// Adds a GoogleTest failure unless `f` throws a c10::Error whose message contains `text`.
void expect_error(const std::function<void()>& f, const std::string& text);

/// The message (without backtrace) of the c10::Error that `f` throws, or "(no error)".
std::string error_of(const std::function<void()>& f);

/// Whether LibTorch sees a CUDA device (the *_CUDA tests skip without one).
bool torch_cuda_available();

/// Runs `infozoo <args>` in-process through apps::run_cli (tests linking infozoo_experiments).
CliResult run_infozoo(const std::vector<std::string>& args);

/// run_infozoo with the working directory `dir` (a TempDir), where a subcommand's default --out
/// picture lands, then back to where it was.
/// Example: `TempDir dir; const auto r = run_infozoo_in(dir.path, {"temperature"});`
CliResult run_infozoo_in(const std::filesystem::path& dir, const std::vector<std::string>& args);

}  // namespace infozoo::test_support
