// make_moons, make_classification and sample_without_replacement against scikit-learn 1.2.1
// (tests/generators/sklearn_datasets.py): the arrays must be identical, not close.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "infozoo/datasets/make_moons.h"
#include "test_support.h"

namespace infozoo::datasets {
namespace {

using nlohmann::json;

// FNV-1a 64 of the tensor's bytes in C order, as the generator hashes numpy's arrays.
std::string fnv1a(const torch::Tensor& t) {
  const auto c = t.contiguous();
  const auto* bytes = static_cast<const unsigned char*>(c.data_ptr());
  const size_t n = static_cast<size_t>(c.numel()) * c.element_size();
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; ++i) {
    h = (h ^ bytes[i]) * 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

void flatten(const json& j, std::vector<json>& out) {
  if (j.is_array()) {
    for (const auto& e : j) flatten(e, out);
  } else {
    out.push_back(j);
  }
}

// Exact comparison with numpy's array: shape, then every value or the hash and the head rows.
void expect_same_array(const json& expected, const torch::Tensor& actual, const std::string& what) {
  std::vector<int64_t> shape = expected["shape"].get<std::vector<int64_t>>();
  ASSERT_EQ(actual.sizes().vec(), shape) << what;
  const bool is_double = actual.scalar_type() == torch::kDouble;
  auto check_values = [&](const json& values, const torch::Tensor& t) {
    std::vector<json> want;
    flatten(values, want);
    const auto flat = t.contiguous().view({-1});
    ASSERT_EQ(static_cast<size_t>(flat.numel()), want.size()) << what;
    for (size_t i = 0; i < want.size(); ++i) {
      if (is_double) {
        ASSERT_EQ(flat[static_cast<int64_t>(i)].item<double>(), want[i].get<double>())
            << what << " at flat index " << i;
      } else {
        ASSERT_EQ(flat[static_cast<int64_t>(i)].item<int64_t>(), want[i].get<int64_t>())
            << what << " at flat index " << i;
      }
    }
  };
  if (expected.contains("values")) {
    check_values(expected["values"], actual);
  } else {
    check_values(expected["head"], actual.slice(0, 0, 5));
    EXPECT_EQ(fnv1a(actual), expected["fnv1a"].get<std::string>()) << what << " (hash of all values)";
  }
}

void expect_error(const std::function<void()>& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << text;
  } catch (const c10::Error& e) {
    EXPECT_NE(std::string(e.what_without_backtrace()).find(text), std::string::npos)
        << e.what_without_backtrace();
  }
}

TEST(MakeMoons, EqualsScikitLearn) {
  const auto expected = testing::load_expected("sklearn_datasets/make_moons.json");
  ASSERT_GE(expected["cases"].size(), 9U);
  for (const auto& c : expected["cases"]) {
    const auto& kw = c["kwargs"];
    const double noise = kw["noise"].is_null() ? 0.0 : kw["noise"].get<double>();
    const auto shuffle = kw["shuffle"].get<bool>();
    const auto seed = kw["random_state"].get<int64_t>();
    const auto data = kw["n_samples"].is_array()
                          ? make_moons({kw["n_samples"][0].get<int64_t>(), kw["n_samples"][1].get<int64_t>()},
                                       noise, shuffle, seed)
                          : make_moons(kw["n_samples"].get<int64_t>(), noise, shuffle, seed);
    expect_same_array(c["X"], data.X, "X of make_moons" + kw.dump());
    expect_same_array(c["y"], data.y, "y of make_moons" + kw.dump());
  }
}

TEST(MakeMoons, UnseededRunsDifferButKeepTheShape) {
  const auto a = make_moons(50, 0.1);
  const auto b = make_moons(50, 0.1);
  EXPECT_EQ(a.X.sizes(), torch::IntArrayRef({50, 2}));
  EXPECT_EQ(a.y.sum().item<int64_t>(), 25);
  EXPECT_FALSE(torch::equal(a.X, b.X));
}

TEST(MakeMoons, BadArguments) {
  expect_error([] { make_moons(-1); }, "make_moons: n_samples must be >= 0, got -1");
  expect_error([] { make_moons({3, -2}); },
               "make_moons: the number of samples of each moon must be >= 0, got (3, -2)");
  expect_error([] { make_moons(10, -0.5); }, "make_moons: noise must be >= 0, got -0.5");
  expect_error([] { make_moons(10, 0.1, true, -3); }, "seed must be between 0 and 2**32 - 1, got -3");
}

}  // namespace
}  // namespace infozoo::datasets
