// SPDX-License-Identifier: BSD-3-Clause
// The machine's limits, measured in the same run as the cases: float32 GEMM throughput
// (torch::mm, 2048^3 on the CPU, 8192^3 on a GPU) and memory bandwidth (a copy much larger than the
// caches), on the device INFOZOO_BENCH_DEVICE names. float32 GEMMs on a GPU run in full float32:
// LibTorch, like PyTorch, leaves TF32 off for matmul by default.
#include <ATen/ATen.h>
#include <benchmark/benchmark.h>

#include "bench_device.h"

namespace {

using infozoo::bench::bench_device;
using infozoo::bench::device_unavailable;
using infozoo::bench::synchronize;

void BM_GemmF32(benchmark::State& state) {
  const auto device = bench_device();
  if (device_unavailable(state, device)) return;
  const int64_t n = state.range(0);
  const auto a = at::randn({n, n}).to(device);
  const auto b = at::randn({n, n}).to(device);
  auto c = at::empty({n, n}, a.options());
  for (auto _ : state) {
    at::mm_out(c, a, b);
    synchronize(device);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  state.counters["GFLOPs"] =
      benchmark::Counter(2.0 * n * n * n * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GemmF32)->Arg(2048)->Arg(8192)->Unit(benchmark::kMillisecond)->UseRealTime();

// Bytes moved per copy: read src + write dst.
void BM_Copy(benchmark::State& state) {
  const auto device = bench_device();
  if (device_unavailable(state, device)) return;
  const int64_t n = state.range(0);
  const auto src = at::rand({n}).to(device);
  auto dst = at::zeros({n}, src.options());  // touched once, so page faults stay out of the timing
  for (auto _ : state) {
    dst.copy_(src);
    synchronize(device);
    benchmark::DoNotOptimize(dst.data_ptr());
  }
  state.counters["GBps"] = benchmark::Counter(2.0 * n * sizeof(float) * 1e-9,
                                              benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Copy)->Arg(int64_t{1} << 26)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
