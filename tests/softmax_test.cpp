// SPDX-License-Identifier: BSD-3-Clause
// softmax, stable_softmax, softmax_jacobian and softmax_jvp against autograd and closed forms.
#include "infozoo/analysis/softmax.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "infozoo/analysis/matrix_calculus.h"
#include "test_support.h"

namespace infozoo::analysis {
namespace {

class SoftmaxTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

// The Jacobian by reverse-mode autograd, one row at a time: backward with the one-hot
// gradient e_i gives row i, d s_i / d z_j, for every batch row at once.
torch::Tensor autograd_jacobian(const torch::Tensor& z_in) {
  const auto n = z_in.size(-1);
  auto z = z_in.detach().clone().requires_grad_(true);
  const auto s = torch::softmax(z, /*dim=*/-1);
  std::vector<torch::Tensor> rows;
  for (int64_t i = 0; i < n; ++i) {
    auto grad_output = torch::zeros_like(s);
    grad_output.select(-1, i).fill_(1.0);
    const auto grads = torch::autograd::grad({s}, {z}, {grad_output}, /*retain_graph=*/true);
    rows.push_back(grads[0]);
  }
  return torch::stack(rows, /*dim=*/-2);  // (..., n, n): row i is d s_i / d z
}

using infozoo::test_support::expect_error;

TEST_F(SoftmaxTest, JacobianMatchesAutogradBatched) {
  const auto z = torch::randn({2, 3, 7}, torch::kDouble) * 3;
  const auto jac = softmax_jacobian(z);
  ASSERT_EQ(jac.sizes(), torch::IntArrayRef({2, 3, 7, 7}));
  const auto max_err = (jac - autograd_jacobian(z)).abs().max().item<double>();
  std::cout << "softmax_jacobian vs autograd (float64): max |diff| = " << max_err << "\n";
  EXPECT_LT(max_err, 1e-15);
}

TEST_F(SoftmaxTest, JacobianMatchesSeedElementwiseFormula) {
  // The seed's double loop: s_i (1 - s_j) on the diagonal, -s_i s_j off it.
  const auto z = torch::tensor({2.0, 1.0, 0.5}, torch::kDouble);
  const auto s = stable_softmax(z);
  const auto jac = softmax_jacobian(z);
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t j = 0; j < 3; ++j) {
      const double si = s[i].item<double>(), sj = s[j].item<double>();
      const double expected = i == j ? si * (1 - sj) : -si * sj;
      EXPECT_NEAR(jac[i][j].item<double>(), expected, 1e-16) << i << "," << j;
    }
  }
}

TEST_F(SoftmaxTest, JacobianIsSymmetricWithZeroRowSums) {
  const auto jac = softmax_jacobian(torch::randn({4, 6}, torch::kDouble));
  EXPECT_TRUE(torch::allclose(jac, jac.transpose(-1, -2), 0.0, 1e-17));
  // Probabilities sum to 1 whatever z is, so every row of ds/dz sums to 0.
  EXPECT_LT(jac.sum(-1).abs().max().item<double>(), 1e-16);
}

TEST_F(SoftmaxTest, JvpMatchesJacobianTimesVector) {
  const auto z = torch::randn({5, 9}, torch::kDouble) * 4;
  const auto v = torch::randn({5, 9}, torch::kDouble);
  const auto expected = softmax_jacobian(z).matmul(v.unsqueeze(-1)).squeeze(-1);  // (5, 9)
  const auto jvp = softmax_jvp(z, v);
  ASSERT_EQ(jvp.sizes(), z.sizes());
  const auto max_err = (jvp - expected).abs().max().item<double>();
  std::cout << "softmax_jvp vs J v (float64): max |diff| = " << max_err << "\n";
  EXPECT_LT(max_err, 1e-15);
}

TEST_F(SoftmaxTest, JvpMatchesAutogradVectorJacobianProduct) {
  // J is symmetric, so J v is also v^T J: one backward pass with grad_output v.
  const auto z = torch::randn({3, 8}, torch::kDouble).requires_grad_(true);
  const auto v = torch::randn({3, 8}, torch::kDouble);
  const auto s = torch::softmax(z, -1);
  const auto vjp = torch::autograd::grad({s}, {z}, {v})[0];
  EXPECT_LT((softmax_jvp(z.detach(), v) - vjp).abs().max().item<double>(), 1e-15);
}

TEST_F(SoftmaxTest, NaiveOverflowsToNanWhereStableDoesNot) {
  // The seed's 2.2 example: exp(1000) = inf and inf / inf = NaN.
  const auto z = torch::tensor({1000.0, 1001.0, 1002.0}, torch::kDouble);
  EXPECT_TRUE(softmax(z).isnan().all().item<bool>());
  const auto stable = stable_softmax(z);
  EXPECT_TRUE(stable.isfinite().all().item<bool>());
  EXPECT_TRUE(torch::allclose(stable, torch::softmax(z, -1), 1e-15, 0.0));
  // Shifting logits does not change softmax: same as softmax of [0, 1, 2].
  const auto shifted = softmax(torch::tensor({0.0, 1.0, 2.0}, torch::kDouble));
  EXPECT_TRUE(torch::allclose(stable, shifted, 1e-15, 0.0));
}

TEST_F(SoftmaxTest, NaiveEqualsStableForModerateLogits) {
  const auto z = torch::randn({4, 10}, torch::kDouble);
  EXPECT_TRUE(torch::allclose(softmax(z), stable_softmax(z), 1e-14, 0.0));
  EXPECT_TRUE(torch::allclose(softmax(z, 0.3), stable_softmax(z, 0.3), 1e-13, 0.0));
}

TEST_F(SoftmaxTest, TemperatureDividesTheLogits) {
  const auto z = torch::randn({6}, torch::kDouble);
  for (double tau : {0.07, 0.5, 1.0, 5.0}) {
    EXPECT_TRUE(torch::allclose(stable_softmax(z, tau), torch::softmax(z / tau, -1), 1e-14, 0.0))
        << "tau=" << tau;
  }
}

TEST_F(SoftmaxTest, TemperatureLimitsAreArgmaxAndUniform) {
  const auto z = torch::tensor({2.0, 1.5, 0.5, 0.1, -0.5}, torch::kDouble);
  const auto cold = stable_softmax(z, 1e-3);
  EXPECT_NEAR(cold[0].item<double>(), 1.0, 1e-12);
  const auto hot = stable_softmax(z, 1e6);
  EXPECT_LT((hot - 0.2).abs().max().item<double>(), 1e-6);
}

TEST_F(SoftmaxTest, DimSelectsTheNormalisedAxis) {
  const auto z = torch::randn({3, 4}, torch::kDouble);
  const auto s0 = stable_softmax(z, 1.0, /*dim=*/0);
  EXPECT_TRUE(torch::allclose(s0.sum(0), torch::ones({4}, torch::kDouble)));
  EXPECT_TRUE(torch::allclose(s0, torch::softmax(z, 0), 1e-15, 0.0));
  EXPECT_TRUE(torch::allclose(softmax(z, 1.0, 0), s0, 1e-14, 0.0));
}

TEST_F(SoftmaxTest, Float32StaysFloat32) {
  const auto z = torch::randn({2, 5});
  EXPECT_EQ(stable_softmax(z).scalar_type(), torch::kFloat);
  EXPECT_EQ(softmax_jacobian(z).scalar_type(), torch::kFloat);
}

TEST_F(SoftmaxTest, NonPositiveTemperatureIsAnError) {
  const auto z = torch::randn({3}, torch::kDouble);
  expect_error([&] { stable_softmax(z, 0.0); }, "temperature must be > 0, got 0");
  expect_error([&] { softmax(z, -0.5); }, "temperature must be > 0, got -0.5");
  expect_error([&] { softmax(z, std::nan("")); }, "temperature must be > 0, got nan");
}

TEST_F(SoftmaxTest, BadShapesAndTypesAreErrors) {
  const auto z = torch::randn({2, 3}, torch::kDouble);
  expect_error([&] { softmax_jvp(z, torch::randn({3}, torch::kDouble)); },
               "v must have the shape of z [2, 3], got [3]");
  expect_error([&] { stable_softmax(z, 1.0, 2); }, "dim must be in [-2, 2)");
  expect_error(
      [&] {
        softmax_jacobian(torch::tensor({1, 2}));
      },
      "z must be floating point, got Long");
  expect_error([&] { softmax_jacobian(torch::zeros({}, torch::kDouble)); },
               "z must be a tensor with at least one dimension");
  expect_error(
      [&] {
        stable_softmax(torch::zeros({2, 0}, torch::kDouble));
      },
      "z must not be empty along dim -1");
}

// The interview's claim, in a batch and with soft targets as in distillation: autograd of the
// cross-entropy after a softmax is p - y. Float64 autograd rounds differently from the closed
// form, so 1e-15 on entries of size < 1.
TEST_F(SoftmaxTest, CrossEntropyGradientIsPMinusY) {
  const auto z = torch::randn({6, 5}, torch::dtype(torch::kDouble).requires_grad(true));
  const auto soft = torch::randn({6, 5}, torch::kDouble).softmax(-1);
  const auto hard = torch::one_hot(torch::randint(5, {6}), 5).to(torch::kDouble);
  for (const auto& y : {soft, hard}) {
    const auto loss = -(y * z.log_softmax(-1)).sum();
    const auto grad = torch::autograd::grad({loss}, {z})[0];
    const auto closed = softmax_cross_entropy_grad(z.detach(), y);
    EXPECT_LT((grad - closed).abs().max().item<double>(), 1e-15);
    // Each row of p - y sums to 0: the gradient moves no mass out of the simplex.
    EXPECT_LT(closed.sum(-1).abs().max().item<double>(), 1e-15);
  }
}

TEST_F(SoftmaxTest, JacobianMatchesAutograd_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  const auto z = torch::randn({4, 5}, torch::dtype(torch::kDouble).device(torch::kCUDA));
  const auto jac = softmax_jacobian(z);
  EXPECT_TRUE(jac.is_cuda());
  EXPECT_LT((jac - autograd_jacobian(z)).abs().max().item<double>(), 1e-15);
  const auto v = torch::randn_like(z);
  const auto expected = jac.matmul(v.unsqueeze(-1)).squeeze(-1);
  EXPECT_LT((softmax_jvp(z, v) - expected).abs().max().item<double>(), 1e-15);
}

}  // namespace
}  // namespace infozoo::analysis
