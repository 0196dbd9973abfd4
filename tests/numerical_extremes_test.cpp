// SPDX-License-Identifier: BSD-3-Clause
// Numerical extremes: logits of +-1e4, temperatures 1e-4 and 1e4, float16 / bfloat16 inputs,
// fully masked attention rows, constant features in the MI estimators (scikit-learn issue 30772)
// and a diffusion schedule whose terminal SNR is zero. Every result must be finite (or the
// documented inf / NaN of the seed's naive softmax), and agree with a float64 computation.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <iostream>

#include "infozoo/analysis/mutual_info.h"
#include "infozoo/analysis/softmax.h"
#include "infozoo/losses/info_nce.h"
#include "infozoo/models/attention.h"
#include "infozoo/models/diffusion_schedule.h"

namespace infozoo {
namespace {

bool all_finite(const torch::Tensor& t) { return torch::isfinite(t).all().item<bool>(); }

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

// ---- softmax: logits +-1e4, temperatures 1e-4 and 1e4 ----

TEST(NumericalExtremes, StableSoftmaxOfHugeLogitsIsExact) {
  for (const auto dtype : {torch::kFloat, torch::kDouble}) {
    const auto z = torch::tensor({1e4, -1e4, 0.0, 1e4 - 1.0}, dtype);
    const auto s = analysis::stable_softmax(z);
    ASSERT_TRUE(all_finite(s)) << s;
    const auto expected = torch::softmax(z.to(torch::kDouble), 0);  // [1/(1+e^-1), 0, 0, ...]
    EXPECT_LT(max_abs_diff(s, expected), dtype == torch::kFloat ? 1e-6 : 1e-15) << s;
    EXPECT_EQ(s[1].item<double>(), 0.0);
  }
}

TEST(NumericalExtremes, NaiveSoftmaxOverflowsAsTheSeedShows) {
  // The seed's point (2.2): exp(1e4) = inf, inf / inf = NaN. analysis::softmax keeps that on
  // purpose.
  const auto s = analysis::softmax(torch::tensor({1e4, 0.0}));
  EXPECT_TRUE(std::isnan(s[0].item<double>()));
}

TEST(NumericalExtremes, SoftmaxTemperatureExtremes) {
  const auto z = torch::tensor({2.0, 1.0, 0.5, -3.0}, torch::kDouble);
  for (const double t : {1e-4, 1e4}) {
    for (const auto dtype : {torch::kFloat, torch::kDouble}) {
      const auto s = analysis::stable_softmax(z.to(dtype), t);
      ASSERT_TRUE(all_finite(s)) << "temperature " << t << ": " << s;
      const auto expected = torch::softmax(z / t, 0);
      EXPECT_LT(max_abs_diff(s, expected), dtype == torch::kFloat ? 1e-6 : 1e-14)
          << "temperature " << t;
    }
  }
  // 1e-4: one-hot on the largest logit; 1e4: uniform to within 1e-3.
  EXPECT_EQ(analysis::stable_softmax(z, 1e-4)[0].item<double>(), 1.0);
  EXPECT_LT(max_abs_diff(analysis::stable_softmax(z, 1e4), torch::full({4}, 0.25, torch::kDouble)),
            1e-3);
  // The Jacobian and its product stay finite at the one-hot extreme.
  EXPECT_TRUE(all_finite(analysis::softmax_jacobian(torch::tensor({1e4, -1e4, 0.0}))));
  EXPECT_TRUE(all_finite(analysis::softmax_jvp(torch::tensor({1e4, -1e4, 0.0}), torch::ones({3}))));
}

// ---- half precision ----

TEST(NumericalExtremes, ReducedPrecisionSoftmax) {
  torch::manual_seed(0);
  const auto z = torch::randn({4, 16}) * 8;
  for (const auto dtype : {torch::kHalf, torch::kBFloat16}) {
    // Against the exact softmax of the already-rounded inputs: the error measured is the
    // function's own, not the input's rounding (which alone moves logits of ~20 by ~0.1 in
    // bfloat16).
    const auto reference = torch::softmax(z.to(dtype).to(torch::kDouble), -1);
    try {
      const auto s = analysis::stable_softmax(z.to(dtype));
      EXPECT_EQ(s.scalar_type(), dtype);
      ASSERT_TRUE(all_finite(s));
      // One rounding to 8 (bfloat16) or 11 (float16) significant bits, not an accumulated error.
      EXPECT_LT(max_abs_diff(s, reference), dtype == torch::kHalf ? 2e-3 : 1e-2) << dtype;
    } catch (const c10::Error& e) {
      // LibTorch 1.13 has no float16 softmax on the CPU; the error must say so.
      std::cout << dtype << ": " << e.what_without_backtrace() << "\n";
      EXPECT_NE(std::string(e.what_without_backtrace()).find("Half"), std::string::npos);
    }
  }
}

TEST(NumericalExtremes, ReducedPrecisionAttentionAndInfoNCE) {
  torch::manual_seed(0);
  const auto Q = torch::randn({2, 5, 8}), K = torch::randn({2, 6, 8}), V = torch::randn({2, 6, 8});
  const auto ref = models::scaled_dot_product_attention(Q.to(torch::kDouble), K.to(torch::kDouble),
                                                        V.to(torch::kDouble))
                       .output;
  const auto q = torch::randn({4, 16}), p = torch::randn({4, 16}), n = torch::randn({4, 3, 16});
  const auto ref_loss =
      losses::info_nce_loss(q.to(torch::kDouble), p.to(torch::kDouble), n.to(torch::kDouble), 0.5);
  for (const auto dtype : {torch::kHalf, torch::kBFloat16}) {
    try {
      const auto out =
          models::scaled_dot_product_attention(Q.to(dtype), K.to(dtype), V.to(dtype)).output;
      EXPECT_EQ(out.scalar_type(), dtype);
      EXPECT_LT(max_abs_diff(out, ref), 5e-2) << dtype;
    } catch (const c10::Error& e) {
      std::cout << "attention " << dtype << ": " << e.what_without_backtrace() << "\n";
      EXPECT_NE(std::string(e.what_without_backtrace()).find("not implemented for"),
                std::string::npos);
    }
    try {
      const auto loss = losses::info_nce_loss(q.to(dtype), p.to(dtype), n.to(dtype), 0.5);
      EXPECT_LT(max_abs_diff(loss, ref_loss), 5e-2 * std::max(1.0, ref_loss.item<double>()))
          << dtype;
    } catch (const c10::Error& e) {
      std::cout << "info_nce " << dtype << ": " << e.what_without_backtrace() << "\n";
      EXPECT_NE(std::string(e.what_without_backtrace()).find("not implemented for"),
                std::string::npos);
    }
  }
}

// ---- attention: huge scores and fully masked rows ----

TEST(NumericalExtremes, AttentionWithHugeScores) {
  const auto Q = torch::tensor({{100.0, -100.0}, {-100.0, 100.0}});  // scores +-1e4 / sqrt(2)
  const auto K = Q.clone(), V = torch::tensor({{1.0, 2.0}, {3.0, 4.0}});
  const auto [out, w] = models::scaled_dot_product_attention(Q, K, V);
  ASSERT_TRUE(all_finite(out) && all_finite(w));
  EXPECT_TRUE(torch::allclose(out, V));  // each query attends to itself only
}

TEST(NumericalExtremes, FullyMaskedRowsAreZeroWithFiniteGradients) {
  const auto Q = torch::randn({1, 3, 4}, torch::requires_grad());
  const auto K = torch::randn({1, 5, 4}, torch::requires_grad());
  const auto V = torch::randn({1, 5, 4}, torch::requires_grad());
  auto mask = torch::ones({1, 3, 5}, torch::kBool);
  mask[0][1].fill_(false);  // query 1 sees no key
  const auto [out, w] = models::scaled_dot_product_attention(Q, K, V, mask);
  EXPECT_TRUE(torch::equal(out[0][1], torch::zeros({4})));
  EXPECT_TRUE(torch::equal(w[0][1], torch::zeros({5})));
  EXPECT_TRUE(all_finite(out));
  out.sum().backward();
  EXPECT_TRUE(all_finite(Q.grad()) && all_finite(K.grad()) && all_finite(V.grad()));
  EXPECT_TRUE(torch::equal(Q.grad()[0][1], torch::zeros({4})));
  // A -inf additive mask over a whole row and a causal mask on top: still zeros, no NaN.
  auto bias = torch::zeros({3, 5});
  bias[2].fill_(-std::numeric_limits<float>::infinity());
  const auto both = models::scaled_dot_product_attention(
      Q.detach(), K.detach(), V.detach(),
      models::AttentionOptions(mask).additive_mask(bias).is_causal(true));
  EXPECT_TRUE(all_finite(both.output));
  EXPECT_TRUE(torch::equal(both.output[0][2], torch::zeros({4})));
}

// ---- InfoNCE: temperatures 1e-4 and 1e4, logits +-1e4 ----

torch::Tensor info_nce_float64(const torch::Tensor& q, const torch::Tensor& p,
                               const torch::Tensor& n, double t) {
  const auto qd = q.to(torch::kDouble), pd = p.to(torch::kDouble), nd = n.to(torch::kDouble);
  const auto pos = (qd * pd).sum(-1, true);                       // (B, 1)
  const auto neg = torch::bmm(nd, qd.unsqueeze(-1)).squeeze(-1);  // (B, K)
  const auto logits = torch::cat({pos, neg}, 1) / t;
  return -torch::log_softmax(logits, 1).select(1, 0).mean();
}

TEST(NumericalExtremes, InfoNCETemperatureExtremes) {
  torch::manual_seed(1);
  const auto unit = [](const torch::Tensor& x) { return x / x.norm(2, -1, /*keepdim=*/true); };
  const auto q = unit(torch::randn({8, 16}));
  const auto p = unit(q + 0.3 * torch::randn({8, 16}));
  const auto n = unit(torch::randn({8, 5, 16}));
  for (const double t : {1e-4, 1e-2, 1.0, 1e4}) {
    const auto loss = losses::info_nce_loss(q, p, n, t);
    ASSERT_TRUE(all_finite(loss)) << "temperature " << t;
    const double expected = info_nce_float64(q, p, n, t).item<double>();
    // float32 logits of size ~1/t: relative error ~1e-7 of the logits.
    EXPECT_NEAR(loss.item<double>(), expected, 1e-6 * std::max(1.0, 1.0 / t))
        << "temperature " << t;
  }
  // Logits of +-1e4 directly (unnormalised inputs, temperature 1): finite, as float64 says.
  const auto big = torch::full({2, 1}, 100.0) * torch::ones({2, 2});  // q.p = 2e4
  const auto negs = -big.unsqueeze(1);                                // q.n = -2e4
  const auto loss = losses::info_nce_loss(big, big, negs, 1.0);
  EXPECT_TRUE(all_finite(loss));
  EXPECT_EQ(loss.item<double>(), 0.0);
  const auto wrong = losses::info_nce_loss(big, -big, big.unsqueeze(1), 1.0);  // positive at -2e4
  EXPECT_TRUE(all_finite(wrong));
  EXPECT_NEAR(wrong.item<double>(), 4e4, 1.0);
}

// ---- mutual information of constant features (scikit-learn issue 30772) ----

TEST(NumericalExtremes, ConstantFeaturesGiveFiniteSmallMutualInformation) {
  const auto y = (torch::arange(2000) < 100).to(torch::kLong);
  const double p = 100.0 / 2000.0;
  const double h_y = -(p * std::log(p) + (1 - p) * std::log(1 - p));  // nats
  for (const double value : {0.0, 1.0, 0.1, 1e6}) {
    const auto X = torch::full({2000, 1}, value, torch::kDouble);
    const auto mi =
        analysis::mutual_info_classif(X, y, analysis::MutualInfoOptions().random_state(0));
    ASSERT_TRUE(all_finite(mi));
    EXPECT_GE(mi[0].item<double>(), 0.0);
    EXPECT_LE(mi[0].item<double>(), h_y) << "constant " << value << ": MI above H(y) is impossible";
    // A constant carries no information: exactly 0, not the estimate of its 1e-10 jitter (which
    // the clamp at 0 would hide when negative, and which exceeds H(y) at large n).
    EXPECT_EQ(mi[0].item<double>(), 0.0) << "constant " << value;
  }
  const auto c = torch::full({500, 2}, 3.0, torch::kDouble);
  const auto ry = torch::randn({500}, torch::kDouble);
  const auto mr =
      analysis::mutual_info_regression(c, ry, analysis::MutualInfoOptions().random_state(0));
  ASSERT_TRUE(all_finite(mr));
  EXPECT_TRUE(torch::equal(mr, torch::zeros({2}, torch::kDouble))) << mr;
  // A constant target: nothing to know.
  const auto mc = analysis::mutual_info_regression(torch::randn({500, 2}, torch::kDouble),
                                                   torch::full({500}, 7.0, torch::kDouble),
                                                   analysis::MutualInfoOptions().random_state(0));
  ASSERT_TRUE(all_finite(mc));
  EXPECT_TRUE(torch::equal(mc, torch::zeros({2}, torch::kDouble))) << mc;
}

// The issue's own reproducer at a fifth of its size: 200000 samples, 100 of class 1, an all-ones
// feature. scikit-learn 1.2.1 answers 0.0502 nats there (and 0.2146 at 1e6), above H(y) = 0.0043.
TEST(NumericalExtremes, ScikitLearnIssue30772Reproducer) {
  const int64_t n = 200000;
  const auto X = torch::ones({n, 1}, torch::kDouble);
  const auto y = (torch::arange(n) < 100).to(torch::kLong);
  const double p = 100.0 / static_cast<double>(n);
  const double h_y = -(p * std::log(p) + (1 - p) * std::log(1 - p));
  const auto mi =
      analysis::mutual_info_classif(X, y, analysis::MutualInfoOptions().random_state(0));
  std::cout << "constant feature, n = " << n << ": MI " << mi[0].item<double>() << " nats, H(y) "
            << h_y << " nats (scikit-learn 1.2.1: 0.0502)\n";
  ASSERT_TRUE(all_finite(mi));
  EXPECT_LE(mi[0].item<double>(), h_y);
  EXPECT_EQ(mi[0].item<double>(), 0.0) << "a constant feature carries no information";
}

// ---- diffusion: a schedule whose terminal SNR is zero ----

TEST(NumericalExtremes, ZeroTerminalSnrSchedule) {
  // Rescaled as Lin et al. 2024 ("Common Diffusion Noise Schedules and Sample Steps are Flawed"):
  // alpha_bar_T = 0 exactly, so x_T is pure noise and nothing about x0 survives.
  models::DiffusionSchedule schedule(models::DiffusionScheduleOptions(50));
  {
    torch::NoGradGuard no_grad;
    schedule->alpha_bar[49] = 0.0f;
  }
  const auto snr = schedule->snr();
  const auto mi = schedule->mi_upper_bound();
  ASSERT_TRUE(all_finite(snr) && all_finite(mi));
  EXPECT_EQ(snr[49].item<float>(), 0.0f);
  EXPECT_EQ(mi[49].item<float>(), 0.0f);
  const auto x0 = torch::randn({3, 4}), noise = torch::randn({3, 4});
  EXPECT_TRUE(torch::equal(schedule->q_sample(x0, torch::tensor(49), noise), noise));
  // The free functions agree at both ends: SNR inf -> bound inf, SNR 0 -> bound 0.
  const auto ends = models::signal_to_noise(torch::tensor({1.0f, 0.5f, 0.0f}));
  EXPECT_TRUE(std::isinf(ends[0].item<float>()));
  EXPECT_EQ(ends[2].item<float>(), 0.0f);
  const auto bound = models::gaussian_channel_mi_upper_bound(ends);
  EXPECT_TRUE(std::isinf(bound[0].item<float>()));
  EXPECT_EQ(bound[2].item<float>(), 0.0f);
  EXPECT_FALSE(torch::isnan(bound).any().item<bool>());
}

}  // namespace
}  // namespace infozoo
