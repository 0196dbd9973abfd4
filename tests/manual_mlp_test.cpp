// SPDX-License-Identifier: BSD-3-Clause
// ManualMLP (seed 3.2): the hand-written gradients against autograd on the same graph, an
// autograd twin trained with torch::optim::SGD, the seed's numpy run (tests/expected/manual_mlp,
// from tests/generators/manual_mlp.py), parameters and state, and the error messages.
#include "infozoo/models/manual_mlp.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <sstream>

#include "infozoo/datasets/numpy_random.h"
#include "test_support.h"

namespace infozoo::models {
namespace {

using nlohmann::json;

class ManualMLPTest : public ::testing::Test {
 protected:
  void SetUp() override { torch::manual_seed(0); }
};

torch::Tensor matrix(const json& rows) {
  std::vector<double> flat;
  for (const auto& row : rows) {
    for (const auto& v : row) flat.push_back(v.get<double>());
  }
  return torch::tensor(flat, torch::kDouble).reshape({static_cast<int64_t>(rows.size()), -1});
}

torch::Tensor vector(const json& values) {
  return torch::tensor(values.get<std::vector<double>>(), torch::kDouble);
}

// Largest |a - b| / max(|a|, |b|, tiny), printed by the failing assertion.
double max_rel_diff(const torch::Tensor& a, const torch::Tensor& b) {
  const auto scale = torch::maximum(a.abs(), b.abs()).clamp_min(1e-300);
  return ((a - b).abs() / scale).max().item<double>();
}

void expect_close(const torch::Tensor& expected, const torch::Tensor& actual, double rtol,
                  double atol, const std::string& what) {
  ASSERT_EQ(expected.sizes(), actual.sizes()) << what;
  const double abs_diff = (expected - actual).abs().max().item<double>();
  EXPECT_TRUE(torch::allclose(actual, expected, rtol, atol))
      << what << ": max |diff| " << abs_diff << ", max relative diff "
      << max_rel_diff(expected, actual);
}

// The seed's forward and the exact mean cross-entropy on parameters that require grad.
struct AutogradGraph {
  torch::Tensor W1, b1, W2, b2;
  explicit AutogradGraph(const ManualMLPImpl& mlp)
      : W1(mlp.W1.detach().clone().requires_grad_()),
        b1(mlp.b1.detach().clone().requires_grad_()),
        W2(mlp.W2.detach().clone().requires_grad_()),
        b2(mlp.b2.detach().clone().requires_grad_()) {}
  torch::Tensor loss(const torch::Tensor& X, const torch::Tensor& y_onehot) const {
    const auto z2 = torch::relu(X.matmul(W1) + b1).matmul(W2) + b2;
    return -(y_onehot * torch::log_softmax(z2, /*dim=*/1)).sum(1).mean();
  }
};

class ManualMLPPathTest : public ManualMLPTest, public ::testing::WithParamInterface<bool> {};

// Both implementations of forward/backward: the fused CPU loops and the ATen ops.
INSTANTIATE_TEST_SUITE_P(Paths, ManualMLPPathTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "CpuKernel" : "AtenOps";
                         });

TEST_P(ManualMLPPathTest, ManualGradientsEqualAutograd) {
  ManualMLP mlp(ManualMLPOptions(3, 8, 4).cpu_kernel(GetParam()));
  // 555 rows: the CPU kernel's chunks of 256 samples, the last one partial.
  const auto X = torch::randn({555, 3}, torch::kDouble);
  const auto y = torch::randint(0, 4, {555}, torch::kLong);
  const auto y_onehot = torch::one_hot(y, 4).to(torch::kDouble);

  AutogradGraph graph(*mlp);
  graph.loss(X, y_onehot).backward();

  const auto probs = mlp->forward(X);
  const auto logits = torch::relu(X.matmul(mlp->W1) + mlp->b1).matmul(mlp->W2) + mlp->b2;
  expect_close(torch::softmax(logits, /*dim=*/1), probs, 1e-13, 1e-15, "probs");
  expect_close(torch::relu(X.matmul(mlp->W1) + mlp->b1), mlp->a1, 1e-13, 1e-15, "cached a1");
  const auto W1_before = mlp->W1.clone();
  const double lr = 0.25;
  const auto grads = mlp->backward(y_onehot, lr);
  // Same graph, same float64 numbers: only the summation order differs.
  expect_close(graph.W1.grad(), grads.dW1, 1e-12, 1e-15, "dW1");
  expect_close(graph.b1.grad(), grads.db1, 1e-12, 1e-15, "db1");
  expect_close(graph.W2.grad(), grads.dW2, 1e-12, 1e-15, "dW2");
  expect_close(graph.b2.grad(), grads.db2, 1e-12, 1e-15, "db2");
  // The SGD step p -= lr * dp.
  expect_close(W1_before - lr * graph.W1.grad(), mlp->W1, 1e-14, 1e-15, "W1 after the step");
}

TEST_P(ManualMLPPathTest, DeadReluUnitsGetZeroGradient) {
  ManualMLP mlp(ManualMLPOptions(2, 4, 2).cpu_kernel(GetParam()));
  {
    torch::NoGradGuard no_grad;
    mlp->W1.zero_();
    mlp->b1.copy_(torch::tensor({-1.0, 1.0, -1.0, 1.0}, torch::kDouble));  // units 0 and 2 dead
  }
  const auto X = torch::randn({5, 2}, torch::kDouble);
  mlp->forward(X);
  const auto grads =
      mlp->backward(torch::one_hot(torch::tensor({0, 1, 0, 1, 1}), 2).to(torch::kDouble), 0.1);
  EXPECT_EQ(grads.db1[0].item<double>(), 0.0);
  EXPECT_EQ(grads.db1[2].item<double>(), 0.0);
  EXPECT_TRUE(grads.dW1.select(1, 0).eq(0).all().item<bool>());
  EXPECT_NE(grads.db1[1].item<double>(), 0.0);
}

// ReLU'(0) = 0, as the seed's `(z > 0)`: rows of zeros with the seed's b1 = 0 give z1 = 0 exactly
// for every hidden unit (tests/generators/manual_mlp.py, relu_at_zero.json). A `z >= 0` would add
// those rows' delta2 W2^T to db1, about 0.01 here against a tolerance of 1e-12 relative.
TEST_P(ManualMLPPathTest, ReluGradientAtExactlyZeroIsZeroAsNumpys) {
  const auto expected = test_support::load_expected("manual_mlp/relu_at_zero.json");
  const auto X = matrix(expected.at("X"));
  const auto y = torch::tensor(expected.at("y").get<std::vector<int64_t>>(), torch::kLong);
  const auto dims = expected.at("dims").get<std::vector<int64_t>>();
  datasets::NumpyRandomState random_state(expected.at("seed").get<int64_t>());
  ManualMLP mlp(ManualMLPOptions(dims[0], dims[1], dims[2]).cpu_kernel(GetParam()), random_state);
  ASSERT_TRUE(mlp->b1.eq(0).all().item<bool>());
  mlp->forward(X);
  // The premise: z1 = 0 exactly on the zero rows, and only there.
  const auto zero_rows = torch::tensor(expected.at("zero_rows").get<std::vector<int64_t>>());
  const auto z1 = X.matmul(mlp->W1) + mlp->b1;  // (B, H)
  ASSERT_TRUE(z1.index_select(0, zero_rows).eq(0).all().item<bool>());
  ASSERT_EQ(z1.eq(0).sum().item<int64_t>(), zero_rows.numel() * dims[1]);

  const auto grads =
      mlp->backward(torch::one_hot(y, dims[2]).to(torch::kDouble), expected.at("lr").get<double>());
  const auto& g = expected.at("gradients");
  expect_close(vector(g.at("db1")), grads.db1, 1e-12, 1e-15, "db1 with z1 = 0 on 4 rows");
  expect_close(matrix(g.at("dW1")), grads.dW1, 1e-12, 1e-15, "dW1 with z1 = 0 on 4 rows");
  expect_close(matrix(g.at("dW2")), grads.dW2, 1e-12, 1e-15, "dW2 with z1 = 0 on 4 rows");
  expect_close(vector(g.at("db2")), grads.db2, 1e-12, 1e-15, "db2 with z1 = 0 on 4 rows");
  expect_close(vector(expected.at("after").at("b1")), mlp->b1, 1e-12, 1e-15, "b1 after the step");
}

TEST_F(ManualMLPTest, AutogradTwinWithSgdFollowsTheSameTrajectory) {
  ManualMLP mlp(2, 16, 2);
  torch::nn::Linear fc1(torch::nn::LinearOptions(2, 16)), fc2(torch::nn::LinearOptions(16, 2));
  fc1->to(torch::kDouble);
  fc2->to(torch::kDouble);
  {
    torch::NoGradGuard no_grad;
    fc1->weight.copy_(mlp->W1.t());  // Linear stores [out, in]
    fc1->bias.copy_(mlp->b1);
    fc2->weight.copy_(mlp->W2.t());
    fc2->bias.copy_(mlp->b2);
  }
  std::vector<torch::Tensor> twin_params = fc1->parameters();
  for (const auto& p : fc2->parameters()) twin_params.push_back(p);
  const double lr = 0.5;
  torch::optim::SGD sgd(twin_params, torch::optim::SGDOptions(lr));

  const auto X = torch::randn({64, 2}, torch::kDouble);
  const auto y = (X.select(1, 0) * X.select(1, 1) > 0).to(torch::kLong);  // XOR-like quadrants
  const int64_t epochs = 300;
  std::vector<double> manual_losses;
  mlp->train(X, y, epochs, lr, &manual_losses);
  ASSERT_EQ(manual_losses.size(), static_cast<size_t>(epochs));

  double max_loss_diff = 0.0;
  for (int64_t epoch = 0; epoch < epochs; ++epoch) {
    sgd.zero_grad();
    const auto logits = fc2(torch::relu(fc1(X)));
    const auto loss = torch::nn::functional::cross_entropy(logits, y);
    loss.backward();
    sgd.step();
    // The seed's loss has log(p + 1e-10); the gap is about 1e-10 / p, far below 1e-8 here.
    max_loss_diff = std::max(max_loss_diff, std::abs(loss.item<double>() - manual_losses[epoch]));
  }
  EXPECT_LT(max_loss_diff, 1e-8) << "max loss difference over " << epochs << " epochs";
  EXPECT_LT(manual_losses.back(), 0.5 * manual_losses.front()) << "the network should learn";
  expect_close(fc1->weight.detach().t(), mlp->W1, 1e-9, 1e-12, "W1 after training");
  expect_close(fc2->weight.detach().t(), mlp->W2, 1e-9, 1e-12, "W2 after training");
  expect_close(fc1->bias.detach(), mlp->b1, 1e-9, 1e-12, "b1 after training");
  expect_close(fc2->bias.detach(), mlp->b2, 1e-9, 1e-12, "b2 after training");
}

TEST_P(ManualMLPPathTest, TrainsOnANonContiguousInput) {
  const auto options = ManualMLPOptions(2, 8, 2).cpu_kernel(GetParam());
  datasets::NumpyRandomState state_a(1), state_b(1);
  ManualMLP a(options, state_a), b(options, state_b);
  const auto X = torch::randn({2, 40}, torch::kDouble).t();  // (40, 2), column-major
  ASSERT_FALSE(X.is_contiguous());
  const auto y = (X.select(1, 0) > 0).to(torch::kLong);
  a->train(X, y, 50, 0.5);
  b->train(X.contiguous(), y, 50, 0.5);
  EXPECT_TRUE(torch::equal(a->W1, b->W1));
}

TEST_F(ManualMLPTest, CpuKernelAndAtenOpsFollowTheSameTrajectory) {
  datasets::NumpyRandomState state_a(42), state_b(42);
  ManualMLP fused(ManualMLPOptions(2, 32, 2), state_a);
  ManualMLP aten(ManualMLPOptions(2, 32, 2).cpu_kernel(false), state_b);
  const auto X = torch::randn({300, 2}, torch::kDouble);
  const auto y = (X.select(1, 0) * X.select(1, 1) > 0).to(torch::kLong);
  std::vector<double> fused_losses, aten_losses;
  fused->train(X, y, 1000, 0.5, &fused_losses);
  aten->train(X, y, 1000, 0.5, &aten_losses);
  double max_diff = 0.0;
  for (size_t i = 0; i < fused_losses.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(fused_losses[i] - aten_losses[i]));
  }
  // Only the summation order differs (BLAS vs loops): last-bit differences, not amplified.
  EXPECT_LT(max_diff, 1e-12) << "max loss difference over 1000 epochs";
  expect_close(aten->W1, fused->W1, 1e-10, 1e-13, "W1");
  expect_close(aten->W2, fused->W2, 1e-10, 1e-13, "W2");
}

TEST_F(ManualMLPTest, NumpySeedGivesNumpysInitialWeights) {
  for (const auto& init : test_support::load_expected("manual_mlp/init.json")) {
    const auto dims = init.at("dims").get<std::vector<int64_t>>();
    datasets::NumpyRandomState random_state(init.at("seed").get<int64_t>());
    ManualMLP mlp(ManualMLPOptions(dims[0], dims[1], dims[2]), random_state);
    const auto& p = init.at("params");
    const std::string seed = "seed " + std::to_string(init.at("seed").get<int64_t>());
    // Bit for bit: the same Gaussian draws times the same float64 scale.
    EXPECT_TRUE(torch::equal(mlp->W1, matrix(p.at("W1")))) << seed;
    EXPECT_TRUE(torch::equal(mlp->W2, matrix(p.at("W2")))) << seed;
    EXPECT_TRUE(torch::equal(mlp->b1, vector(p.at("b1")))) << seed;
    EXPECT_TRUE(torch::equal(mlp->b2, vector(p.at("b2")))) << seed;
  }
}

TEST_F(ManualMLPTest, NumpyInitialisationLeavesTorchsGeneratorAlone) {
  torch::manual_seed(5);
  const auto expected = torch::randn({3});
  torch::manual_seed(5);
  datasets::NumpyRandomState random_state(42);
  ManualMLP mlp(ManualMLPOptions(2, 32, 2), random_state);
  EXPECT_TRUE(torch::equal(torch::randn({3}), expected));
}

TEST_F(ManualMLPTest, TrainingMatchesTheSeedsNumpyRun) {
  const auto expected = test_support::load_expected("manual_mlp/train.json");
  const auto X = matrix(expected.at("X"));
  const auto y = torch::tensor(expected.at("y").get<std::vector<int64_t>>(), torch::kLong);
  const auto dims = expected.at("dims").get<std::vector<int64_t>>();
  const double lr = expected.at("lr").get<double>();
  const auto options = ManualMLPOptions(dims[0], dims[1], dims[2]);

  datasets::NumpyRandomState first_state(expected.at("seed").get<int64_t>());
  ManualMLP first(options, first_state);
  first->forward(X);
  const auto grads = first->backward(torch::one_hot(y, dims[2]).to(torch::kDouble), lr);
  const auto& g = expected.at("first_gradients");
  expect_close(matrix(g.at("dW1")), grads.dW1, 1e-12, 1e-15, "dW1 of the first step");
  expect_close(vector(g.at("db1")), grads.db1, 1e-12, 1e-15, "db1 of the first step");
  expect_close(matrix(g.at("dW2")), grads.dW2, 1e-12, 1e-15, "dW2 of the first step");
  expect_close(vector(g.at("db2")), grads.db2, 1e-12, 1e-15, "db2 of the first step");

  datasets::NumpyRandomState random_state(expected.at("seed").get<int64_t>());
  ManualMLP mlp(options, random_state);
  const auto log = mlp->train(X, y, expected.at("epochs").get<int64_t>(), lr);
  const auto& log_expected = expected.at("log");
  ASSERT_EQ(log.size(), log_expected.size());
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].epoch, log_expected[i].at("epoch").get<int64_t>());
    EXPECT_NEAR(log[i].loss, log_expected[i].at("loss").get<double>(),
                1e-9 * log_expected[i].at("loss").get<double>());
    EXPECT_EQ(log[i].acc, log_expected[i].at("acc").get<double>());
  }
  const auto& final_params = expected.at("final");
  expect_close(matrix(final_params.at("W1")), mlp->W1, 1e-9, 1e-12, "final W1");
  expect_close(vector(final_params.at("b1")), mlp->b1, 1e-9, 1e-12, "final b1");
  expect_close(matrix(final_params.at("W2")), mlp->W2, 1e-9, 1e-12, "final W2");
  expect_close(vector(final_params.at("b2")), mlp->b2, 1e-9, 1e-12, "final b2");
}

TEST_F(ManualMLPTest, LogsEvery200EpochsWithLossAndAccuracy) {
  ManualMLP mlp(2, 8, 2);
  const auto X = torch::randn({20, 2}, torch::kDouble);
  const auto y = (X.select(1, 0) > 0).to(torch::kLong);
  const auto log = mlp->train(X, y, /*epochs=*/401, /*lr=*/0.5);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].epoch, 0);
  EXPECT_EQ(log[1].epoch, 200);
  EXPECT_EQ(log[2].epoch, 400);
  for (const auto& entry : log) {
    EXPECT_GT(entry.loss, 0.0);
    EXPECT_GE(entry.acc, 0.0);
    EXPECT_LE(entry.acc, 1.0);
  }
  EXPECT_GT(log[2].acc, 0.9) << "a linearly separable problem";
  EXPECT_TRUE(mlp->train(X, y, /*epochs=*/0, 0.5).empty());
}

TEST_F(ManualMLPTest, ParametersAreTheSeedsWithoutAutograd) {
  ManualMLP mlp(2, 32, 2);
  const auto params = mlp->named_parameters();
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(params.keys(), (std::vector<std::string>{"W1", "b1", "W2", "b2"}));
  EXPECT_EQ(mlp->W1.sizes(), torch::IntArrayRef({2, 32}));
  EXPECT_EQ(mlp->b1.sizes(), torch::IntArrayRef({32}));
  EXPECT_EQ(mlp->W2.sizes(), torch::IntArrayRef({32, 2}));
  EXPECT_EQ(mlp->b2.sizes(), torch::IntArrayRef({2}));
  EXPECT_TRUE(mlp->named_buffers().is_empty());
  for (const auto& p : params) {
    EXPECT_EQ(p.value().scalar_type(), torch::kDouble) << p.key();
    EXPECT_FALSE(p.value().requires_grad()) << p.key();
  }
  EXPECT_TRUE(mlp->b1.eq(0).all().item<bool>());
  // Xavier scale sqrt(2 / (2 + 32)) = 0.24: 64 draws stay well inside 6 sigma.
  EXPECT_LT(mlp->W1.abs().max().item<double>(), 6 * std::sqrt(2.0 / 34));
  EXPECT_EQ(c10::str(*mlp),
            "infozoo::models::ManualMLP(input_dim=2, hidden_dim=32, output_dim=2, dtype=Double)");
}

TEST_F(ManualMLPTest, StateRoundTripsThroughSerializationAndClone) {
  ManualMLP mlp(2, 8, 3);
  std::stringstream stream;
  torch::save(mlp, stream);
  ManualMLP loaded(2, 8, 3);
  torch::load(loaded, stream);
  for (const auto& p : mlp->named_parameters()) {
    EXPECT_TRUE(torch::equal(p.value(), loaded->named_parameters()[p.key()])) << p.key();
  }
  // The loaded module trains with its loaded weights (the members alias the registered tensors).
  EXPECT_TRUE(torch::equal(loaded->W1, mlp->W1));

  auto copy = std::dynamic_pointer_cast<ManualMLPImpl>(mlp->clone());
  ASSERT_TRUE(copy);
  EXPECT_TRUE(torch::equal(copy->W2, mlp->W2));
  copy->W2.add_(1.0);
  EXPECT_FALSE(torch::equal(copy->W2, mlp->W2)) << "a clone owns its parameters";
}

TEST_F(ManualMLPTest, FloatDtypeOption) {
  ManualMLP mlp(ManualMLPOptions(2, 4, 2).dtype(torch::kFloat));
  EXPECT_EQ(mlp->W1.scalar_type(), torch::kFloat);
  const auto probs = mlp->forward(torch::randn({3, 2}));
  EXPECT_EQ(probs.scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::allclose(probs.sum(1), torch::ones({3})));
}

TEST_F(ManualMLPTest, KeptOutputsSurviveTheNextForward) {
  ManualMLP mlp(2, 4, 2);
  const auto first = mlp->forward(torch::randn({6, 2}, torch::kDouble));
  const auto snapshot = first.clone();
  mlp->forward(torch::randn({6, 2}, torch::kDouble));
  EXPECT_TRUE(torch::equal(first, snapshot))
      << "forward must not overwrite a tensor the caller holds";
  EXPECT_FALSE(torch::equal(mlp->probs, snapshot));
}

TEST_F(ManualMLPTest, SoftmaxDoesNotOverflowOnHugeLogits) {
  ManualMLP mlp(1, 1, 2);
  {
    torch::NoGradGuard no_grad;
    mlp->W1.fill_(1.0);
    mlp->W2.copy_(torch::tensor({{1000.0, -1000.0}}, torch::kDouble));
  }
  const auto probs = mlp->forward(torch::tensor({{5.0}}, torch::kDouble));
  EXPECT_TRUE(torch::isfinite(probs).all().item<bool>());
  EXPECT_DOUBLE_EQ(probs[0][0].item<double>(), 1.0);
}

// Asserts that `fn` throws a c10::Error whose message contains `text`.
using infozoo::test_support::expect_error;

TEST_F(ManualMLPTest, ErrorsNameTheArgumentAndValue) {
  expect_error([] { ManualMLP(0, 4, 2); }, "input_dim must be positive, got 0");
  expect_error([] { ManualMLP(2, -1, 2); }, "hidden_dim must be positive, got -1");
  expect_error([] { ManualMLP(ManualMLPOptions(2, 4, 2).dtype(torch::kLong)); },
               "dtype must be a floating point type, got Long");
  ManualMLP mlp(2, 4, 2);
  expect_error(
      [&] {
        mlp->backward(torch::zeros({3, 2}, torch::kDouble));
      },
      "backward needs a forward first");
  expect_error(
      [&] {
        mlp->forward(torch::zeros({3, 5}, torch::kDouble));
      },
      "X must have shape [B, input_dim=2], got [3, 5]");
  expect_error(
      [&] {
        mlp->forward(torch::zeros({3, 2}, torch::kFloat));
      },
      "X must have the parameters' dtype Double, got Float");
  mlp->forward(torch::zeros({3, 2}, torch::kDouble));
  expect_error(
      [&] {
        mlp->backward(torch::zeros({4, 2}, torch::kDouble));
      },
      "y_onehot must have the shape of the last forward's output [3, 2], got [4, 2]");
  const auto X = torch::zeros({3, 2}, torch::kDouble);
  expect_error(
      [&] {
        mlp->train(X, torch::tensor({0, 1, 2}), 1, 0.1);
      },
      "y must lie in [0, output_dim=2), got labels from 0 to 2");
  expect_error(
      [&] {
        mlp->train(X, torch::tensor({0, 1}), 1, 0.1);
      },
      "y must be 1-D with one label per row of X (3), got shape [2]");
  expect_error(
      [&] {
        mlp->train(X, torch::tensor({0.0, 1.0, 0.0}), 1, 0.1);
      },
      "y must hold integer class labels, got dtype Float");
  expect_error(
      [&] {
        mlp->train(X, torch::tensor({0, 1, 0}), -1, 0.1);
      },
      "epochs must be >= 0, got -1");
}

TEST_F(ManualMLPTest, GradientsOnCudaEqualCpu_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  ManualMLP cpu(3, 8, 4);
  auto cuda = std::dynamic_pointer_cast<ManualMLPImpl>(cpu->clone(torch::kCUDA));
  const auto X = torch::randn({16, 3}, torch::kDouble);
  const auto y = torch::randint(0, 4, {16}, torch::kLong);
  const auto cpu_log = cpu->train(X, y, 201, 0.3);
  const auto cuda_log = cuda->train(X.cuda(), y.cuda(), 201, 0.3);
  ASSERT_EQ(cpu_log.size(), cuda_log.size());
  for (size_t i = 0; i < cpu_log.size(); ++i) EXPECT_NEAR(cpu_log[i].loss, cuda_log[i].loss, 1e-10);
  expect_close(cpu->W1, cuda->W1.cpu(), 1e-9, 1e-12, "W1 on CUDA");
}

}  // namespace
}  // namespace infozoo::models
