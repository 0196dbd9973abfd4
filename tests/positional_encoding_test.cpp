// SPDX-License-Identifier: BSD-3-Clause
// positional_encoding and SinusoidalPositionalEncoding (seed 4.3) against the closed form
// PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)).
#include "infozoo/models/positional_encoding.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "test_support.h"

namespace infozoo::models {
namespace {

using infozoo::test_support::expect_error;

TEST(PositionalEncoding, ClosedFormValues) {
  const int64_t max_len = 100, d_model = 512;
  const auto pe = positional_encoding(max_len, d_model);
  ASSERT_EQ(pe.sizes(), torch::IntArrayRef({max_len, d_model}));
  ASSERT_EQ(pe.scalar_type(), torch::kDouble);
  double max_err = 0.0;
  for (int64_t pos : {0, 1, 7, 49, 99}) {
    for (int64_t i : {0, 1, 2, 31, 100, 255}) {
      const double angle = pos / std::pow(10000.0, 2.0 * i / d_model);
      max_err = std::max(max_err, std::abs(pe[pos][2 * i].item<double>() - std::sin(angle)));
      max_err = std::max(max_err, std::abs(pe[pos][2 * i + 1].item<double>() - std::cos(angle)));
    }
  }
  // exp(-2i log(10000)/d) and pow differ in the last bits; angles up to 99 rad amplify that.
  EXPECT_LT(max_err, 1e-12);
}

TEST(PositionalEncoding, PositionZeroIsSinZeroCosZero) {
  const auto row = positional_encoding(4, 8)[0];
  EXPECT_TRUE(
      torch::equal(row, torch::tensor({0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0}, torch::kDouble)));
}

TEST(PositionalEncoding, SeedReferenceRow) {
  // The reference's pe[1, :6] for (100, 512) (tests/expected/reference/posenc__default.json).
  const auto expected = test_support::load_expected("reference/posenc__default.json").at("output");
  const auto row1 = expected.at("row1_head").get<std::vector<double>>();
  const auto pe = positional_encoding(100, 512);
  for (size_t j = 0; j < row1.size(); ++j) {
    EXPECT_NEAR(pe[1][j].item<double>(), row1[j], 1e-15) << "column " << j;
  }
}

TEST(PositionalEncoding, RelativePositionIsARotation) {
  // PE[pos + k] = R(k) PE[pos] per frequency: the property the seed gives for using sin/cos.
  const auto pe = positional_encoding(64, 16);
  const int64_t k = 5;
  for (int64_t i = 0; i < 8; ++i) {
    const double w = std::exp(2.0 * i * -(std::log(10000.0) / 16));
    const auto s = pe.select(1, 2 * i), c = pe.select(1, 2 * i + 1);
    const auto s_shift =
        s.slice(0, 0, 64 - k) * std::cos(k * w) + c.slice(0, 0, 64 - k) * std::sin(k * w);
    EXPECT_TRUE(torch::allclose(s.slice(0, k), s_shift, 1e-9, 1e-12)) << "frequency " << i;
  }
}

TEST(PositionalEncoding, RotationMatrixShiftsEveryPositionAndExtrapolates) {
  const auto pe = positional_encoding(300, 32);
  for (const int64_t k : {0, 1, 7, 150}) {
    const auto m = positional_encoding_rotation(k, 32);
    // Orthogonal: a rotation keeps norms, and M_{-k} = M_k^T undoes it.
    EXPECT_TRUE(torch::allclose(m.mm(m.t()), torch::eye(32, torch::kDouble), 0, 1e-15)) << k;
    EXPECT_TRUE(torch::allclose(positional_encoding_rotation(-k, 32), m.t(), 0, 0)) << k;
    // Rows 0..149 of a table built past them: each shifted by k, within float64 rounding of
    // sin/cos at arguments up to 300 (300 * 2^-52 ~ 7e-14).
    const auto shifted = pe.slice(0, 0, 150).mm(m.t());
    EXPECT_LT((shifted - pe.slice(0, k, k + 150)).abs().max().item<double>(), 1e-12) << k;
  }
  // Against the closed form of one entry: column 0 is sin(pos), so M_k's (0, 0) block is the
  // rotation by k radians.
  const auto m = positional_encoding_rotation(2, 4);
  EXPECT_DOUBLE_EQ(m[0][0].item<double>(), std::cos(2.0));
  EXPECT_DOUBLE_EQ(m[0][1].item<double>(), std::sin(2.0));
  EXPECT_DOUBLE_EQ(m[1][0].item<double>(), -std::sin(2.0));
  EXPECT_EQ(m[0][2].item<double>(), 0.0);
  EXPECT_THROW(positional_encoding_rotation(1, 3), c10::Error);
}

TEST(PositionalEncoding, DtypeOptionRoundsTheFloat64Table) {
  const auto pe = positional_encoding(10, 6, torch::kFloat);
  EXPECT_EQ(pe.scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::equal(pe, positional_encoding(10, 6).to(torch::kFloat)));
}

TEST(PositionalEncoding, ErrorsNameTheArgumentAndValue) {
  expect_error([] { positional_encoding(10, 7); }, "d_model must be positive and even, got 7");
  expect_error([] { positional_encoding(10, 0); }, "d_model must be positive and even, got 0");
  expect_error([] { positional_encoding(0, 8); }, "max_len must be positive, got 0");
  expect_error([] { positional_encoding(4, 8, torch::kInt); },
               "dtype must be a floating point type, got Int");
}

TEST(SinusoidalPositionalEncoding, AddsTheRegisteredBuffer) {
  SinusoidalPositionalEncoding module(SinusoidalPositionalEncodingOptions(20, 8));
  ASSERT_EQ(module->named_buffers().keys(), std::vector<std::string>{"pe"});
  EXPECT_TRUE(module->parameters().empty());
  EXPECT_EQ(module->pe.scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::equal(module->pe, positional_encoding(20, 8, torch::kFloat)));

  const auto x = torch::randn({3, 12, 8});
  const auto y = module(x);
  ASSERT_EQ(y.sizes(), x.sizes());
  for (int64_t b = 0; b < 3; ++b) {
    EXPECT_TRUE(torch::allclose(y[b] - x[b], module->pe.slice(0, 0, 12), 1e-6, 1e-6))
        << "batch " << b;
  }
  EXPECT_EQ(c10::str(*module),
            "infozoo::models::SinusoidalPositionalEncoding(max_len=20, d_model=8, dtype=Float)");
}

TEST(SinusoidalPositionalEncoding, GradientFlowsToTheInput) {
  SinusoidalPositionalEncoding module(
      SinusoidalPositionalEncodingOptions(5, 4).dtype(torch::kDouble));
  const auto x = torch::randn({2, 5, 4}, torch::kDouble).requires_grad_();
  module(x).sum().backward();
  EXPECT_TRUE(torch::equal(x.grad(), torch::ones_like(x)));
}

TEST(SinusoidalPositionalEncoding, ErrorsPastMaxLenAndForTheWrongWidth) {
  SinusoidalPositionalEncoding module(SinusoidalPositionalEncodingOptions(10, 8));
  expect_error(
      [&] {
        module(torch::zeros({2, 11, 8}));
      },
      "sequence length L=11 is longer than max_len=10 of the positional encoding");
  expect_error(
      [&] {
        module(torch::zeros({2, 4, 6}));
      },
      "x's last dimension must equal d_model=8, got x of shape [2, 4, 6]");
  expect_error([&] { module(torch::zeros({4, 8})); }, "x must have shape [B, L, D], got [4, 8]");
  expect_error(
      [&] {
        module(torch::zeros({1, 4, 8}, torch::kDouble));
      },
      "x must have the encoding's dtype Float, got Double");
  // Exactly max_len is fine.
  EXPECT_EQ(module(torch::zeros({1, 10, 8})).sizes(), torch::IntArrayRef({1, 10, 8}));
}

TEST(SinusoidalPositionalEncoding, CloneAndMoveToDouble) {
  SinusoidalPositionalEncoding module(SinusoidalPositionalEncodingOptions(6, 4));
  module->to(torch::kDouble);
  EXPECT_EQ(module->pe.scalar_type(), torch::kDouble) << "the member aliases the registered buffer";
  auto copy = std::dynamic_pointer_cast<SinusoidalPositionalEncodingImpl>(module->clone());
  ASSERT_TRUE(copy);
  EXPECT_TRUE(torch::equal(copy->pe, module->pe));
}

TEST(SinusoidalPositionalEncoding, RunsOnCuda_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  SinusoidalPositionalEncoding module(SinusoidalPositionalEncodingOptions(16, 8));
  module->to(torch::kCUDA);
  const auto x = torch::randn({2, 16, 8});
  const auto y = module(x.cuda());
  EXPECT_TRUE(y.is_cuda());
  EXPECT_TRUE(torch::allclose(y.cpu(), x + positional_encoding(16, 8, torch::kFloat), 1e-6, 1e-6));
}

}  // namespace
}  // namespace infozoo::models
