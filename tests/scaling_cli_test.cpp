// SPDX-License-Identifier: BSD-3-Clause
// `infozoo scaling` against closed forms and an independent Monte Carlo: var(q.k) = dk for N(0, 1)
// components; after the 1/sqrt(dk) scaling the softmax over L keys has the entropy of a softmax
// of L i.i.d. N(0, 1) scores, for every dk; unscaled it saturates as dk grows.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <string>
#include <vector>

#include "test_support.h"

namespace infozoo::test_support {
namespace {

nlohmann::json run_json(const std::vector<std::string>& more) {
  std::vector<std::string> args{"scaling", "--json", "--device", "cpu"};
  args.insert(args.end(), more.begin(), more.end());
  const auto r = run_infozoo(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(ScalingCli, VarianceIsDkAndScalingRestoresOne) {
  const auto j = run_json({"--dk", "4,64,1024", "--queries", "2000"});
  ASSERT_EQ(j.at("rows").size(), 3u);
  for (const auto& row : j.at("rows")) {
    const double dk = row.at("dk").get<double>();
    // Scores of one query share q: their squares correlate (cov 2 dk), so the variance estimate's
    // relative error is about sqrt(2 / queries) = 3%; 12% is four of them.
    EXPECT_NEAR(row.at("variance").at("unscaled").get<double>() / dk, 1.0, 0.12) << dk;
    EXPECT_NEAR(row.at("variance").at("scaled").get<double>(), 1.0, 0.12) << dk;
  }
}

TEST(ScalingCli, ScaledEntropyIsThatOfStandardNormalScores) {
  const int64_t keys = 64;
  const auto j = run_json({"--dk", "16,1024", "--keys", std::to_string(keys)});
  // The independent estimate: the softmax of L i.i.d. N(0, 1) scores, 20000 draws. With
  // scaling, q.k / sqrt(dk) given q is N(0, |q|^2 / dk), and |q|^2 / dk -> 1 as dk grows.
  torch::manual_seed(7);
  const auto p = torch::randn({20000, keys}, torch::kDouble).softmax(-1);
  const double expected = (-(p * p.log()).sum(-1)).mean().item<double>();
  const auto& rows = j.at("rows");
  // Monte Carlo error of both sides ~0.005 nats; at dk = 16, |q|^2 / dk still spreads (chi^2_16
  // / 16 has sd 0.35), which lowers the mean entropy by a few hundredths.
  EXPECT_NEAR(rows[1].at("entropy").at("scaled").get<double>(), expected, 0.03);
  EXPECT_NEAR(rows[0].at("entropy").at("scaled").get<double>(), expected, 0.1);
  // Unscaled at dk = 1024 the scores have sd 32: nearly one-hot.
  EXPECT_GT(rows[1].at("max_weight").at("unscaled").get<double>(), 0.9);
  EXPECT_LT(rows[1].at("entropy").at("unscaled").get<double>(), 0.5);
  EXPECT_LT(rows[1].at("grad_norm").at("unscaled").get<double>(),
            0.5 * rows[1].at("grad_norm").at("scaled").get<double>());
}

TEST(ScalingCli, TextStatesUnitsAndAConclusionFromTheNumbers) {
  const TempDir dir("infozoo_scaling");
  const auto png = (dir.path / "scaling.png").string();
  const auto r = run_infozoo({"scaling", "--device", "cpu", "--out", png});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nats"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nearly one-hot"), std::string::npos) << r.out;
  // dk up to 16 does not saturate the unscaled softmax: the text must not claim it does.
  const auto small = run_infozoo({"scaling", "--device", "cpu", "--dk", "1,2", "--out", png});
  ASSERT_EQ(small.exit_code, 0) << small.err;
  EXPECT_EQ(small.out.find("nearly one-hot"), std::string::npos) << small.out;
  EXPECT_NE(small.out.find("does not show the problem"), std::string::npos) << small.out;
}

TEST(ScalingCli, SameNumbersOnCuda_CUDA) {
  if (!torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  const auto cpu = run_json({"--dk", "4,256"});
  const auto r = run_infozoo({"scaling", "--json", "--device", "cuda", "--dk", "4,256"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  JsonTolerance tol;
  tol.rtol = 1e-4;  // float32 dot products of 256 terms in another order
  tol.atol = 1e-6;
  expect_json_near(cpu, nlohmann::json::parse(r.out), tol);
}

}  // namespace
}  // namespace infozoo::test_support
