// SPDX-License-Identifier: BSD-3-Clause
// Cases 3 to 6 of benchmarks/README: ManualMLP training, MultiHeadAttention (ours and LibTorch's
// own torch::nn::MultiheadAttention), InfoNCE in its paired and shared-negatives forms, the
// softmax Jacobian and the positional encoding. Sizes match benchmarks/peer.py. The attention and
// InfoNCE cases run on the device INFOZOO_BENCH_DEVICE names (bench_device.h).
#include <ATen/ATen.h>
#include <benchmark/benchmark.h>
#include <torch/nn/modules/activation.h>

#include "bench_device.h"
#include "infozoo/analysis/softmax.h"
#include "infozoo/datasets/make_moons.h"
#include "infozoo/datasets/numpy_random.h"
#include "infozoo/losses/info_nce.h"
#include "infozoo/models/manual_mlp.h"
#include "infozoo/models/multi_head_attention.h"
#include "infozoo/models/positional_encoding.h"
#include "peak_memory.h"

namespace {

using namespace infozoo;
using bench::bench_device;
using bench::device_unavailable;
using bench::synchronize;

// Time per epoch of the seed's full-batch training (lr 0.5, 2-32-2, float64).
void BM_ManualMLPEpoch(benchmark::State& state) {
  const int64_t n = state.range(0), epochs = state.range(1);
  const auto data = datasets::make_moons(n, 0.2, true, 42);
  for (auto _ : state) {
    state.PauseTiming();
    datasets::NumpyRandomState rs(42);
    models::ManualMLP mlp(models::ManualMLPOptions(2, 32, 2), rs);
    state.ResumeTiming();
    benchmark::DoNotOptimize(mlp->train(data.X, data.y, epochs, 0.5));
  }
  state.SetItemsProcessed(state.iterations() * epochs);  // items/s = epochs/s
}
BENCHMARK(BM_ManualMLPEpoch)
    ->Args({300, 1000})
    ->Args({30000, 100})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void mha_case(benchmark::State& state, bool backward, bool libtorch) {
  const auto device = bench_device();
  if (device_unavailable(state, device)) return;
  const int64_t B = state.range(0), L = state.range(1), d_model = 512, heads = 8;
  at::manual_seed(0);
  auto x = at::randn({B, L, d_model}).to(device).requires_grad_(backward);
  models::MultiHeadAttention ours(models::MultiHeadAttentionOptions(d_model, heads));
  torch::nn::MultiheadAttention theirs(torch::nn::MultiheadAttentionOptions(d_model, heads));
  ours->to(device);
  theirs->to(device);
  auto step = [&] {
    at::Tensor y;
    if (libtorch) {
      auto xt = x.transpose(0, 1);  // LibTorch's module is sequence-first: (L, B, d_model)
      y = std::get<0>(theirs->forward(xt, xt, xt, {}, /*need_weights=*/false));
    } else {
      y = ours(x, x, x);
    }
    if (backward) {
      y.sum().backward();
    } else {
      benchmark::DoNotOptimize(y.data_ptr());
    }
    synchronize(device);
  };
  for (auto _ : state) step();
  bench::report_peak_memory(state, step);
}
void BM_MHAForward(benchmark::State& s) {
  at::NoGradGuard g;
  mha_case(s, false, false);
}
void BM_MHAForwardBackward(benchmark::State& s) { mha_case(s, true, false); }
void BM_LibTorchMHAForward(benchmark::State& s) {
  at::NoGradGuard g;
  mha_case(s, false, true);
}
void BM_LibTorchMHAForwardBackward(benchmark::State& s) { mha_case(s, true, true); }
#define MHA_SIZES \
  ->Args({2, 10})->Args({8, 256})->Args({4, 1024})->Unit(benchmark::kMillisecond)->UseRealTime()
BENCHMARK(BM_MHAForward) MHA_SIZES;
BENCHMARK(BM_MHAForwardBackward) MHA_SIZES;
BENCHMARK(BM_LibTorchMHAForward) MHA_SIZES;
BENCHMARK(BM_LibTorchMHAForwardBackward) MHA_SIZES;

// The seed's paired form: negatives (B, K, D).
void BM_InfoNCEPaired(benchmark::State& state) {
  const auto device = bench_device();
  if (device_unavailable(state, device)) return;
  const int64_t B = state.range(0), K = state.range(1), D = state.range(2);
  at::manual_seed(0);
  const auto q = at::randn({B, D}).to(device), p = at::randn({B, D}).to(device);
  const auto negatives = at::randn({B, K, D}).to(device);
  at::NoGradGuard no_grad;
  auto step = [&] {
    benchmark::DoNotOptimize(losses::info_nce_loss(q, p, negatives, 0.07).data_ptr());
    synchronize(device);
  };
  for (auto _ : state) step();
  bench::report_peak_memory(state, step);
}
BENCHMARK(BM_InfoNCEPaired)
    ->Args({32, 256, 128})
    ->Args({256, 4096, 128})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Shared negatives: one (K, D) bank, a (B, D) x (D, K) product; FLOPs counted for that GEMM.
void BM_InfoNCEShared(benchmark::State& state) {
  const auto device = bench_device();
  if (device_unavailable(state, device)) return;
  const int64_t B = state.range(0), K = state.range(1), D = state.range(2);
  at::manual_seed(0);
  const auto q = at::randn({B, D}).to(device), p = at::randn({B, D}).to(device);
  const auto bank = at::randn({K, D}).to(device);
  losses::InfoNCE loss(losses::InfoNCEOptions().negative_mode(losses::NegativeMode::kUnpaired));
  at::NoGradGuard no_grad;
  auto step = [&] {
    benchmark::DoNotOptimize(loss->forward(q, p, bank).data_ptr());
    synchronize(device);
  };
  for (auto _ : state) step();
  bench::report_peak_memory(state, step);
  state.counters["GFLOPs"] =
      benchmark::Counter(2.0 * B * K * D * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_InfoNCEShared)->Args({256, 65536, 128})->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SoftmaxJacobian(benchmark::State& state) {
  const int64_t n = state.range(0);
  const auto z = at::randn({n}, at::kDouble);
  for (auto _ : state) {
    benchmark::DoNotOptimize(analysis::softmax_jacobian(z).data_ptr());
  }
}
BENCHMARK(BM_SoftmaxJacobian)->Arg(3)->Arg(512)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_PositionalEncoding(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        models::positional_encoding(state.range(0), state.range(1)).data_ptr());
  }
}
BENCHMARK(BM_PositionalEncoding)->Args({5000, 512})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
