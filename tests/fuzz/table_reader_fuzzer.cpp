// SPDX-License-Identifier: BSD-3-Clause
// Fuzzes io::read_table on CSV and .npy bytes. The first input byte picks the options (delimiter,
// drop_missing, a target column named "y" or none); the rest is the file. A CSV goes through
// read_csv on a stream, a .npy (numpy's magic bytes) through read_table on the scratch file.
// Errors must be c10::Error; a table that comes back must be consistent: as many names,
// categorical flags and category lists as columns, unique names, finite values, codes of text
// columns in [0, categories), the target last, and the matrix inside its storage.
#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>

#include "fuzz_support.h"
#include "infozoo/io/table.h"

namespace {

infozoo::fuzz::ScratchCleanup cleanup;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "inconsistent table: %s\n", what);
  std::abort();
}

void check_table(const infozoo::io::Table& t, bool with_target) {
  if (t.values.dim() != 2 || t.values.scalar_type() != at::kDouble) fail("not a float64 matrix");
  const int64_t n = t.values.size(0), p = t.values.size(1);
  if (n < 1 || p < 1) fail("no rows or no columns");
  if (static_cast<int64_t>(t.names.size()) != p ||
      static_cast<int64_t>(t.categorical.size()) != p ||
      static_cast<int64_t>(t.categories.size()) != p) {
    fail("names, categorical and categories do not match the columns");
  }
  if (std::set<std::string>(t.names.begin(), t.names.end()).size() != t.names.size()) {
    fail("duplicate names");
  }
  if (with_target && t.names.back() != "y") fail("the target is not the last column");
  if (t.dropped_rows < 0) fail("negative dropped_rows");
  infozoo::fuzz::check_inside_storage(t.values, "values");
  const auto columns = t.values.t().contiguous();
  const double* v = columns.data_ptr<double>();
  for (int64_t j = 0; j < p; ++j) {
    const auto n_codes = static_cast<double>(t.categories[j].size());
    if (t.categorical[j] == t.categories[j].empty()) fail("a text column without categories");
    for (int64_t i = 0; i < n; ++i) {
      const double x = v[j * n + i];
      if (!std::isfinite(x)) fail("a value that is not finite");
      if (t.categorical[j] && (x < 0 || x >= n_codes || x != std::floor(x))) fail("a bad code");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  infozoo::fuzz::use_one_thread();
  if (size < 1) return -1;
  const char delimiters[] = {',', ';', '\t', ' '};
  const bool with_target = (data[0] & 8) != 0;
  auto options = infozoo::io::ReadTableOptions()
                     .delimiter(delimiters[data[0] & 3])
                     .drop_missing((data[0] & 4) != 0);
  if (with_target) options.target_column("y");
  const std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (file.rfind("\x93NUMPY", 0) == 0) {
      infozoo::fuzz::write_scratch(file.data(), file.size());
      check_table(infozoo::io::read_table(infozoo::fuzz::scratch_path(), options), with_target);
    } else {
      std::istringstream in(file);
      check_table(infozoo::io::read_csv(in, "fuzz.csv", options), with_target);
    }
  } catch (const c10::Error&) {
  }
  return 0;
}
