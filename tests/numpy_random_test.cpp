// SPDX-License-Identifier: BSD-3-Clause
// NumpyRandomState against numpy 1.24's legacy RandomState, draw for draw
// (tests/generators/numpy_random.py); the streams must be identical, not close.
#include "infozoo/datasets/numpy_random.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace infozoo::datasets {
namespace {

using nlohmann::json;

// The tensor's values, flattened in C order, as JSON numbers (doubles or integers).
json flat_values(const torch::Tensor& t) {
  const auto c = t.contiguous();
  json out = json::array();
  if (c.scalar_type() == torch::kDouble) {
    const auto* p = c.data_ptr<double>();
    for (int64_t i = 0; i < c.numel(); ++i) out.push_back(p[i]);
  } else {
    const auto* p = c.data_ptr<int64_t>();
    for (int64_t i = 0; i < c.numel(); ++i) out.push_back(p[i]);
  }
  return out;
}

// numpy's nested lists flattened in C order.
void flatten(const json& j, json& out) {
  if (j.is_array()) {
    for (const auto& e : j) flatten(e, out);
  } else {
    out.push_back(j);
  }
}

std::vector<int64_t> sizes(const json& args, size_t from) {
  std::vector<int64_t> s;
  for (size_t i = from; i < args.size(); ++i) s.push_back(args[i].get<int64_t>());
  return s;
}

torch::Tensor run_step(NumpyRandomState& rs, const std::string& method, const json& a) {
  if (method == "rand") return rs.rand(sizes(a, 0));
  if (method == "randn") return rs.randn(sizes(a, 0));
  if (method == "normal")
    return rs.normal(a[0].get<double>(), a[1].get<double>(), {a[2].get<int64_t>()});
  if (method == "uniform")
    return rs.uniform(a[0].get<double>(), a[1].get<double>(), {a[2].get<int64_t>()});
  if (method == "randint")
    return rs.randint(a[0].get<int64_t>(), a[1].get<int64_t>(), {a[2].get<int64_t>()});
  if (method == "permutation") return rs.permutation(a[0].get<int64_t>());
  if (method == "shuffle") {
    auto x = torch::tensor(a[0].get<std::vector<int64_t>>(), torch::kLong);
    rs.shuffle(x);
    return x;
  }
  if (method == "shuffle2d") {
    const auto rows = a[0].get<int64_t>();
    const auto cols = a[1].get<int64_t>();
    auto x = torch::arange(rows * cols, torch::kDouble).reshape({rows, cols});
    rs.shuffle(x);
    return x;
  }
  ADD_FAILURE() << "unknown method " << method;
  return {};
}

TEST(NumpyRandomState, StreamsEqualNumpyDrawForDraw) {
  const auto expected = test_support::load_expected("numpy_random/streams.json");
  ASSERT_GE(expected["cases"].size(), 80U);
  for (const auto& c : expected["cases"]) {
    NumpyRandomState rs(c["seed"].get<int64_t>());
    for (const auto& step : c["steps"]) {
      const auto method = step["method"].get<std::string>();
      json want = json::array();
      flatten(step["values"], want);
      const auto got = flat_values(run_step(rs, method, step["args"]));
      ASSERT_EQ(got.size(), want.size()) << method << " seed " << c["seed"];
      for (size_t i = 0; i < want.size(); ++i) {
        if (want[i].is_number_float()) {
          ASSERT_EQ(got[i].get<double>(), want[i].get<double>())
              << method << step["args"] << " seed " << c["seed"] << " index " << i;
        } else {
          ASSERT_EQ(got[i].get<int64_t>(), want[i].get<int64_t>())
              << method << step["args"] << " seed " << c["seed"] << " index " << i;
        }
      }
    }
  }
}

TEST(NumpyRandomState, ReseedingRestartsTheStreamAndDropsTheCachedGaussian) {
  const auto expected = test_support::load_expected("numpy_random/streams.json")["reseed7_randn3"];
  NumpyRandomState rs(7);
  rs.randn({1});  // leaves a cached second value behind
  rs.seed(7);
  const auto got = rs.randn({3});
  for (int64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(got[i].item<double>(), expected[i].get<double>());
  }
}

TEST(NumpyRandomState, ShapesAndDtypesFollowNumpy) {
  NumpyRandomState rs(0);
  EXPECT_EQ(rs.rand({2, 3}).sizes(), torch::IntArrayRef({2, 3}));
  EXPECT_EQ(rs.randn({4}).scalar_type(), torch::kDouble);
  EXPECT_EQ(rs.randint(0, 5, {2, 2}).scalar_type(), torch::kLong);
  EXPECT_EQ(rs.rand({0}).numel(), 0);
  const auto r = rs.randint(-3, 4, {1000});
  EXPECT_EQ(r.min().item<int64_t>(), -3);
  EXPECT_EQ(r.max().item<int64_t>(), 3);
  const auto u = rs.uniform(2.0, 3.0, {1000});
  EXPECT_GE(u.min().item<double>(), 2.0);
  EXPECT_LT(u.max().item<double>(), 3.0);
}

TEST(NumpyRandomState, ShuffleMovesRowsOfAnyDtypeTogether) {
  NumpyRandomState a(3);
  NumpyRandomState b(3);
  auto x = torch::arange(12, torch::kFloat).reshape({6, 2});
  a.shuffle(x);
  const auto order = b.permutation(6);
  EXPECT_TRUE(
      torch::equal(x, torch::arange(12, torch::kFloat).reshape({6, 2}).index_select(0, order)));
}

using infozoo::test_support::expect_error;

TEST(NumpyRandomState, BadArgumentsNameTheArgumentAndValue) {
  expect_error([] { NumpyRandomState rs(-1); }, "seed must be between 0 and 2**32 - 1, got -1");
  expect_error([] { NumpyRandomState rs(int64_t{1} << 32); },
               "seed must be between 0 and 2**32 - 1, got 4294967296");
  NumpyRandomState rs(0);
  expect_error([&] { rs.seed(-5); }, "got -5");
  expect_error([&] { rs.randint(3, 3, {2}); }, "randint needs low < high, got low=3, high=3");
  expect_error([&] { rs.normal(0.0, -1.0, {2}); }, "normal needs scale >= 0, got scale=-1");
  expect_error([&] { rs.rand({2, -1}); }, "size must not have negative dimensions, got [2, -1]");
  expect_error([&] { rs.permutation(-2); }, "permutation needs n >= 0, got n=-2");
  expect_error([&] { rs.uniform(-1e308, 1e308, {1}); }, "uniform needs a finite high - low");
  expect_error(
      [&] {
        auto scalar = torch::tensor(1.0);
        rs.shuffle(scalar);
      },
      "shuffle needs a tensor with at least one dimension");
}

}  // namespace
}  // namespace infozoo::datasets
