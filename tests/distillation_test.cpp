// SPDX-License-Identifier: BSD-3-Clause
// DistillationLoss against Hinton et al.'s formulas written out in float64: the value, the
// gradient tau (p_student - p_teacher), its high-temperature limit (z - v) / C (logit matching,
// their equation 4), the alpha = 0 end (plain cross-entropy), and the error messages.
#include "infozoo/losses/distillation.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <sstream>

#include "test_support.h"

namespace infozoo::losses {
namespace {

using infozoo::test_support::expect_error;

class DistillationTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
  const int64_t B = 6, C = 5;
  torch::Tensor student = torch::randn({B, C}, torch::kDouble) * 2;
  torch::Tensor teacher = torch::randn({B, C}, torch::kDouble) * 3;
  torch::Tensor targets = torch::randint(0, C, {B}, torch::kLong);
};

// softmax(z / tau) with explicit exponentials (the logits here are small: no overflow).
torch::Tensor naive_softmax(const torch::Tensor& z, double tau) {
  const auto e = (z / tau).exp();
  return e / e.sum(-1, /*keepdim=*/true);
}

TEST_F(DistillationTest, ValueIsAlphaTauSquaredKlPlusWeightedCrossEntropy) {
  for (const double tau : {1.0, 2.0, 4.0, 20.0}) {
    const double alpha = 0.7;
    const auto pt = naive_softmax(teacher, tau), ps = naive_softmax(student, tau);
    const auto kl = (pt * (pt / ps).log()).sum(-1);
    const auto ce = -naive_softmax(student, 1.0).gather(1, targets.unsqueeze(1)).squeeze(1).log();
    const auto expected = alpha * tau * tau * kl + (1 - alpha) * ce;
    const auto options = DistillationLossOptions().temperature(tau).alpha(alpha);
    auto with_reduction = [&](DistillationLossOptions::reduction_t reduction) {
      auto copy = options;
      copy.reduction(reduction);
      return copy;
    };
    const auto per_sample =
        distillation_loss(student, teacher, targets, with_reduction(torch::kNone));
    EXPECT_TRUE(torch::allclose(per_sample, expected, 1e-12, 1e-12)) << "tau = " << tau;
    EXPECT_NEAR(distillation_loss(student, teacher, targets, options).item<double>(),
                expected.mean().item<double>(), 1e-12);
    EXPECT_NEAR(
        distillation_loss(student, teacher, targets, with_reduction(torch::kSum)).item<double>(),
        expected.sum().item<double>(), 1e-11);
  }
}

TEST_F(DistillationTest, SoftGradientIsTauTimesProbabilityDifference) {
  for (const double tau : {1.0, 4.0, 20.0}) {
    const auto s = student.clone().requires_grad_();
    distillation_loss(s, teacher, {},
                      DistillationLossOptions().temperature(tau).alpha(1).reduction(torch::kSum))
        .backward();
    const auto expected = tau * (naive_softmax(student, tau) - naive_softmax(teacher, tau));
    EXPECT_TRUE(torch::allclose(s.grad(), expected, 1e-12, 1e-12)) << "tau = " << tau;
  }
}

TEST_F(DistillationTest, HighTemperatureGradientIsLogitMatching) {
  // Hinton et al. eq. 4: for zero-mean logits and tau >> |logits|, tau^2 times the KL's gradient
  // tends to (z - v) / C, the gradient of matching logits by squared error; the gap is O(1 / tau).
  const auto z = student - student.mean(-1, /*keepdim=*/true);
  const auto v = teacher - teacher.mean(-1, /*keepdim=*/true);
  const auto s = z.clone().requires_grad_();
  const double tau = 1000;
  distillation_loss(s, v, {},
                    DistillationLossOptions().temperature(tau).alpha(1).reduction(torch::kSum))
      .backward();
  const auto limit = (z - v) / static_cast<double>(C);
  EXPECT_LT((s.grad() - limit).abs().max().item<double>(), 10.0 / tau);
  EXPECT_GT(limit.abs().max().item<double>(), 0.5);  // the limit is far from 0: a real check
}

TEST_F(DistillationTest, AlphaZeroIsCrossEntropyAndTeacherGetsNoGradient) {
  const auto t = teacher.clone().requires_grad_();
  const auto loss = distillation_loss(student, t, targets, DistillationLossOptions().alpha(0));
  EXPECT_NEAR(loss.item<double>(),
              torch::nn::functional::cross_entropy(student, targets).item<double>(), 1e-14);
  const auto s = student.clone().requires_grad_();
  distillation_loss(s, t, targets).backward();
  EXPECT_FALSE(t.grad().defined());
  EXPECT_TRUE(s.grad().defined());
}

TEST_F(DistillationTest, SmallTemperatureStaysFinite) {
  // At tau = 1e-3 the teacher's softmax is one-hot: exp underflows to exactly 0 for the others.
  const auto s = student.to(torch::kFloat).requires_grad_();
  const auto loss = distillation_loss(s, teacher.to(torch::kFloat), targets,
                                      DistillationLossOptions().temperature(1e-3));
  loss.backward();
  EXPECT_TRUE(std::isfinite(loss.item<float>()));
  EXPECT_TRUE(s.grad().isfinite().all().item<bool>());
}

TEST_F(DistillationTest, ModuleForwardsAndPrints) {
  DistillationLoss loss(DistillationLossOptions().temperature(2).alpha(0.5));
  EXPECT_NEAR(loss(student, teacher, targets).item<double>(),
              distillation_loss(student, teacher, targets,
                                DistillationLossOptions().temperature(2).alpha(0.5))
                  .item<double>(),
              0);
  std::ostringstream printed;
  printed << *loss;
  EXPECT_EQ(printed.str(),
            "infozoo::losses::DistillationLoss(temperature=2, alpha=0.5, reduction=mean)");
}

TEST_F(DistillationTest, BadInputNamesTheArgument) {
  expect_error([&] { DistillationLoss(DistillationLossOptions().temperature(0)); },
               "temperature must be positive and finite, got 0");
  expect_error([&] { DistillationLoss(DistillationLossOptions().alpha(1.5)); },
               "alpha (the soft term's weight) must be in [0, 1], got 1.5");
  expect_error([&] { distillation_loss(student, teacher.slice(1, 0, 4), targets); },
               "teacher logits must have the student's shape [B, C] = [6, 5], got [6, 4]");
  expect_error([&] { distillation_loss(student, teacher, {}); },
               "targets (class indices [B]) are needed when alpha < 1");
  expect_error([&] { distillation_loss(student, teacher, targets + 5); },
               "targets must be class indices in [0, 5), got values in [");
  expect_error([&] { distillation_loss(student, teacher, targets.to(torch::kFloat)); },
               "targets must be int64 on the logits' device");
  expect_error([&] { distillation_loss(student.flatten(), teacher.flatten(), targets); },
               "student logits must be [B, C] with B, C >= 1, got shape [30]");
}

}  // namespace
}  // namespace infozoo::losses
