// SPDX-License-Identifier: BSD-3-Clause
#include "test_support.h"

#include <c10/util/Exception.h>
#include <ftw.h>
#include <gtest/gtest.h>
#include <torch/cuda.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

namespace infozoo::test_support {

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "_XXXXXX")).string();
  TORCH_CHECK(::mkdtemp(pattern.data()) != nullptr, "cannot make a scratch folder ", pattern);
  path = pattern;
}

// nftw, not std::filesystem::remove_all: a LibTorch 2.11 wheel's libtorch.so exports its own copy
// of remove_all, which the dynamic linker binds ahead of libstdc++'s and which jumps to address 0
// (seen on the GPU machine's PyTorch 2.11+cu130 with GCC 13).
TempDir::~TempDir() {
  const auto remove_entry = [](const char* entry, const struct stat*, int, struct FTW*) {
    return ::remove(entry);  // children first (FTW_DEPTH); a failure stops the walk, harmlessly
  };
  ::nftw(path.c_str(), remove_entry, /*nopenfd=*/16, FTW_DEPTH | FTW_PHYS);
}

InDirectory::InDirectory(const std::filesystem::path& dir)
    : before_(std::filesystem::current_path()) {
  std::filesystem::current_path(dir);
}

InDirectory::~InDirectory() {
  std::error_code ignored;  // a destructor must not throw
  std::filesystem::current_path(before_, ignored);
}

std::string gtest_name(std::string name) {
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

nlohmann::json load_expected(const std::string& relative) {
  const auto path = std::filesystem::path(INFOZOO_EXPECTED_DIR) / relative;
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot open expected values " + path.string());
  }
  return nlohmann::json::parse(in);
}

std::vector<std::string> expected_files(const std::string& folder) {
  std::vector<std::string> names;
  const auto dir = std::filesystem::path(INFOZOO_EXPECTED_DIR) / folder;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

int64_t ulp_distance(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<int64_t>::max();
  // IEEE doubles ordered as integers: the sign-magnitude bits mapped onto a monotone scale.
  const auto ordered = [](double x) {
    int64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits < 0 ? std::numeric_limits<int64_t>::min() - bits : bits;
  };
  const int64_t ia = ordered(a), ib = ordered(b);
  // Saturate instead of overflowing for values of opposite signs far apart.
  if ((ia < 0) != (ib < 0)) {
    const uint64_t d = static_cast<uint64_t>(ia < 0 ? -(ia + 1) : ia) +
                       static_cast<uint64_t>(ib < 0 ? -(ib + 1) : ib) + 1;
    return d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
               ? std::numeric_limits<int64_t>::max()
               : static_cast<int64_t>(d);
  }
  return ia > ib ? ia - ib : ib - ia;
}

namespace {

// The last object key of a JSON path: "probs" for "$.sweep[2].probs[0]".
std::string last_key(const std::string& path) {
  std::string p = path;
  while (!p.empty() && p.back() == ']') p.erase(p.rfind('['));
  const auto dot = p.rfind('.');
  return dot == std::string::npos ? std::string() : p.substr(dot + 1);
}

}  // namespace

void expect_json_near(const nlohmann::json& expected, const nlohmann::json& actual,
                      const JsonTolerance& tol, const std::string& path) {
  using nlohmann::json;
  if (expected.is_number() && actual.is_number()) {
    if (expected.is_number_integer() && actual.is_number_integer()) {
      EXPECT_EQ(expected.get<int64_t>(), actual.get<int64_t>()) << "at " << path;
      return;
    }
    const double e = expected.get<double>();
    const double a = actual.get<double>();
    int64_t max_ulps = tol.max_ulps;
    if (!tol.max_ulps_by_key.empty()) {
      const auto it = tol.max_ulps_by_key.find(last_key(path));
      if (it != tol.max_ulps_by_key.end()) max_ulps = it->second;
    }
    if (max_ulps >= 0) {
      EXPECT_LE(ulp_distance(e, a), max_ulps)
          << "at " << path << ": expected " << std::setprecision(17) << e << ", got " << a << " ("
          << ulp_distance(e, a) << " ulps apart, allowed " << max_ulps << ")";
      return;
    }
    const double bound = tol.atol + tol.rtol * std::max(std::abs(e), std::abs(a));
    EXPECT_LE(std::abs(e - a), bound)
        << "at " << path << ": expected " << e << ", got " << a << " (rtol " << tol.rtol << ")";
    return;
  }
  if (expected.type() != actual.type()) {
    ADD_FAILURE() << "at " << path << ": expected " << expected.dump() << ", got " << actual.dump();
    return;
  }
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) {
        ADD_FAILURE() << "at " << path << ": missing key \"" << key << "\"";
        continue;
      }
      expect_json_near(value, actual.at(key), tol, path + "." + key);
    }
    if (!tol.allow_extra_keys) {
      for (const auto& [key, value] : actual.items()) {
        EXPECT_TRUE(expected.contains(key))
            << "at " << path << ": unexpected key \"" << key << "\"";
      }
    }
  } else if (expected.is_array()) {
    ASSERT_EQ(expected.size(), actual.size()) << "at " << path << ": array lengths differ";
    for (size_t i = 0; i < expected.size(); ++i) {
      expect_json_near(expected[i], actual[i], tol, path + "[" + std::to_string(i) + "]");
    }
  } else {
    EXPECT_EQ(expected, actual) << "at " << path;
  }
}

void expect_error(const std::function<void()>& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << text;
  } catch (const c10::Error& e) {
    const std::string message = e.what_without_backtrace();
    EXPECT_NE(message.find(text), std::string::npos) << "message: " << message;
  }
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const c10::Error& e) {
    return e.what_without_backtrace();
  }
  return "(no error)";
}

bool torch_cuda_available() { return torch::cuda::is_available(); }

}  // namespace infozoo::test_support
