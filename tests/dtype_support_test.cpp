// SPDX-License-Identifier: BSD-3-Clause
// Which dtypes each module and main function supports, on the CPU and on CUDA: float64, float32,
// float16 and bfloat16. A supported dtype gives finite values close to the float64 result on the
// CPU; an unsupported one throws a c10::Error. LibTorch 1.13's CPU kernels lack float16 for GEMM
// (`addmm_impl_cpu_ not implemented for 'Half'`), softmax and most elementwise maths; LibTorch
// 2.1 added them. docs/dtypes.md is the table this test checks.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "infozoo/infozoo.h"
#include "test_support.h"

namespace infozoo {
namespace {

using c10::ScalarType;

// How a (function, dtype, device) is expected to behave.
enum class Expect {
  kSupported,    // finite values within the dtype's tolerance of the float64 result
  kUnsupported,  // throws c10::Error
  kEither,       // a LibTorch version not measured here: either of the above, nothing else
};

// LibTorch 2.x added float16 to the CPU GEMM, softmax and elementwise kernels that 1.13 lacks,
// over 2.0 to 2.2; from 2.3 on every case here is expected to run. 2.0 to 2.2 were not measured.
constexpr bool kCpuHalfKernels = TORCH_VERSION_MAJOR > 2 ||
                                 (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 3);
constexpr bool kCpuHalfUnmeasured = TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR < 3;

// What a case computes with one dtype on one device. Inputs and weights are drawn in float64 from
// a fixed seed and rounded to the dtype under test (g_input_dtype) also for the float64 reference:
// the comparison measures the function's own rounding, not that of its inputs (alpha_bar = 0.99
// is 0.9921875 in bfloat16, which moves alpha_bar / (1 - alpha_bar) by 27% before any arithmetic).
using Compute = std::function<at::Tensor(ScalarType, const c10::Device&)>;
ScalarType g_input_dtype = ScalarType::Double;

struct DtypeCase {
  std::string name;
  Compute compute;
  // On the CPU with LibTorch 1.13: whether float16 works (float64, float32, bfloat16 always do).
  bool cpu_half_in_1_13;
};

// Max |x - ref| / max |ref|: the error relative to the output's scale, so that entries near zero
// (softmax tails, masked weights) are not held to a relative bound their rounding cannot meet.
// Tolerances: float64 is the reference (same code, 1e-12 leaves room for other summation orders);
// float32 has unit roundoff 6e-8 and these functions chain ~10 roundings of sums over <= 64
// terms (<= 1e-6 seen): 1e-5. float16 (2^-11 = 4.9e-4) and bfloat16 (2^-8 = 3.9e-3) round every
// intermediate; ~8 chained roundings give 4e-3 and 3e-2: 1e-2 for float16, 3e-2 for bfloat16.
double tolerance(ScalarType dtype) {
  switch (dtype) {
    case ScalarType::Double:
      return 1e-12;
    case ScalarType::Float:
      return 1e-5;
    case ScalarType::Half:
      return 1e-2;
    default:
      return 3e-2;
  }
}

at::Tensor randn64(at::IntArrayRef shape) { return torch::randn(shape, torch::kDouble); }

// Converts float64 CPU inputs to the case's dtype and device, rounded through g_input_dtype.
at::Tensor to(const at::Tensor& t, ScalarType dtype, const c10::Device& device) {
  return t.to(g_input_dtype).to(device, dtype);
}

// Copies `reference`'s parameters and buffers (any dtype) into `module`, keeping module's dtype.
void copy_state(const torch::nn::Module& reference, torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  const auto from = reference.named_parameters();
  for (auto& p : module.named_parameters()) p.value().copy_(from[p.key()]);
  const auto from_buffers = reference.named_buffers();
  for (auto& b : module.named_buffers()) b.value().copy_(from_buffers[b.key()]);
}

// Every output (one dtype, one device) flattened into one vector.
at::Tensor flat(std::vector<at::Tensor> outputs) {
  for (auto& t : outputs) t = t.detach().reshape({-1});
  return torch::cat(outputs);
}

models::ManualMLP manual_mlp(ScalarType dtype, const c10::Device& device) {
  torch::manual_seed(1);
  models::ManualMLP reference(models::ManualMLPOptions(4, 8, 3));
  reference->to(g_input_dtype);
  models::ManualMLP mlp(models::ManualMLPOptions(4, 8, 3).dtype(dtype));
  copy_state(*reference, *mlp);
  mlp->to(device);
  return mlp;
}

models::MultiHeadAttention mha(ScalarType dtype, const c10::Device& device) {
  torch::manual_seed(2);
  models::MultiHeadAttention m(models::MultiHeadAttentionOptions(16, 4));
  m->to(g_input_dtype);
  m->to(device, dtype);
  return m;
}

std::vector<DtypeCase> cases() {
  return {
      {"ManualMLPForward",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto X = randn64({6, 4});
         return manual_mlp(dtype, device)->forward(to(X, dtype, device));
       },
       false},
      {"ManualMLPBackward",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto X = randn64({6, 4});
         const auto y = torch::one_hot(torch::tensor({0, 1, 2, 0, 1, 2}), 3).to(torch::kDouble);
         auto mlp = manual_mlp(dtype, device);
         mlp->forward(to(X, dtype, device));
         const auto& g = mlp->backward(to(y, dtype, device), /*lr=*/0.1);
         return flat({g.dW1, g.db1, g.dW2, g.db2, mlp->W1});
       },
       false},
      {"MultiHeadAttention",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto x = to(randn64({2, 5, 16}), dtype, device);
         const auto keep = torch::tensor({1, 1, 1, 0, 0}).reshape({1, 1, 1, 5}).to(device);
         auto m = mha(dtype, device);
         const auto [out, weights] = m->forward_with_weights(x, x, x, keep);
         return flat({out, weights});
       },
       false},
      {"ScaledDotProductAttention",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto Q = to(randn64({2, 3, 5, 8}), dtype, device);
         const auto K = to(randn64({2, 3, 6, 8}), dtype, device);
         const auto V = to(randn64({2, 3, 6, 4}), dtype, device);
         const auto [out, weights] = models::scaled_dot_product_attention(
             Q, K, V, models::AttentionOptions().is_causal(true));
         return flat({out, weights});
       },
       false},
      {"PositionalEncodingTable",
       [](ScalarType dtype, const c10::Device& device) {
         return models::positional_encoding(/*max_len=*/32, /*d_model=*/16, dtype).to(device);
       },
       true},
      {"SinusoidalPositionalEncoding",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         models::SinusoidalPositionalEncoding pos(
             models::SinusoidalPositionalEncodingOptions(32, 16).dtype(dtype));
         pos->to(device);
         return pos(to(randn64({2, 10, 16}), dtype, device));
       },
       true},
      {"DiffusionQSample",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         models::DiffusionSchedule schedule(models::DiffusionScheduleOptions(1000));
         schedule->to(device);
         const auto x0 = to(randn64({3, 8}), dtype, device);
         const auto noise = to(randn64({3, 8}), dtype, device);
         return schedule->q_sample(x0, torch::tensor({100, 500, 999}), noise);
       },
       false},
      {"DiffusionMiUpperBound",
       [](ScalarType dtype, const c10::Device& device) {
         const auto alpha_bar = to(torch::linspace(0.01, 0.99, 50, torch::kDouble), dtype, device);
         const auto snr = models::signal_to_noise(alpha_bar);
         return flat({snr, models::gaussian_channel_mi_upper_bound(snr)});
       },
       false},
      {"InfoNCEPaired",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto q = to(randn64({4, 8}), dtype, device);
         const auto p = to(randn64({4, 8}), dtype, device);
         const auto n = to(randn64({4, 5, 8}), dtype, device);
         losses::InfoNCE loss(losses::InfoNCEOptions().temperature(0.5).reduction(torch::kNone));
         return loss(q, p, n);
       },
       false},
      {"InfoNCEUnpairedNormalized",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto q = to(randn64({4, 8}), dtype, device);
         const auto p = to(randn64({4, 8}), dtype, device);
         const auto bank = to(randn64({7, 8}), dtype, device);
         return losses::info_nce(q, p, bank,
                                 losses::InfoNCEOptions()
                                     .temperature(0.1)
                                     .negative_mode(losses::NegativeMode::kUnpaired)
                                     .normalize(true)
                                     .reduction(torch::kNone));
       },
       false},
      {"InfoNCELargeBank",  // K > 4096 without autograd: the blocked shared-bank path
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto q = to(randn64({3, 8}), dtype, device);
         const auto p = to(randn64({3, 8}), dtype, device);
         const auto bank = to(randn64({4100, 8}), dtype, device);
         torch::NoGradGuard no_grad;
         return losses::info_nce(q, p, bank,
                                 losses::InfoNCEOptions()
                                     .temperature(1.0)
                                     .negative_mode(losses::NegativeMode::kUnpaired)
                                     .reduction(torch::kNone));
       },
       false},
      {"InfoNCEInBatchBackward",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto q = to(randn64({6, 8}), dtype, device).requires_grad_(true);
         const auto p = to(randn64({6, 8}), dtype, device);
         const auto loss = losses::info_nce_loss(q, p, /*negatives=*/{}, /*temperature=*/0.5);
         loss.backward();
         return flat({loss, q.grad()});
       },
       false},
      {"Softmax",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto z = to(randn64({4, 6}), dtype, device);
         return flat({analysis::softmax(z, /*temperature=*/0.5),
                      analysis::stable_softmax(z, /*temperature=*/0.5)});
       },
       false},
      {"SoftmaxJacobianAndJvp",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto z = to(randn64({3, 5}), dtype, device);
         const auto v = to(randn64({3, 5}), dtype, device);
         return flat({analysis::softmax_jacobian(z), analysis::softmax_jvp(z, v)});
       },
       false},
      {"EntropyAndKl",
       [](ScalarType dtype, const c10::Device& device) {
         torch::manual_seed(0);
         const auto p = to(torch::softmax(randn64({4, 6}), -1), dtype, device);
         const auto q = to(torch::softmax(randn64({4, 6}), -1), dtype, device);
         return flat({analysis::entropy(p), analysis::entropy(p, analysis::InfoUnit::kNats),
                      analysis::kl_divergence(p, q)});
       },
       true},
  };
}

std::string case_name(const ::testing::TestParamInfo<DtypeCase>& info) { return info.param.name; }

// GoogleTest prints a parameter in test names and failures: the case's name, not its bytes.
void PrintTo(const DtypeCase& c, std::ostream* os) { *os << c.name; }

Expect expected_on_cpu(const DtypeCase& c, ScalarType dtype) {
  if (dtype != ScalarType::Half || c.cpu_half_in_1_13 || kCpuHalfKernels) return Expect::kSupported;
  return kCpuHalfUnmeasured ? Expect::kEither : Expect::kUnsupported;
}

void check(const DtypeCase& c, ScalarType dtype, const c10::Device& device, Expect expect) {
  SCOPED_TRACE(c.name + " in " + c10::toString(dtype) + " on " + device.str());
  g_input_dtype = dtype;
  const auto reference = c.compute(ScalarType::Double, c10::Device(torch::kCPU))
                             .detach()
                             .to(torch::kDouble)
                             .reshape({-1});
  at::Tensor out;
  try {
    out = c.compute(dtype, device);
  } catch (const c10::Error& e) {
    EXPECT_NE(expect, Expect::kSupported) << "threw: " << e.what_without_backtrace();
    std::cout << "[ dtype    ] " << c.name << " " << dtype << " " << device
              << ": unsupported: " << e.what_without_backtrace() << "\n";
    return;
  }
  EXPECT_NE(expect, Expect::kUnsupported) << "expected a c10::Error, got a result";
  EXPECT_EQ(out.scalar_type(), dtype) << "the result should keep the input dtype";
  EXPECT_EQ(out.device(), device);
  const auto got = out.detach().to(torch::kCPU, torch::kDouble).reshape({-1});
  ASSERT_EQ(got.numel(), reference.numel());
  ASSERT_TRUE(torch::isfinite(got).all().item<bool>()) << got;
  const double scale = reference.abs().max().item<double>();
  const double error = (got - reference).abs().max().item<double>() / scale;
  std::cout << "[ dtype    ] " << c.name << " " << dtype << " " << device
            << ": supported, max error / max |ref| = " << error << "\n";
  EXPECT_LE(error, tolerance(dtype));
}

const std::vector<ScalarType> kDtypes = {ScalarType::Double, ScalarType::Float, ScalarType::Half,
                                         ScalarType::BFloat16};

class DtypeSupport : public ::testing::TestWithParam<DtypeCase> {};

TEST_P(DtypeSupport, Cpu) {
  for (const auto dtype : kDtypes) {
    check(GetParam(), dtype, c10::Device(torch::kCPU), expected_on_cpu(GetParam(), dtype));
  }
}

// CUDA has every kernel in all four dtypes (bfloat16 GEMMs need compute capability >= 8.0).
TEST_P(DtypeSupport, Cuda_CUDA) {
  if (!test_support::torch_cuda_available()) GTEST_SKIP() << "no CUDA device";
  for (const auto dtype : kDtypes) {
    check(GetParam(), dtype, c10::Device(torch::kCUDA), Expect::kSupported);
  }
}

INSTANTIATE_TEST_SUITE_P(Modules, DtypeSupport, ::testing::ValuesIn(cases()), case_name);

}  // namespace
}  // namespace infozoo
