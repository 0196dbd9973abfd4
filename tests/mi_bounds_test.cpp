// SPDX-License-Identifier: BSD-3-Clause
// The InfoNCE and NWJ MI bounds and the separable critic: the estimate's arithmetic and ceiling,
// both bounds against Poole et al.'s own formulas run in torch (tests/generators/mi_bounds.py),
// closed forms, autograd against the bounds' analytic gradients, the equality with infozoo's
// InfoNCE loss, and the critic's shapes, printing, parameter names and clone.
#include "infozoo/losses/mi_bounds.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "infozoo/losses/info_nce.h"
#include "infozoo/models/separable_critic.h"
#include "test_support.h"

namespace infozoo {
namespace {

using losses::infonce_lower_bound;
using losses::infonce_mi_estimate;
using losses::nwj_lower_bound;

class MiBoundsTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

TEST_F(MiBoundsTest, EstimateIsLogCandidatesMinusLoss) {
  const auto e = infonce_mi_estimate(std::log(256.0) - 3.0, 255);
  EXPECT_NEAR(e.estimate, 3.0, 1e-12);
  EXPECT_EQ(e.ceiling, std::log(256.0));
  EXPECT_FALSE(e.at_ceiling);  // 3 of 5.55 nats
  const auto one = infonce_mi_estimate(0.25, 1);
  EXPECT_EQ(one.ceiling, std::log(2.0));
  EXPECT_EQ(one.estimate, std::log(2.0) - 0.25);
  // A loss of 0 puts the estimate on the ceiling; a loss above log(K + 1) gives a negative one.
  EXPECT_TRUE(infonce_mi_estimate(0.0, 15).at_ceiling);
  EXPECT_LT(infonce_mi_estimate(3.0, 15).estimate, 0.0);
}

TEST_F(MiBoundsTest, AtCeilingMeansWithinFivePercentOfLogCandidates) {
  const double ceiling = std::log(64.0);
  // loss = 5% of the ceiling is the edge: a hair below is at the ceiling, a hair above is not.
  EXPECT_TRUE(infonce_mi_estimate(0.05 * ceiling * (1 - 1e-9), 63).at_ceiling);
  EXPECT_FALSE(infonce_mi_estimate(0.05 * ceiling * (1 + 1e-9), 63).at_ceiling);
}

// The score matrices and bounds of tests/expected/mi_bounds.json (Poole et al.'s formulas,
// float64).
struct ReferenceCase {
  std::string name;
  torch::Tensor scores;  // float64, each entry a float32 value
  double infonce;
  double nwj;
};

std::vector<ReferenceCase> reference_cases() {
  std::vector<ReferenceCase> cases;
  const auto expected = test_support::load_expected("mi_bounds.json");
  for (const auto& c : expected.at("cases")) {
    std::vector<double> flat;
    for (const auto& row : c.at("scores")) {
      for (const auto& v : row) flat.push_back(v.get<double>());
    }
    const auto B = static_cast<int64_t>(c.at("scores").size());
    cases.push_back({c.at("name").get<std::string>(),
                     torch::tensor(flat, torch::kDouble).reshape({B, B}),
                     c.at("infonce").get<double>(), c.at("nwj").get<double>()});
  }
  return cases;
}

// Both bounds of every reference case on `device`: float64 to 1e-12 relative (the same formulas
// in another order of float64 operations), float32 to 1e-5 relative to max(|value|, 1) (float32
// carries 6e-8 relative; the log-sum-exp of up to 64 terms and the means over B^2 entries lose a
// few hundred of those, scores are at most 126).
void expect_reference_values(const torch::Device& device) {
  const auto cases = reference_cases();
  ASSERT_GE(cases.size(), 6u);
  double worst32 = 0;
  for (const auto& c : cases) {
    const auto s64 = c.scores.to(device);
    EXPECT_NEAR(infonce_lower_bound(s64).item<double>(), c.infonce,
                1e-12 * std::max(1.0, std::abs(c.infonce)))
        << c.name;
    EXPECT_NEAR(nwj_lower_bound(s64).item<double>(), c.nwj, 1e-12 * std::max(1.0, std::abs(c.nwj)))
        << c.name;
    const auto s32 = c.scores.to(torch::kFloat).to(device);
    const auto infonce32 = infonce_lower_bound(s32);
    const auto nwj32 = nwj_lower_bound(s32);
    EXPECT_EQ(infonce32.scalar_type(), torch::kFloat);
    EXPECT_EQ(infonce32.dim(), 0);
    for (const auto& [got, want] :
         {std::pair{infonce32.item<double>(), c.infonce}, std::pair{nwj32.item<double>(), c.nwj}}) {
      const double rel = std::abs(got - want) / std::max(1.0, std::abs(want));
      worst32 = std::max(worst32, rel);
      EXPECT_LE(rel, 1e-5) << c.name << ": float32 " << got << " vs " << want;
    }
  }
  std::cout << "float32 bounds vs Poole et al.'s float64: max relative difference " << worst32
            << "\n";
}

TEST_F(MiBoundsTest, BoundsEqualPooleEtAlsFormulas) { expect_reference_values(torch::kCPU); }

TEST_F(MiBoundsTest, BoundsEqualPooleEtAlsFormulas_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  expect_reference_values(torch::kCUDA);
}

TEST_F(MiBoundsTest, ConstantScoresGiveClosedForms) {
  for (const double c : {-2.0, 0.0, 1.0, 3.5}) {
    for (const int64_t B : {2, 7, 64}) {
      const auto s = torch::full({B, B}, c, torch::kDouble);
      // A critic that scores every pair alike cannot tell the positive: log B - log B = 0.
      EXPECT_NEAR(infonce_lower_bound(s).item<double>(), 0.0, 1e-12) << c << " " << B;
      // NWJ: c - e^(c - 1), at most 0 (at c = 1).
      EXPECT_NEAR(nwj_lower_bound(s).item<double>(), c - std::exp(c - 1), 1e-12) << c << " " << B;
    }
  }
}

TEST_F(MiBoundsTest, DiagonalCriticGivesClosedFormsAndInfoNCEStaysBelowLogB) {
  const int64_t B = 16;
  for (const double a : {1.0, 5.0, 40.0, 200.0}) {
    const auto s = a * torch::eye(B, torch::kDouble);
    // Row i: softmax of a at i among B - 1 zeros: log B + a - log(e^a + B - 1).
    const double infonce = std::log(B) + a - (a + std::log1p((B - 1) * std::exp(-a)));
    EXPECT_NEAR(infonce_lower_bound(s).item<double>(), infonce, 1e-12) << a;
    EXPECT_NEAR(nwj_lower_bound(s).item<double>(), a - std::exp(-1.0), 1e-12 * a) << a;
    // float32 at a = 200: e^200 overflows float32, the bound must not (max-subtraction).
    const double f32 = infonce_lower_bound(s.to(torch::kFloat)).item<double>();
    EXPECT_TRUE(std::isfinite(f32)) << a;
    EXPECT_LE(f32, std::log(B) + 1e-6) << a;  // InfoNCE never exceeds log B
  }
}

TEST_F(MiBoundsTest, GradientsAreTheAnalyticOnes) {
  const int64_t B = 6;
  const auto s = torch::randn({B, B}, torch::kDouble).requires_grad_();
  infonce_lower_bound(s).backward();
  // d/ds_ij (log B + 1/B sum_i [s_ii - logsumexp_j s_ij]) = (delta_ij - softmax(s_i)_j) / B.
  const auto softmax = torch::softmax(s.detach(), 1);
  const auto eye = torch::eye(B, torch::kDouble);
  EXPECT_TRUE(torch::allclose(s.grad(), (eye - softmax) / B, 1e-12, 1e-14));

  const auto t = torch::randn({B, B}, torch::kDouble).requires_grad_();
  nwj_lower_bound(t).backward();
  // d/ds_ii = 1 / B; d/ds_ij = -e^(s_ij - 1) / (B (B - 1)) off the diagonal.
  const auto off = -(t.detach() - 1).exp() / (B * (B - 1));
  const auto expected = eye / B + off * (1 - eye);
  EXPECT_TRUE(torch::allclose(t.grad(), expected, 1e-12, 1e-14));
}

TEST_F(MiBoundsTest, InfoNCELossOfEmbeddingsIsLogBMinusTheBound) {
  // infozoo's own InfoNCE on embeddings g(x), h(y), in-batch negatives, temperature 1 and no
  // normalisation: the cross-entropy of the rows of g h^T, which is log B - infonce_lower_bound.
  for (const int64_t B : {2, 16, 128}) {
    const auto gx = torch::randn({B, 8}).requires_grad_();
    const auto hy = torch::randn({B, 8}).requires_grad_();
    const auto loss =
        losses::info_nce(gx, hy, {}, losses::InfoNCEOptions().temperature(1.0).normalize(false));
    const auto bound = infonce_lower_bound(gx.matmul(hy.t()));
    EXPECT_NEAR(loss.item<double>(), std::log(B) - bound.item<double>(), 2e-6) << B;
    // And the same gradient: minimising the loss maximises the bound.
    const auto g_loss = torch::autograd::grad({loss}, {gx}, {}, /*retain_graph=*/true)[0];
    const auto g_bound = torch::autograd::grad({bound}, {gx})[0];
    EXPECT_TRUE(torch::allclose(g_loss, -g_bound, 1e-5, 1e-6)) << B;
  }
}

TEST_F(MiBoundsTest, TransposedViewGivesTheContiguousResult) {
  const auto s = torch::randn({5, 5});
  EXPECT_NEAR(infonce_lower_bound(s.t()).item<double>(),
              infonce_lower_bound(s.t().contiguous()).item<double>(), 1e-6);
  EXPECT_NEAR(nwj_lower_bound(s.t()).item<double>(),
              nwj_lower_bound(s.t().contiguous()).item<double>(), 1e-6);
}

// ---- SeparableCritic ----

TEST_F(MiBoundsTest, CriticScoresEveryPairAsADotProduct) {
  models::SeparableCritic critic(models::SeparableCriticOptions(3, 5).hidden_dim(16).embed_dim(4));
  const auto x = torch::randn({7, 3});
  const auto y = torch::randn({7, 5});
  const auto scores = critic(x, y);
  ASSERT_EQ(scores.sizes(), (std::vector<int64_t>{7, 7}));
  const auto gx = critic->g->forward(x);  // (7, 4)
  const auto hy = critic->h->forward(y);  // (7, 4)
  ASSERT_EQ(gx.sizes(), (std::vector<int64_t>{7, 4}));
  for (int64_t i = 0; i < 7; ++i) {
    for (int64_t j = 0; j < 7; ++j) {
      EXPECT_NEAR(scores[i][j].item<double>(), gx[i].dot(hy[j]).item<double>(), 1e-5);
    }
  }
  // g is Linear -> ReLU -> Linear: its output from the weights by hand.
  const auto* l0 = critic->g[0]->as<torch::nn::Linear>();
  const auto* l2 = critic->g[2]->as<torch::nn::Linear>();
  ASSERT_TRUE(l0 && l2);
  const auto by_hand =
      torch::relu(x.matmul(l0->weight.t()) + l0->bias).matmul(l2->weight.t()) + l2->bias;
  EXPECT_TRUE(torch::allclose(gx, by_hand, 1e-5, 1e-6));
  // Gradients reach both MLPs through a bound.
  infonce_lower_bound(scores).backward();
  for (const auto& p : critic->parameters()) {
    ASSERT_TRUE(p.grad().defined());
    EXPECT_GT(p.grad().abs().sum().item<double>(), 0.0);
  }
}

TEST_F(MiBoundsTest, CriticPrintsNamesAndClones) {
  models::SeparableCritic critic(
      models::SeparableCriticOptions(20, 10).hidden_dim(8).layers(2).embed_dim(3));
  std::ostringstream line;
  critic->pretty_print(line);
  EXPECT_EQ(line.str(),
            "infozoo::models::SeparableCritic(dim_x=20, dim_y=10, hidden_dim=8, layers=2, "
            "embed_dim=3)");
  // The module tree as LibTorch prints it: that line, then g and h with their layers.
  const auto tree = c10::str(*critic);
  EXPECT_EQ(tree.rfind(line.str() + "(\n  (g): torch::nn::Sequential(\n", 0), 0u) << tree;
  EXPECT_NE(tree.find("  (h): torch::nn::Sequential(\n"
                      "    (0): torch::nn::Linear(in_features=10, out_features=8, bias=true)\n"
                      "    (1): torch::nn::ReLU()\n"),
            std::string::npos)
      << tree;
  std::vector<std::string> names;
  for (const auto& item : critic->named_parameters()) names.push_back(item.key());
  const std::vector<std::string> expected{"g.0.weight", "g.0.bias", "g.2.weight", "g.2.bias",
                                          "g.4.weight", "g.4.bias", "h.0.weight", "h.0.bias",
                                          "h.2.weight", "h.2.bias", "h.4.weight", "h.4.bias"};
  EXPECT_EQ(names, expected);
  const auto params = critic->named_parameters();
  EXPECT_EQ(params["g.0.weight"].sizes(), (std::vector<int64_t>{8, 20}));
  EXPECT_EQ(params["h.0.weight"].sizes(), (std::vector<int64_t>{8, 10}));
  EXPECT_EQ(params["g.4.weight"].sizes(), (std::vector<int64_t>{3, 8}));

  const auto copy = std::dynamic_pointer_cast<models::SeparableCriticImpl>(critic->clone());
  ASSERT_TRUE(copy);
  const auto x = torch::randn({4, 20});
  const auto y = torch::randn({4, 10});
  EXPECT_TRUE(torch::equal(copy->forward(x, y), critic(x, y)));
  // A deep copy: changing the clone leaves the original alone.
  {
    torch::NoGradGuard no_grad;
    copy->named_parameters()["g.0.weight"].add_(1.0);
  }
  EXPECT_FALSE(torch::equal(copy->forward(x, y), critic(x, y)));
  EXPECT_EQ(c10::str(*copy), c10::str(*critic));
}

TEST_F(MiBoundsTest, CriticRunsInFloat64) {
  models::SeparableCritic critic(models::SeparableCriticOptions(2, 2).hidden_dim(4));
  critic->to(torch::kDouble);
  const auto s = critic(torch::randn({3, 2}, torch::kDouble), torch::randn({3, 2}, torch::kDouble));
  EXPECT_EQ(s.scalar_type(), torch::kDouble);
  EXPECT_EQ(s.sizes(), (std::vector<int64_t>{3, 3}));
}

TEST_F(MiBoundsTest, CriticOnCuda_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  models::SeparableCritic critic(models::SeparableCriticOptions(4, 4).hidden_dim(8));
  const auto x = torch::randn({5, 4});
  const auto y = torch::randn({5, 4});
  const auto cpu = critic(x, y);
  critic->to(torch::kCUDA);
  const auto gpu = critic(x.cuda(), y.cuda());
  EXPECT_TRUE(torch::allclose(gpu.cpu(), cpu, 1e-4, 1e-5));
  EXPECT_NEAR(nwj_lower_bound(gpu).item<double>(), nwj_lower_bound(cpu).item<double>(), 1e-4);
}

}  // namespace
}  // namespace infozoo
