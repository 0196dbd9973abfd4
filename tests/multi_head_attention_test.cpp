// SPDX-License-Identifier: BSD-3-Clause
// MultiHeadAttention: the seed's module composed by hand, self- and cross-attention, masks
// (fused and explicit paths agree, fully masked rows stay finite), parameters, printing, errors.
#include "infozoo/models/multi_head_attention.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <utility>

#include "test_support.h"

namespace infozoo::models {
namespace {

class MultiHeadAttentionTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

using infozoo::test_support::expect_error;

// The seed's forward written out with the module's own weights.
torch::Tensor by_hand(MultiHeadAttention& m, const torch::Tensor& q, const torch::Tensor& k,
                      const torch::Tensor& v, const torch::Tensor& mask = {}) {
  const int64_t B = q.size(0);
  const int64_t H = m->options.n_heads();
  const int64_t dk = m->options.d_model() / H;
  const auto project = [&](torch::nn::Linear& l, const torch::Tensor& x) {
    return torch::nn::functional::linear(x, l->weight, l->bias)
        .view({B, -1, H, dk})
        .transpose(1, 2);
  };
  const auto Q = project(m->W_Q, q);
  const auto K = project(m->W_K, k);
  const auto V = project(m->W_V, v);
  auto scores = torch::matmul(Q, K.transpose(-2, -1)) / std::sqrt(static_cast<double>(dk));
  if (mask.defined()) {
    scores = scores.masked_fill(mask.eq(0), -std::numeric_limits<double>::infinity());
  }
  const auto out = torch::matmul(torch::softmax(scores, -1), V);
  return m->W_O(out.transpose(1, 2).contiguous().view({B, -1, m->options.d_model()}));
}

TEST_F(MultiHeadAttentionTest, SelfAttentionMatchesTheSeedComposition) {
  MultiHeadAttention m(MultiHeadAttentionOptions(64, 8));
  const auto x = torch::randn({2, 10, 64});
  const auto y = m(x, x, x);
  ASSERT_EQ(y.sizes(), torch::IntArrayRef({2, 10, 64}));
  EXPECT_TRUE(torch::allclose(y, by_hand(m, x, x, x), 1e-5, 1e-6));
  const auto [out, weights] = m->forward_with_weights(x, x, x);
  EXPECT_TRUE(torch::allclose(out, y, 1e-5, 1e-6));
  ASSERT_EQ(weights.sizes(), torch::IntArrayRef({2, 8, 10, 10}));
  EXPECT_TRUE(torch::allclose(weights.sum(-1), torch::ones({2, 8, 10})));
}

TEST_F(MultiHeadAttentionTest, CrossAttentionWithPaddingMask) {
  MultiHeadAttention m(32, 4);
  const auto q = torch::randn({3, 5, 32});
  const auto memory = torch::randn({3, 7, 32});
  auto keep = torch::ones({3, 1, 1, 7}, torch::kBool);  // (B, 1, 1, Lk)
  keep[1].narrow(-1, 4, 3).fill_(false);
  const auto y = m(q, memory, memory, keep);
  ASSERT_EQ(y.sizes(), torch::IntArrayRef({3, 5, 32}));
  EXPECT_TRUE(torch::allclose(y, by_hand(m, q, memory, memory, keep), 1e-5, 1e-6));
  const auto [out, weights] = m->forward_with_weights(q, memory, memory, keep);
  EXPECT_TRUE(torch::allclose(out, y, 1e-5, 1e-6));
  EXPECT_EQ(weights[1].narrow(-1, 4, 3).abs().max().item<float>(), 0.0f);
}

// Without weights (LibTorch 1.13), long sequences are attended a group of heads at a time (scores
// of at most 4 MiB per group): the output must equal the one-call path (forward_with_weights), with
// masks of every rank and a fully masked query, per head (L = 1100) and per batch element (L =
// 300).
TEST_F(MultiHeadAttentionTest, ChunkedAttentionEqualsOneCall) {
  for (const auto& [B, L] : {std::pair<int64_t, int64_t>{2, 1100}, {3, 300}}) {
    MultiHeadAttention m(32, 4);
    const auto x = torch::randn({B, L, 32});
    auto by_batch_and_query = torch::rand({B, 1, L, L}).gt(0.2);
    by_batch_and_query[B - 1][0][5].fill_(false);  // a query that attends to nothing
    const auto by_head = torch::rand({4, L, L}).gt(0.3);
    const auto by_key = torch::rand({L}).gt(0.1);
    const auto full = torch::rand({B, 4, L, L}).gt(0.5);
    for (const auto& mask : {torch::Tensor(), by_batch_and_query, by_head, by_key, full}) {
      torch::NoGradGuard no_grad;
      const auto chunked = m(x, x, x, mask);
      const auto one_call = m->forward_with_weights(x, x, x, mask).output;
#if TORCH_VERSION_MAJOR >= 2
      // LibTorch 2 takes its fused attention here instead: equal up to float32 rounding.
      EXPECT_TRUE(torch::allclose(chunked, one_call, 1e-5, 1e-6))
#else
      // The same GEMMs and softmax per (batch, head): the same bits.
      EXPECT_TRUE(torch::equal(chunked, one_call))
#endif
          << "B=" << B << " L=" << L << " mask "
          << (mask.defined() ? mask.sizes() : torch::IntArrayRef{});
    }
  }
}

TEST_F(MultiHeadAttentionTest, FullyMaskedRowsAreFiniteOnBothPaths) {
  MultiHeadAttention m(16, 2);
  auto x = torch::randn({2, 4, 16}, torch::requires_grad());
  auto keep = torch::ones({2, 1, 4, 4});
  keep[0][0][3].fill_(0);  // query 3 of batch 0 attends to nothing
  for (const bool with_weights : {false, true}) {
    x.mutable_grad() = torch::Tensor();
    m->zero_grad();
    const auto y = with_weights ? m->forward_with_weights(x, x, x, keep).output : m(x, x, x, keep);
    EXPECT_TRUE(torch::isfinite(y).all().item<bool>());
    // A query with no keys outputs W_O's bias alone.
    EXPECT_TRUE(torch::allclose(y[0][3], m->W_O->bias, 1e-6, 1e-6));
    y.sum().backward();
    EXPECT_TRUE(torch::isfinite(x.grad()).all().item<bool>()) << "with_weights=" << with_weights;
    for (const auto& p : m->parameters()) {
      EXPECT_TRUE(torch::isfinite(p.grad()).all().item<bool>());
    }
  }
}

TEST_F(MultiHeadAttentionTest, BackwardReachesEveryParameter) {
  MultiHeadAttention m(MultiHeadAttentionOptions(24, 3));
  const auto x = torch::randn({2, 5, 24});
  m(x, x, x).pow(2).sum().backward();
  for (const auto& p : m->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_EQ(p.value().grad().sizes(), p.value().sizes()) << p.key();
    EXPECT_GT(p.value().grad().abs().sum().item<float>(), 0.0f) << p.key();
  }
}

TEST_F(MultiHeadAttentionTest, ParametersAreNamedAsTheSeed) {
  MultiHeadAttention m;  // the seed's defaults: d_model 512, 8 heads
  std::vector<std::string> keys;
  for (const auto& p : m->named_parameters()) keys.push_back(p.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"W_Q.weight", "W_Q.bias", "W_K.weight", "W_K.bias",
                                            "W_V.weight", "W_V.bias", "W_O.weight", "W_O.bias"}));
  EXPECT_EQ(m->W_Q->weight.sizes(), torch::IntArrayRef({512, 512}));
  MultiHeadAttention no_bias(MultiHeadAttentionOptions(8, 2).bias(false));
  EXPECT_EQ(no_bias->named_parameters().size(), 4u);
  EXPECT_FALSE(no_bias->W_O->bias.defined());
}

TEST_F(MultiHeadAttentionTest, InitialisationFollowsTheSeedsOrder) {
  torch::manual_seed(42);
  MultiHeadAttention m(MultiHeadAttentionOptions(16, 4));
  torch::manual_seed(42);
  torch::nn::Linear q(16, 16), k(16, 16);
  EXPECT_TRUE(torch::equal(m->W_Q->weight, q->weight));
  EXPECT_TRUE(torch::equal(m->W_K->bias, k->bias));
  // reset_parameters draws new values.
  const auto before = m->W_V->weight.clone();
  m->reset_parameters();
  EXPECT_FALSE(torch::equal(before, m->W_V->weight));
}

TEST_F(MultiHeadAttentionTest, PrettyPrintAndClone) {
  MultiHeadAttention m(MultiHeadAttentionOptions(8, 2).dropout(0.1));
  EXPECT_EQ(c10::str(m),
            "infozoo::models::MultiHeadAttention(d_model=8, n_heads=2, dk=4, bias=true, "
            "dropout=0.1)(\n"
            "  (W_Q): torch::nn::Linear(in_features=8, out_features=8, bias=true)\n"
            "  (W_K): torch::nn::Linear(in_features=8, out_features=8, bias=true)\n"
            "  (W_V): torch::nn::Linear(in_features=8, out_features=8, bias=true)\n"
            "  (W_O): torch::nn::Linear(in_features=8, out_features=8, bias=true)\n"
            ")");
  const auto copy = std::dynamic_pointer_cast<MultiHeadAttentionImpl>(m->clone());
  ASSERT_TRUE(copy);
  EXPECT_TRUE(torch::equal(copy->W_O->weight, m->W_O->weight));
  copy->W_O->weight.data().add_(1.0);
  EXPECT_FALSE(torch::equal(copy->W_O->weight, m->W_O->weight));
}

TEST_F(MultiHeadAttentionTest, DropoutOnlyInTraining) {
  MultiHeadAttention m(MultiHeadAttentionOptions(16, 2).dropout(0.5));
  const auto x = torch::randn({2, 6, 16});
  m->eval();
  EXPECT_TRUE(torch::allclose(m(x, x, x), by_hand(m, x, x, x), 1e-5, 1e-6));
  m->train();
  const auto [out, weights] = m->forward_with_weights(x, x, x);
  EXPECT_GT(weights.eq(0).sum().item<int64_t>(), 0);
}

TEST_F(MultiHeadAttentionTest, ErrorsNameTheValues) {
  expect_error([] { MultiHeadAttention(MultiHeadAttentionOptions(512, 7)); },
               "d_model must be divisible by n_heads, got d_model=512, n_heads=7");
  expect_error([] { MultiHeadAttention(MultiHeadAttentionOptions(8, 0)); },
               "n_heads must be positive, got n_heads=0");
  MultiHeadAttention m(16, 4);
  const auto x = torch::randn({2, 5, 16});
  expect_error(
      [&] {
        m(torch::randn({2, 5, 12}), x, x);
      },
      "query must be [B, L, d_model] with d_model=16, got shape [2, 5, 12]");
  expect_error(
      [&] {
        m(x, torch::randn({3, 5, 16}), torch::randn({3, 5, 16}));
      },
      "query, key and value must have the same batch size B");
  expect_error(
      [&] {
        m(x, x, torch::randn({2, 4, 16}));
      },
      "key and value must have the same length Lk, got key [2, 5, 16] and value [2, 4, 16]");
  expect_error(
      [&] {
        m(x, x, x, torch::ones({2, 3, 5}));
      },
      "mask of shape [2, 3, 5] does not broadcast to the attention scores' shape "
      "(..., Lq, Lk) = [2, 4, 5, 5]");
  expect_error(
      [&] {
        m->forward_with_weights(x, x, x, torch::ones({2, 3, 5}));
      },
      "does not broadcast to the attention scores' shape");
}

TEST_F(MultiHeadAttentionTest, ForwardAndBackward_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  MultiHeadAttention m(64, 8);
  const auto x_cpu = torch::randn({2, 10, 64});
  auto keep = torch::ones({2, 1, 10, 10}, torch::kBool);
  keep[1][0][4].fill_(false);
  const auto y_cpu = m(x_cpu, x_cpu, x_cpu, keep);
  m->to(torch::kCUDA);
  auto x = x_cpu.to(torch::kCUDA).requires_grad_();
  const auto y = m(x, x, x, keep.to(torch::kCUDA));
  EXPECT_TRUE(y.is_cuda());
  EXPECT_TRUE(torch::allclose(y.cpu(), y_cpu, 1e-4, 1e-5));
  const auto y2 = m->forward_with_weights(x, x, x, keep.to(torch::kCUDA)).output;
  EXPECT_TRUE(torch::allclose(y2.cpu(), y_cpu, 1e-4, 1e-5));
  y.sum().backward();
  EXPECT_TRUE(torch::isfinite(x.grad()).all().item<bool>());
}

}  // namespace
}  // namespace infozoo::models
