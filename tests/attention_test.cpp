// SPDX-License-Identifier: BSD-3-Clause
// scaled_dot_product_attention: the seed's formula, masks of every kind, fully masked rows
// (zero, not NaN, in forward and backward), dropout, broadcasting and the error messages.
#include "infozoo/models/attention.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "test_support.h"

// Calls are qualified: with LibTorch >= 2, ADL on at::Tensor also finds
// at::scaled_dot_product_attention.
namespace infozoo::models {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

class AttentionTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

// softmax(Q K^T / sqrt(dk)) V written out with torch ops, the seed's code.
AttentionOutput seed_attention(const torch::Tensor& Q, const torch::Tensor& K,
                               const torch::Tensor& V, const torch::Tensor& mask = {}) {
  auto scores = torch::matmul(Q, K.transpose(-2, -1)) / std::sqrt(static_cast<double>(Q.size(-1)));
  if (mask.defined()) scores = scores.masked_fill(mask.eq(0), -kInf);
  auto weights = torch::softmax(scores, -1);
  return {torch::matmul(weights, V), weights};
}

using infozoo::test_support::expect_error;

TEST_F(AttentionTest, MatchesTheSeedBitForBitWithoutMask) {
  const auto Q = torch::randn({2, 4, 8, 64});
  const auto K = torch::randn({2, 4, 8, 64});
  const auto V = torch::randn({2, 4, 8, 64});
  const auto [out, weights] = models::scaled_dot_product_attention(Q, K, V);
  const auto expected = seed_attention(Q, K, V);
  ASSERT_EQ(out.sizes(), torch::IntArrayRef({2, 4, 8, 64}));
  ASSERT_EQ(weights.sizes(), torch::IntArrayRef({2, 4, 8, 8}));
  EXPECT_TRUE(torch::equal(out, expected.output));
  EXPECT_TRUE(torch::equal(weights, expected.weights));
  EXPECT_TRUE(torch::allclose(weights.sum(-1), torch::ones({2, 4, 8})));
}

TEST_F(AttentionTest, CrossAttentionWithLqDifferentFromLkAndDvFromDk) {
  const auto Q = torch::randn({3, 5, 16});
  const auto K = torch::randn({3, 7, 16});
  const auto V = torch::randn({3, 7, 4});
  const auto [out, weights] = models::scaled_dot_product_attention(Q, K, V);
  EXPECT_EQ(out.sizes(), torch::IntArrayRef({3, 5, 4}));
  EXPECT_EQ(weights.sizes(), torch::IntArrayRef({3, 5, 7}));
}

TEST_F(AttentionTest, AnyLeadingBatchShapeBroadcasts) {
  const auto Q = torch::randn({2, 3, 4, 5, 8});  // (B1, B2, H, Lq, dk)
  const auto K = torch::randn({4, 6, 8});        // shared across B1, B2
  const auto V = torch::randn({4, 6, 8});
  const auto [out, weights] = models::scaled_dot_product_attention(Q, K, V);
  EXPECT_EQ(out.sizes(), torch::IntArrayRef({2, 3, 4, 5, 8}));
  const auto expected = seed_attention(Q, K, V);
  EXPECT_TRUE(torch::allclose(out, expected.output, 1e-6, 1e-6));
  // 2-D inputs (no batch at all).
  const auto plain = models::scaled_dot_product_attention(
      torch::randn({5, 8}), torch::randn({6, 8}), torch::randn({6, 3}));
  EXPECT_EQ(plain.output.sizes(), torch::IntArrayRef({5, 3}));
}

TEST_F(AttentionTest, SeedKeepMaskIntegerFloatAndBoolAgree) {
  const auto Q = torch::randn({2, 2, 4, 8});
  const auto K = torch::randn({2, 2, 6, 8});
  const auto V = torch::randn({2, 2, 6, 8});
  const auto keep = torch::tensor({1, 1, 0, 1, 0, 1}).view({1, 1, 1, 6});  // padding-style
  const auto expected = seed_attention(Q, K, V, keep);
  const auto as_int = models::scaled_dot_product_attention(Q, K, V, keep);
  const auto as_float = models::scaled_dot_product_attention(Q, K, V, keep.to(torch::kFloat));
  const auto as_bool = models::scaled_dot_product_attention(Q, K, V, keep.to(torch::kBool));
  EXPECT_TRUE(torch::equal(as_int.output, expected.output));
  EXPECT_TRUE(torch::equal(as_float.weights, expected.weights));
  EXPECT_TRUE(torch::equal(as_bool.weights, expected.weights));
  // Excluded keys get exactly zero weight.
  EXPECT_EQ(as_bool.weights.select(-1, 2).abs().max().item<float>(), 0.0f);
  EXPECT_EQ(as_bool.weights.select(-1, 4).abs().max().item<float>(), 0.0f);
}

TEST_F(AttentionTest, AdditiveMaskEqualsKeepMaskWhenMinusInfinity) {
  const auto Q = torch::randn({2, 5, 8});
  const auto K = torch::randn({2, 5, 8});
  const auto V = torch::randn({2, 5, 8});
  const auto keep = torch::rand({2, 5, 5}) > 0.3;
  keep.select(-1, 0).fill_(true);  // no fully masked row in this test
  const auto additive = torch::zeros({2, 5, 5}).masked_fill(keep.logical_not(), -kInf);
  const auto a = models::scaled_dot_product_attention(Q, K, V, keep);
  const auto b =
      models::scaled_dot_product_attention(Q, K, V, AttentionOptions().additive_mask(additive));
  EXPECT_TRUE(torch::allclose(a.output, b.output, 1e-6, 1e-6));
  // A finite bias shifts the scores before the softmax.
  const auto bias = torch::randn({5, 5});
  const auto c =
      models::scaled_dot_product_attention(Q, K, V, AttentionOptions().additive_mask(bias));
  const auto scores = torch::matmul(Q, K.transpose(-2, -1)) / std::sqrt(8.0) + bias;
  EXPECT_TRUE(torch::allclose(c.weights, torch::softmax(scores, -1), 1e-6, 1e-6));
}

TEST_F(AttentionTest, CausalIsTheLowerTriangle) {
  const auto Q = torch::randn({3, 6, 8});
  const auto K = torch::randn({3, 6, 8});
  const auto V = torch::randn({3, 6, 8});
  const auto causal =
      models::scaled_dot_product_attention(Q, K, V, AttentionOptions().is_causal(true));
  const auto tril = torch::ones({6, 6}, torch::kBool).tril();
  const auto expected = seed_attention(Q, K, V, tril);
  EXPECT_TRUE(torch::equal(causal.weights, expected.weights));
  EXPECT_EQ(causal.weights.triu(1).abs().max().item<float>(), 0.0f);
  // The first query sees only the first key.
  EXPECT_TRUE(torch::allclose(causal.output.select(1, 0), V.select(1, 0)));
  // Causal combines with a keep-mask.
  const auto keep = torch::tensor({true, false, true, true, true, true});
  const auto both =
      models::scaled_dot_product_attention(Q, K, V, AttentionOptions(keep).is_causal(true));
  EXPECT_TRUE(torch::equal(both.weights, seed_attention(Q, K, V, tril.logical_and(keep)).weights));
}

TEST_F(AttentionTest, ExplicitScaleReplacesOneOverSqrtDk) {
  const auto Q = torch::randn({4, 8});
  const auto K = torch::randn({5, 8});
  const auto V = torch::randn({5, 8});
  const auto a = models::scaled_dot_product_attention(Q, K, V, AttentionOptions().scale(0.5));
  EXPECT_TRUE(torch::allclose(a.weights, torch::softmax(torch::matmul(Q, K.t()) * 0.5, -1)));
  const auto b =
      models::scaled_dot_product_attention(Q, K, V, AttentionOptions().scale(1.0 / std::sqrt(8.0)));
  EXPECT_TRUE(torch::allclose(b.output, seed_attention(Q, K, V).output, 1e-6, 1e-6));
}

TEST_F(AttentionTest, FullyMaskedRowGivesZerosAndFiniteGradients) {
  auto Q = torch::randn({2, 4, 8}, torch::requires_grad());
  auto K = torch::randn({2, 6, 8}, torch::requires_grad());
  auto V = torch::randn({2, 6, 8}, torch::requires_grad());
  auto keep = torch::ones({2, 4, 6}, torch::kBool);
  keep[0][1].fill_(false);  // batch 0, query 1 sees no key
  keep[1][3].fill_(false);
  const auto [out, weights] = models::scaled_dot_product_attention(Q, K, V, keep);
  EXPECT_TRUE(torch::isfinite(out).all().item<bool>());
  EXPECT_TRUE(torch::isfinite(weights).all().item<bool>());
  EXPECT_EQ(weights[0][1].abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(out[0][1].abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(out[1][3].abs().sum().item<float>(), 0.0f);
  // The other rows are the ordinary attention.
  EXPECT_TRUE(torch::allclose(out[0][0], seed_attention(Q, K, V).output[0][0], 1e-6, 1e-6));
  out.pow(2).sum().backward();
  for (const auto* t : {&Q, &K, &V}) {
    ASSERT_TRUE(t->grad().defined());
    EXPECT_TRUE(torch::isfinite(t->grad()).all().item<bool>());
  }
  // No gradient reaches the query that attends to nothing.
  EXPECT_EQ(Q.grad()[0][1].abs().sum().item<float>(), 0.0f);
  // The same through an additive mask of -inf and through causal + keep.
  auto Q2 = Q.detach().clone().requires_grad_();
  const auto additive = torch::zeros({2, 4, 6}).masked_fill(keep.logical_not(), -kInf);
  auto out2 =
      models::scaled_dot_product_attention(Q2, K, V, AttentionOptions().additive_mask(additive));
  out2.output.sum().backward();
  EXPECT_TRUE(torch::isfinite(Q2.grad()).all().item<bool>());
  EXPECT_TRUE(torch::allclose(out2.output, out));
}

TEST_F(AttentionTest, GradientsMatchTheSeedGraph) {
  auto Q = torch::randn({2, 3, 5, 8}, torch::dtype(torch::kDouble).requires_grad(true));
  auto K = torch::randn({2, 3, 5, 8}, torch::dtype(torch::kDouble).requires_grad(true));
  auto V = torch::randn({2, 3, 5, 8}, torch::dtype(torch::kDouble).requires_grad(true));
  const auto keep = torch::rand({2, 1, 5, 5}) > 0.2;
  keep.select(-1, 0).fill_(true);
  const auto mine = models::scaled_dot_product_attention(Q, K, V, keep).output;
  const auto seed = seed_attention(Q, K, V, keep).output;
  const auto g = torch::randn_like(mine);
  const auto grads_mine = torch::autograd::grad({mine}, {Q, K, V}, {g});
  const auto grads_seed = torch::autograd::grad({seed}, {Q, K, V}, {g});
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(torch::allclose(grads_mine[i], grads_seed[i], 1e-12, 1e-12)) << "operand " << i;
  }
}

TEST_F(AttentionTest, DropoutOnlyWhileTraining) {
  const auto Q = torch::randn({2, 16, 8});
  const auto K = torch::randn({2, 16, 8});
  const auto V = torch::randn({2, 16, 8});
  const auto eval = models::scaled_dot_product_attention(
      Q, K, V, AttentionOptions().dropout(0.5).training(false));
  EXPECT_TRUE(torch::equal(eval.weights, seed_attention(Q, K, V).weights));
  const auto train = models::scaled_dot_product_attention(Q, K, V, AttentionOptions().dropout(0.5));
  const auto zeros = train.weights.eq(0).sum().item<int64_t>();
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, train.weights.numel());
  // The returned weights are the ones applied to V.
  EXPECT_TRUE(torch::allclose(train.output, torch::matmul(train.weights, V), 1e-6, 1e-6));
}

TEST_F(AttentionTest, ShapeErrorsNameTheArgument) {
  const auto Q = torch::randn({2, 4, 8});
  const auto K = torch::randn({2, 6, 8});
  const auto V = torch::randn({2, 6, 8});
  expect_error(
      [&] {
        models::scaled_dot_product_attention(Q, torch::randn({2, 6, 7}), V);
      },
      "Q and K must have the same feature size dk, got Q [2, 4, 8] and K [2, 6, 7]");
  expect_error(
      [&] {
        models::scaled_dot_product_attention(Q, K, torch::randn({2, 5, 8}));
      },
      "K and V must have the same number of keys Lk, got K [2, 6, 8] and V [2, 5, 8]");
  expect_error([&] { models::scaled_dot_product_attention(torch::randn({8}), K, V); },
               "Q must have at least 2 dimensions (..., Lq, dk), got shape [8]");
  expect_error(
      [&] {
        models::scaled_dot_product_attention(Q, K, V, torch::ones({4, 5}));
      },
      "mask of shape [4, 5] does not broadcast to the attention scores' shape "
      "(..., Lq, Lk) = [2, 4, 6]");
  expect_error(
      [&] {
        models::scaled_dot_product_attention(torch::randn({3, 4, 8}), K, V);
      },
      "the leading (batch, head) dimensions of Q, K and V must broadcast");
  expect_error(
      [&] {
        models::scaled_dot_product_attention(
            Q, K, V, AttentionOptions().additive_mask(torch::ones({6}, torch::kBool)));
      },
      "additive_mask must be floating point (use mask() for a boolean keep-mask), got Bool");
  expect_error(
      [&] { models::scaled_dot_product_attention(Q, K, V, AttentionOptions().dropout(1.0)); },
      "dropout must be in [0, 1), got 1");
  expect_error([&] { models::scaled_dot_product_attention(Q, K.to(torch::kDouble), V); },
               "Q, K and V must have the same dtype, got Float, Double and Float");
  expect_error([&] { models::scaled_dot_product_attention(Q, K.slice(1, 0, 0), V.slice(1, 0, 0)); },
               "K must hold at least one key (Lk >= 1)");
}

TEST_F(AttentionTest, MasksAndBackward_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  const auto cuda = torch::Device(torch::kCUDA);
  auto Q = torch::randn({2, 4, 8}, torch::dtype(torch::kFloat).device(cuda).requires_grad(true));
  const auto K = torch::randn({2, 6, 8}, cuda);
  const auto V = torch::randn({2, 6, 8}, cuda);
  auto keep = torch::ones({2, 4, 6}, torch::dtype(torch::kBool).device(cuda));
  keep[0][2].fill_(false);
  const auto [out, weights] =
      models::scaled_dot_product_attention(Q, K, V, AttentionOptions(keep).is_causal(true));
  EXPECT_TRUE(out.is_cuda());
  EXPECT_EQ(out[0][2].abs().sum().item<float>(), 0.0f);
  out.sum().backward();
  EXPECT_TRUE(torch::isfinite(Q.grad()).all().item<bool>());
  const auto cpu = models::scaled_dot_product_attention(
      Q.detach().cpu(), K.cpu(), V.cpu(), AttentionOptions(keep.cpu()).is_causal(true));
  EXPECT_TRUE(torch::allclose(out.detach().cpu(), cpu.output, 1e-5, 1e-5));
}

}  // namespace
}  // namespace infozoo::models
