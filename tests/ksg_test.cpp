// SPDX-License-Identifier: BSD-3-Clause
// The multivariate k-NN estimators (ksg.h, differential_entropy.h, mi_significance.h) against
// independent values on the same data (tests/generators/ksg_reference.py: a cKDTree KSG of its
// own, ennemi and NPEET with their noise off, scikit-learn), against scikit-learn-exact
// mutual_info_regression bit for bit, against closed forms for Gaussians, and for thread-count
// independence.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "infozoo/analysis/differential_entropy.h"
#include "infozoo/analysis/ksg.h"
#include "infozoo/analysis/mi_significance.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/datasets/numpy_random.h"
#include "test_support.h"

namespace infozoo::test_support {
namespace {

namespace an = infozoo::analysis;
using an::KsgAlgorithm;
using an::KsgOptions;

torch::Tensor matrix(const nlohmann::json& rows) {
  const int64_t n = static_cast<int64_t>(rows.size());
  const int64_t d = static_cast<int64_t>(rows[0].size());
  auto t = torch::empty({n, d}, torch::kDouble);
  auto a = t.accessor<double, 2>();
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t c = 0; c < d; ++c) a[i][c] = rows[i][c].get<double>();
  }
  return t;
}

// Same formula, other code: only the order of a few float64 operations differs.
void expect_close(double expected, double actual, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::fabs(expected) + 1e-12) << what;
}

class KsgReference : public ::testing::TestWithParam<std::string> {};

TEST_P(KsgReference, MatchesIndependentImplementations) {
  const auto c = load_expected("ksg/" + GetParam());
  const auto x = matrix(c["x"]), y = matrix(c["y"]);
  const bool conditional = !c["z"].is_null();
  const auto z = conditional ? matrix(c["z"]) : torch::Tensor();
  for (const auto& [ks, v] : c["k"].items()) {
    const int64_t k = std::stoll(ks);
    const std::string at = c["name"].get<std::string>() + " k=" + ks;
    const auto& own = v["own"];
    const KsgOptions one = KsgOptions().k(k), two = KsgOptions().k(k).algorithm(KsgAlgorithm::kTwo);
    // ennemi's digamma is the asymptotic series cut after x^-6: each digamma term is off by less
    // than the next term 1/(240 x^8), at most 1.63e-5 (x = 2; x = 1 is exact), and an estimate
    // has at most four such terms.
    const double ennemi_psi_tol = 4 * 1.63e-5;
    const double h = an::kl_entropy(x, an::KlEntropyOptions().k(k));
    expect_close(own["entropy_x"], h, at + " entropy own");
    expect_close(v["npeet"]["entropy_x"], h, at + " entropy NPEET");
    expect_close(v["ennemi_exact_psi"]["entropy_x"], h, at + " entropy ennemi (exact digamma)");
    EXPECT_NEAR(v["ennemi"]["entropy_x"].get<double>(), h, ennemi_psi_tol) << at;
    if (!conditional) {
      const double i1 = an::ksg_mutual_info(x, y, one);
      expect_close(own["ksg1"], i1, at + " KSG1 own");
      expect_close(v["npeet"]["mi"], i1, at + " KSG1 NPEET");
      expect_close(v["ennemi_exact_psi"]["mi"], i1, at + " KSG1 ennemi (exact digamma)");
      EXPECT_NEAR(v["ennemi"]["mi"].get<double>(), i1, ennemi_psi_tol) << at;
      expect_close(own["ksg2"], an::ksg_mutual_info(x, y, two), at + " KSG2 own");
      expect_close(own["entropy_xy"],
                   an::kl_entropy(torch::cat({x, y}, 1), an::KlEntropyOptions().k(k)),
                   at + " joint entropy own");
    } else {
      const double i1 = an::conditional_mutual_info(x, y, z, one);
      expect_close(own["cmi1"], i1, at + " CMI1 own");
      expect_close(v["npeet"]["cmi"], i1, at + " CMI1 NPEET");
      expect_close(v["ennemi_exact_psi"]["cmi"], i1, at + " CMI1 ennemi (exact digamma)");
      EXPECT_NEAR(v["ennemi"]["cmi"].get<double>(), i1, ennemi_psi_tol) << at;
      expect_close(own["cmi2"], an::conditional_mutual_info(x, y, z, two), at + " CMI2 own");
    }
  }
  // scikit-learn's mutual_info_regression (scaling and jitter), clipped at 0, bit for bit.
  if (c.contains("sklearn")) {
    for (const auto& s : c["sklearn"]) {
      const double mi = an::ksg_mutual_info(x, y.squeeze(1),
                                            KsgOptions()
                                                .k(s["k"].get<int64_t>())
                                                .standardize(true)
                                                .jitter_seed(s["seed"].get<int64_t>()));
      EXPECT_EQ(std::max(0.0, mi), s["mi"].get<double>())
          << "seed " << s["seed"] << " k " << s["k"];
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, KsgReference, ::testing::ValuesIn(expected_files("ksg")),
                         [](const auto& info) {
                           return info.param.substr(0, info.param.size() - 5);  // drop ".json"
                         });

// One-column X and y: the KSG estimate with scikit-learn's preprocessing is
// mutual_info_regression (itself bit for bit scikit-learn's, mutual_info_test.cpp) before its
// clipping, at sizes around numpy's 8192-element summation buffer and beyond, where the order of
// the sums matters to the last bit.
TEST(KsgMutualInfo, OneColumnEqualsMutualInfoRegressionBitForBit) {
  for (const int64_t n : {40, 1000, 8192, 8193, 20000}) {
    datasets::NumpyRandomState rs(static_cast<int64_t>(n));
    const auto x = rs.standard_normal({n, 1}) * 3.0 + 1.0;
    const auto y = (x.squeeze(1) * 0.5).sin() + 0.4 * rs.standard_normal({n});
    for (const int64_t k : {1, 3, 7}) {
      for (const int64_t seed : {int64_t{0}, int64_t{5}, int64_t{4294967295}}) {
        const double ours =
            an::ksg_mutual_info(x, y, KsgOptions().k(k).standardize(true).jitter_seed(seed));
        const double sklearn =
            an::mutual_info_regression(x, y,
                                       an::MutualInfoOptions().n_neighbors(k).random_state(seed))[0]
                .item<double>();
        EXPECT_EQ(std::max(0.0, ours), sklearn) << "n=" << n << " k=" << k << " seed=" << seed;
      }
    }
  }
}

// Gaussians with a known MI, n = 20000 at 1 and 2 threads: identical bits.
TEST(KsgMutualInfo, SameBitsForAnyThreadCount) {
  datasets::NumpyRandomState rs(3);
  const auto z = rs.standard_normal({20000, 5});
  const auto x = z.slice(1, 0, 2), y = z.slice(1, 2, 4) + 0.5 * z.slice(1, 0, 2);
  const auto c = z.slice(1, 4, 5) + 0.3 * z.slice(1, 0, 1);
  auto run = [&] {
    return std::vector<double>{
        an::ksg_mutual_info(x, y),
        an::ksg_mutual_info(x, y, KsgOptions().algorithm(KsgAlgorithm::kTwo).k(5)),
        an::conditional_mutual_info(x, y, c),
        an::conditional_mutual_info(x, y, c, KsgOptions().algorithm(KsgAlgorithm::kTwo)),
        an::kl_entropy(z),
    };
  };
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const auto one = run();
  at::set_num_threads(2);
  const auto two = run();
  at::set_num_threads(threads);
  for (size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i], two[i]) << "estimate " << i;
}

}  // namespace
}  // namespace infozoo::test_support
