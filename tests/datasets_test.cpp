// SPDX-License-Identifier: BSD-3-Clause
// make_moons, make_classification and sample_without_replacement against scikit-learn 1.2.1
// (tests/generators/sklearn_datasets.py): the arrays must be identical, not close.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "infozoo/datasets/make_classification.h"
#include "infozoo/datasets/make_moons.h"
#include "infozoo/datasets/sample_without_replacement.h"
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
void expect_same_array(const json& expected, const torch::Tensor& actual, const std::string& what,
                       double rtol = 0.0) {
  std::vector<int64_t> shape = expected["shape"].get<std::vector<int64_t>>();
  ASSERT_EQ(actual.sizes().vec(), shape) << what;
  const bool is_double = actual.scalar_type() == torch::kDouble;
  auto check_values = [&](const json& values, const torch::Tensor& t) {
    std::vector<json> want;
    flatten(values, want);
    const auto flat = t.contiguous().view({-1});
    ASSERT_EQ(static_cast<size_t>(flat.numel()), want.size()) << what;
    for (size_t i = 0; i < want.size(); ++i) {
      if (is_double && rtol > 0.0) {
        const double w = want[i].get<double>();
        ASSERT_NEAR(flat[static_cast<int64_t>(i)].item<double>(), w, rtol * std::abs(w))
            << what << " at flat index " << i;
      } else if (is_double) {
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
    if (rtol == 0.0) {
      EXPECT_EQ(fnv1a(actual), expected["fnv1a"].get<std::string>())
          << what << " (hash of all values)";
    }
  }
}

using infozoo::test_support::expect_error;

TEST(MakeMoons, EqualsScikitLearn) {
  const auto expected = test_support::load_expected("sklearn_datasets/make_moons.json");
  ASSERT_GE(expected["cases"].size(), 9U);
  for (const auto& c : expected["cases"]) {
    const auto& kw = c["kwargs"];
    const double noise = kw["noise"].is_null() ? 0.0 : kw["noise"].get<double>();
    const auto shuffle = kw["shuffle"].get<bool>();
    const auto seed = kw["random_state"].get<int64_t>();
    const auto data =
        kw["n_samples"].is_array()
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
  expect_error(
      [] {
        make_moons({3, -2});
      },
      "make_moons: the number of samples of each moon must be >= 0, got (3, -2)");
  expect_error([] { make_moons(10, -0.5); }, "make_moons: noise must be >= 0, got -0.5");
  expect_error([] { make_moons(10, 0.1, true, -3); },
               "seed must be between 0 and 2**32 - 1, got -3");
}

MakeClassificationOptions options_from(const json& kw) {
  MakeClassificationOptions o;
  auto i = [&](const char* k, int64_t d) { return kw.contains(k) ? kw[k].get<int64_t>() : d; };
  o.n_samples(i("n_samples", 100))
      .n_features(i("n_features", 20))
      .n_informative(i("n_informative", 2));
  o.n_redundant(i("n_redundant", 2)).n_repeated(i("n_repeated", 0)).n_classes(i("n_classes", 2));
  o.n_clusters_per_class(i("n_clusters_per_class", 2));
  if (kw.contains("weights")) o.weights(kw["weights"].get<std::vector<double>>());
  if (kw.contains("flip_y")) o.flip_y(kw["flip_y"].get<double>());
  if (kw.contains("class_sep")) o.class_sep(kw["class_sep"].get<double>());
  if (kw.contains("hypercube")) o.hypercube(kw["hypercube"].get<bool>());
  if (kw.contains("shuffle")) o.shuffle(kw["shuffle"].get<bool>());
  if (kw.contains("shift")) {
    o.shift(kw["shift"].is_null() ? std::nullopt
                                  : std::optional<double>(kw["shift"].get<double>()));
  }
  if (kw.contains("scale")) {
    o.scale(kw["scale"].is_null() ? std::nullopt
                                  : std::optional<double>(kw["scale"].get<double>()));
  }
  o.random_state(kw["random_state"].get<int64_t>());
  return o;
}

TEST(MakeClassification, EqualsScikitLearn) {
  const auto expected = test_support::load_expected("sklearn_datasets/make_classification.json");
  ASSERT_GE(expected["cases"].size(), 12U);
  for (const auto& c : expected["cases"]) {
    const auto data = make_classification(options_from(c["kwargs"]));
    // numpy sends a product with one column (n_redundant == 1) or one row (a cluster of a single
    // sample) to OpenBLAS's dgemv, whose summation order numpy_dot does not reproduce.
    const bool via_gemv = c["blas_gemv"].get<bool>();
    expect_same_array(c["X"], data.X, "X of make_classification" + c["kwargs"].dump(),
                      via_gemv ? 1e-13 : 0.0);
    expect_same_array(c["y"], data.y, "y of make_classification" + c["kwargs"].dump());
  }
}

TEST(MakeClassification, DefaultsAndLayout) {
  const auto data = make_classification(MakeClassificationOptions().random_state(3).shuffle(false));
  EXPECT_EQ(data.X.sizes(), torch::IntArrayRef({100, 20}));
  EXPECT_EQ(data.X.scalar_type(), torch::kDouble);
  EXPECT_EQ(data.y.scalar_type(), torch::kLong);
  // Unshuffled, the two redundant columns are exact linear images of the two informative ones.
  const auto informative = data.X.slice(1, 0, 2);
  const auto solution = std::get<0>(torch::linalg_lstsq(informative, data.X.slice(1, 2, 4)));
  EXPECT_LT((informative.matmul(solution) - data.X.slice(1, 2, 4)).abs().max().item<double>(),
            1e-9);
}

// The roles after the feature shuffle, against scikit-learn's (tests/generators/
// classification_roles.py matches each shuffled column to an unshuffled one, whose role is known by
// position). A repeated column equals its source, so either role is accepted where both fit.
TEST(MakeClassification, RolesFollowTheShuffle) {
  const auto cases = test_support::load_expected("sklearn_datasets/classification_roles.json");
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    auto options = options_from(c["options"]);
    const auto shuffled = make_classification_with_roles(options);
    const auto plain = make_classification(options);
    EXPECT_TRUE(at::equal(shuffled.X, plain.X)) << "X must stay make_classification's";
    EXPECT_TRUE(at::equal(shuffled.y, plain.y));
    ASSERT_EQ(shuffled.roles.size(), c["roles_shuffled"].size());
    for (size_t j = 0; j < shuffled.roles.size(); ++j) {
      const std::string role = feature_role_name(shuffled.roles[j]);
      const auto& want = c["roles_shuffled"][j];
      if (want.is_string()) {
        EXPECT_EQ(role, want.get<std::string>()) << c["options"].dump() << " column " << j;
      } else {
        const auto either = want.get<std::vector<std::string>>();
        EXPECT_NE(std::find(either.begin(), either.end(), role), either.end())
            << c["options"].dump() << " column " << j << ": " << role;
      }
    }
    const auto unshuffled = make_classification_with_roles(options.shuffle(false));
    for (size_t j = 0; j < unshuffled.roles.size(); ++j) {
      EXPECT_EQ(feature_role_name(unshuffled.roles[j]),
                c["roles_unshuffled"][j].get<std::string>());
    }
  }
}

TEST(MakeClassification, BadArguments) {
  using O = MakeClassificationOptions;
  expect_error([] { make_classification(O().n_features(5).n_informative(3).n_redundant(3)); },
               "Number of informative, redundant and repeated features must sum to less than the "
               "number of total features, got n_informative=3 + n_redundant=3 + n_repeated=0 > "
               "n_features=5");
  expect_error(
      [] { make_classification(O().n_classes(3).n_informative(2)); },
      "n_classes(3) * n_clusters_per_class(2) must be smaller or equal 2**n_informative(2)");
  expect_error(
      [] {
        make_classification(O().n_classes(3).n_informative(3).weights({0.5, 0.2, 0.2, 0.1}));
      },
      "Weights specified but incompatible with number of classes: weights needs 3 or 2 "
      "entries for n_classes=3, got 4");
  expect_error([] { make_classification(O().weights({-0.5})); },
               "weights must be finite and >= 0, got -0.5");
  expect_error([] { make_classification(O().n_samples(-4)); }, "n_samples must be >= 0, got -4");
  expect_error([] { make_classification(O().n_informative(0)); },
               "n_informative must be >= 1, got 0");
  expect_error([] { make_classification(O().n_classes(0)); },
               "n_classes and n_clusters_per_class must be >= 1, got n_classes=0");
  expect_error([] { make_classification(O().random_state(int64_t{1} << 33)); },
               "seed must be between 0 and 2**32 - 1, got 8589934592");
}

TEST(SampleWithoutReplacement, EqualsScikitLearnForEveryMethod) {
  const auto expected =
      test_support::load_expected("sklearn_datasets/sample_without_replacement.json");
  ASSERT_GE(expected["cases"].size(), 13U);
  for (const auto& c : expected["cases"]) {
    NumpyRandomState rng(c["random_state"].get<int64_t>());
    const auto got =
        sample_without_replacement(c["n_population"].get<int64_t>(), c["n_samples"].get<int64_t>(),
                                   c["method"].get<std::string>(), rng);
    const auto want = c["values"].get<std::vector<int64_t>>();
    ASSERT_EQ(got.numel(), static_cast<int64_t>(want.size())) << c.dump();
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(got[static_cast<int64_t>(i)].item<int64_t>(), want[i]) << c.dump();
    }
  }
}

TEST(SampleWithoutReplacement, BadArguments) {
  NumpyRandomState rng(0);
  expect_error([&] { sample_without_replacement(3, 5, "auto", rng); },
               "n_population should be greater or equal than n_samples, got n_samples > "
               "n_population (5 > 3)");
  expect_error([&] { sample_without_replacement(-1, 0, "auto", rng); },
               "n_population should be greater than 0, got -1");
  expect_error([&] { sample_without_replacement(10, 2, "magic", rng); }, "got 'magic'");
}

}  // namespace
}  // namespace infozoo::datasets
