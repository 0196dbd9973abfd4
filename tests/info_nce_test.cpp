// SPDX-License-Identifier: BSD-3-Clause
// InfoNCE: the seed's function written out, the module's modes against each other and against
// hand computations, stability at small temperatures, gradients, printing and error messages.
#include "infozoo/losses/info_nce.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "../losses/src/row_logsumexp.h"
#include "test_support.h"

namespace infozoo::losses {
namespace {

class InfoNCETest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
  torch::Tensor unit(std::vector<int64_t> shape) {
    return torch::nn::functional::normalize(torch::randn(shape),
                                            torch::nn::functional::NormalizeFuncOptions().dim(-1));
  }
};

using infozoo::test_support::expect_error;

// -log(exp(pos) / (exp(pos) + sum exp(neg))) per row, in float64 with explicit exps (small
// logits only: this is the naive formula the loss must equal).
torch::Tensor naive_rows(const torch::Tensor& pos, const torch::Tensor& neg) {
  const auto p = pos.to(torch::kDouble).exp();
  return -(p / (p + neg.to(torch::kDouble).exp().sum(-1))).log();
}

TEST_F(InfoNCETest, SeedFunctionEqualsTheNaiveFormula) {
  const auto q = unit({8, 16});
  const auto p = unit({8, 16});
  const auto n = unit({8, 5, 16});
  const double t = 0.5;
  const auto loss = info_nce_loss(q, p, n, t);
  EXPECT_EQ(loss.dim(), 0);
  EXPECT_EQ(loss.scalar_type(), torch::kFloat);
  const auto pos = (q * p).sum(-1) / t;
  const auto neg = torch::einsum("bkd,bd->bk", {n, q}) / t;
  EXPECT_NEAR(loss.item<double>(), naive_rows(pos, neg).mean().item<double>(), 1e-6);
}

// Seed 7.2's "a small temperature focuses on hard negatives" rests on this gradient: for the mean
// over B queries, dL/dn_k = p_k q / (tau B), p_k the softmax weight of negative k among the 1 + K
// candidates. Float32 autograd against the float64 closed form: 1e-6 relative to the largest entry.
TEST_F(InfoNCETest, GradientOnANegativeIsItsSoftmaxWeightTimesQueryOverTau) {
  const int64_t B = 4, K = 16, D = 8;
  const auto q = torch::nn::functional::normalize(torch::randn({B, D}),
                                                  torch::nn::functional::NormalizeFuncOptions());
  const auto p = torch::nn::functional::normalize(q + 0.3 * torch::randn({B, D}),
                                                  torch::nn::functional::NormalizeFuncOptions());
  const auto n = torch::randn({B, K, D}).requires_grad_(true);
  for (const double tau : {0.07, 0.5, 1.0}) {
    const auto grad = torch::autograd::grad({info_nce_loss(q, p, n, tau)}, {n})[0];
    const auto qd = q.to(torch::kDouble), pd = p.to(torch::kDouble);
    const auto nd = n.detach().to(torch::kDouble);
    const auto logits = torch::cat({(qd * pd).sum(-1, true), (qd.unsqueeze(1) * nd).sum(-1)}, 1);
    const auto weights = (logits / tau).softmax(-1).slice(1, 1);  // [B, K], the negatives'
    const auto expected = weights.unsqueeze(-1) * qd.unsqueeze(1) / (tau * B);
    const double scale = expected.abs().max().item<double>();
    EXPECT_LT((grad.to(torch::kDouble) - expected).abs().max().item<double>(), 1e-6 * scale)
        << "tau " << tau;
  }
}

TEST_F(InfoNCETest, UnpairedBankEqualsPairedWithTheBankRepeated) {
  const auto q = unit({6, 12});
  const auto p = unit({6, 12});
  const auto bank = unit({9, 12});
  auto paired = InfoNCE(InfoNCEOptions().temperature(0.1));
  auto unpaired = InfoNCE(InfoNCEOptions().temperature(0.1).negative_mode(NegativeMode::kUnpaired));
  const auto a = paired->forward(q, p, bank.unsqueeze(0).expand({6, 9, 12}));
  const auto b = unpaired->forward(q, p, bank);
  EXPECT_NEAR(a.item<double>(), b.item<double>(), 1e-5);
}

// Without autograd, banks larger than one block (4096 negatives) take the blocked in-place
// log-sum-exp (on a GPU, as one block); with it, the one-matrix cross-entropy. Both must equal the
// cross-entropy computed here in float64 on the CPU (1e-5: float32 logits near 10^3, from the
// large entry over t).
void expect_large_shared_bank_matches_cross_entropy(const torch::Device& device) {
  const double t = 0.05;
  const auto q = torch::randn({8, 16}, torch::kDouble).to(torch::kFloat);
  const auto p = torch::randn({8, 16}, torch::kDouble).to(torch::kFloat);
  auto bank = torch::randn({10000, 16});  // blocks of 4096, 4096 and 1808
  bank[3][0] = 40.0f;                     // one logit far above the others
  const auto pos = (q * p).to(torch::kDouble).sum(-1, true);
  const auto logits =
      torch::cat({pos, q.to(torch::kDouble).matmul(bank.to(torch::kDouble).t())}, -1) / t;
  const auto qd = q.to(device), pd = p.to(device), bankd = bank.to(device);
  for (const auto& reduction : std::vector<torch::nn::CrossEntropyLossOptions::reduction_t>{
           torch::kMean, torch::kSum, torch::kNone}) {
    const auto expected = torch::nn::functional::cross_entropy(
        logits, torch::zeros({8}, torch::kLong),
        torch::nn::functional::CrossEntropyFuncOptions().reduction(reduction));
    const auto options =
        InfoNCEOptions().temperature(t).negative_mode(NegativeMode::kUnpaired).reduction(reduction);
    torch::Tensor blocked;
    {
      torch::NoGradGuard no_grad;
      blocked = info_nce(qd, pd, bankd, options);
    }
    EXPECT_EQ(blocked.device().type(), device.type());
    EXPECT_TRUE(torch::allclose(blocked.to(torch::kCPU, torch::kDouble), expected, 1e-5, 1e-5))
        << blocked << expected;
    const auto with_grad = info_nce(qd.clone().requires_grad_(true), pd, bankd, options);
    EXPECT_TRUE(with_grad.requires_grad());
    EXPECT_TRUE(torch::allclose(with_grad.to(torch::kCPU, torch::kDouble), expected, 1e-5, 1e-5));
  }
}

TEST_F(InfoNCETest, LargeSharedBankEqualsOneMatrixCrossEntropy) {
  expect_large_shared_bank_matches_cross_entropy(torch::kCPU);
}

TEST_F(InfoNCETest, LargeSharedBankEqualsOneMatrixCrossEntropy_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  expect_large_shared_bank_matches_cross_entropy(torch::kCUDA);
}

// A logit that overflows float32 makes its row's loss +inf on the blocked path (the fused block
// gives NaN there and is redone by the safe log-sum-exp); the other rows keep their float64 values.
TEST_F(InfoNCETest, LargeSharedBankWithAnOverflowingLogit) {
  const double t = 0.5;
  auto q = torch::randn({4, 8});
  const auto p = torch::randn({4, 8});
  auto bank = torch::randn({9000, 8});
  q[0][0] = 1e20f;
  bank[5000][0] = 1e20f;  // q0 . bank5000 = 1e40: +inf in float32
  const auto options = InfoNCEOptions()
                           .temperature(t)
                           .negative_mode(NegativeMode::kUnpaired)
                           .reduction(torch::kNone);
  torch::Tensor blocked;
  {
    torch::NoGradGuard no_grad;
    blocked = info_nce(q, p, bank, options);
  }
  const auto qd = q.to(torch::kDouble), bd = bank.to(torch::kDouble);
  const auto logits =
      torch::cat({(qd * p.to(torch::kDouble)).sum(-1, true), qd.matmul(bd.t())}, -1) / t;
  const auto expected = torch::logsumexp(logits, -1) - logits.select(1, 0);
  EXPECT_EQ(blocked[0].item<float>(), std::numeric_limits<float>::infinity());
  for (int64_t i = 1; i < 4; ++i) {
    EXPECT_NEAR(blocked[i].item<double>(), expected[i].item<double>(),
                1e-5 * (1 + std::abs(expected[i].item<double>())));
  }
}

// The shared bank's row kernel against a float64 log-sum-exp: widths on both sides of its
// 32-column vector step, logits spread far enough to underflow, -inf entries; rows it must leave
// to ATen (an infinite max, NaN) come back non-finite.
TEST_F(InfoNCETest, RowLogSumExpKernelMatchesFloat64) {
  if (!detail::row_logsumexp_avx2_available()) GTEST_SKIP() << "no AVX2";
  for (const int64_t cols : {1, 7, 31, 32, 33, 100, 4096}) {
    auto m = torch::randn({6, cols}) * 30;  // exp of values below -87 underflows to 0
    m[1] = m[1] - 1000;                     // a row far below 0: the shift by its max matters
    if (cols > 1) m[2][cols / 2] = -std::numeric_limits<float>::infinity();
    auto out = torch::empty({6});
    detail::row_logsumexp_avx2(m.data_ptr<float>(), 6, cols, out.data_ptr<float>());
    const auto expected = torch::logsumexp(m.to(torch::kDouble), -1);
    for (int64_t r = 0; r < 6; ++r) {
      const double e = expected[r].item<double>();
      EXPECT_NEAR(out[r].item<double>(), e, 1e-6 * std::abs(e) + 1e-6)
          << "row " << r << ", " << cols << " columns";
    }
  }
  auto m = torch::zeros({3, 40});
  m[0][5] = std::numeric_limits<float>::infinity();
  m[1].fill_(-std::numeric_limits<float>::infinity());
  m[2][39] = std::nanf("");
  auto out = torch::empty({3});
  detail::row_logsumexp_avx2(m.data_ptr<float>(), 3, 40, out.data_ptr<float>());
  EXPECT_FALSE(torch::isfinite(out).any().item<bool>()) << out;
}

TEST_F(InfoNCETest, InBatchNegativesAreTheOtherPositives) {
  const auto q = unit({5, 8});
  const auto p = unit({5, 8});
  const double t = 0.2;
  const auto loss = info_nce(q, p, {}, InfoNCEOptions().temperature(t).reduction(torch::kNone));
  ASSERT_EQ(loss.sizes(), torch::IntArrayRef({5}));
  for (int64_t i = 0; i < 5; ++i) {
    const auto sims = torch::mv(p, q[i]).to(torch::kDouble) / t;  // q_i . p_j for every j
    const double expected = -(sims[i] - sims.exp().sum().log()).item<double>();
    EXPECT_NEAR(loss[i].item<double>(), expected, 1e-5) << "row " << i;
  }
  // Equivalently: paired negatives built from the other rows' positives.
  std::vector<torch::Tensor> rows;
  for (int64_t i = 0; i < 5; ++i) {
    rows.push_back(torch::cat({p.slice(0, 0, i), p.slice(0, i + 1, 5)}));
  }
  const auto paired = info_nce_loss(q, p, torch::stack(rows), t);
  EXPECT_NEAR(paired.item<double>(), loss.mean().item<double>(), 1e-5);
}

TEST_F(InfoNCETest, ReductionsAndNormalize) {
  const auto q = torch::randn({4, 8}) * 3.0;
  const auto p = torch::randn({4, 8});
  const auto n = torch::randn({4, 6, 8});
  const auto none = info_nce(q, p, n, InfoNCEOptions().reduction(torch::kNone).normalize(true));
  const auto sum = info_nce(q, p, n, InfoNCEOptions().reduction(torch::kSum).normalize(true));
  const auto mean = info_nce(q, p, n, InfoNCEOptions().normalize(true));
  EXPECT_NEAR(sum.item<double>(), none.sum().item<double>(), 1e-4);
  EXPECT_NEAR(mean.item<double>(), none.mean().item<double>(), 1e-5);
  // normalize(true) is the seed's loss on F.normalize'd inputs: invariant to input scale.
  const auto opts = torch::nn::functional::NormalizeFuncOptions().dim(-1);
  namespace F = torch::nn::functional;
  const auto seed =
      info_nce_loss(F::normalize(q, opts), F::normalize(p, opts), F::normalize(n, opts));
  EXPECT_NEAR(mean.item<double>(), seed.item<double>(), 1e-5);
  EXPECT_NEAR(info_nce(q * 7.0, p, n, InfoNCEOptions().normalize(true)).item<double>(),
              mean.item<double>(), 1e-5);
}

TEST_F(InfoNCETest, NoOverflowAtSmallTemperature) {
  // Unit vectors with the positive equal to the query: logits 1/t = 100 (and 1000).
  const auto q = unit({4, 32});
  const auto n = unit({4, 64, 32});
  for (const double t : {0.01, 0.001}) {
    const auto loss = info_nce_loss(q, q, n, t);
    EXPECT_TRUE(std::isfinite(loss.item<double>())) << "t=" << t;
    EXPECT_GE(loss.item<double>(), 0.0);
    EXPECT_LT(loss.item<double>(), 1e-3);  // the positive wins by a wide margin
  }
  // A negative equal to the query ties with the positive: loss log(2) even at t = 0.001.
  auto tied = n.clone();
  tied.select(1, 0).copy_(q);
  const auto loss =
      info_nce(q, q, tied, InfoNCEOptions().temperature(0.001).reduction(torch::kNone));
  EXPECT_TRUE(torch::allclose(loss, torch::full({4}, std::log(2.0)), 1e-3, 1e-3));
}

TEST_F(InfoNCETest, GradientsFlowAndAreFinite) {
  auto q = torch::randn({4, 8}, torch::requires_grad());
  auto p = torch::randn({4, 8}, torch::requires_grad());
  auto bank = torch::randn({10, 8}, torch::requires_grad());
  InfoNCE loss(
      InfoNCEOptions().temperature(0.01).normalize(true).negative_mode(NegativeMode::kUnpaired));
  loss(q, p, bank).backward();
  for (const auto* t : {&q, &p, &bank}) {
    ASSERT_TRUE(t->grad().defined());
    EXPECT_TRUE(torch::isfinite(t->grad()).all().item<bool>());
  }
}

TEST_F(InfoNCETest, PrettyPrint) {
  EXPECT_EQ(c10::str(InfoNCE()),
            "infozoo::losses::InfoNCE(temperature=0.07, reduction=mean, negative_mode=paired, "
            "normalize=false)");
  EXPECT_EQ(c10::str(InfoNCE(InfoNCEOptions()
                                 .temperature(0.5)
                                 .reduction(torch::kSum)
                                 .negative_mode(NegativeMode::kUnpaired)
                                 .normalize(true))),
            "infozoo::losses::InfoNCE(temperature=0.5, reduction=sum, negative_mode=unpaired, "
            "normalize=true)");
}

TEST_F(InfoNCETest, ErrorsNameTheArgumentAndValue) {
  const auto q = torch::randn({4, 8});
  const auto n = torch::randn({4, 6, 8});
  expect_error([&] { info_nce_loss(q, q, n, 0.0); },
               "temperature must be positive and finite, got 0");
  expect_error([&] { info_nce_loss(q, q, n, -0.5); },
               "temperature must be positive and finite, got -0.5");
  expect_error([] { InfoNCE(InfoNCEOptions().temperature(0.0)); },
               "temperature must be positive and finite, got 0");
  expect_error([&] { info_nce_loss(torch::randn({8}), q, n); },
               "query must be [B, D], got shape [8]");
  expect_error(
      [&] {
        info_nce_loss(q, torch::randn({4, 7}), n);
      },
      "positive must have query's shape [B, D] = [4, 8], got [4, 7]");
  expect_error(
      [&] {
        info_nce_loss(q, q, torch::randn({6, 8}));
      },
      "negatives must be [B, K, D] for negative_mode=paired");
  expect_error(
      [&] {
        info_nce_loss(q, q, torch::randn({3, 6, 8}));
      },
      "negatives must have query's batch size B=4, got shape [3, 6, 8]");
  expect_error(
      [&] {
        info_nce_loss(q, q, torch::randn({4, 6, 5}));
      },
      "negatives must have query's feature size D=8, got shape [4, 6, 5]");
  expect_error([&] { info_nce(q, q, n, InfoNCEOptions().negative_mode(NegativeMode::kUnpaired)); },
               "negatives must be [K, D] for negative_mode=unpaired, got shape [4, 6, 8]");
  expect_error([&] { info_nce_loss(q, q, n.to(torch::kDouble)); },
               "negatives must have query's dtype and device (Float, cpu), got Double, cpu");
}

TEST_F(InfoNCETest, AllModes_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  const auto q = unit({8, 16});
  const auto p = unit({8, 16});
  const auto n = unit({8, 5, 16});
  const auto bank = unit({7, 16});
  const auto cuda = torch::Device(torch::kCUDA);
  EXPECT_NEAR(info_nce_loss(q.to(cuda), p.to(cuda), n.to(cuda), 0.01).item<double>(),
              info_nce_loss(q, p, n, 0.01).item<double>(), 1e-4);
  const auto unpaired = InfoNCEOptions().negative_mode(NegativeMode::kUnpaired);
  EXPECT_NEAR(info_nce(q.to(cuda), p.to(cuda), bank.to(cuda), unpaired).item<double>(),
              info_nce(q, p, bank, unpaired).item<double>(), 1e-4);
  EXPECT_NEAR(info_nce(q.to(cuda), p.to(cuda), {}).item<double>(),
              info_nce(q, p, {}).item<double>(), 1e-4);
}

}  // namespace
}  // namespace infozoo::losses
