// The machine's limits, measured in the same run as the cases: float32 GEMM throughput
// (torch::mm, 2048^3) and memory bandwidth (a copy much larger than the caches).
#include <ATen/ATen.h>
#include <benchmark/benchmark.h>

namespace {

void BM_GemmF32(benchmark::State& state) {
  const int64_t n = state.range(0);
  const auto a = at::randn({n, n});
  const auto b = at::randn({n, n});
  auto c = at::empty({n, n});
  for (auto _ : state) {
    at::mm_out(c, a, b);
    benchmark::DoNotOptimize(c.data_ptr());
  }
  state.counters["GFLOPs"] = benchmark::Counter(2.0 * n * n * n * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_GemmF32)->Arg(2048)->Unit(benchmark::kMillisecond)->UseRealTime();

// Bytes moved per copy: read src + write dst.
void BM_Copy(benchmark::State& state) {
  const int64_t n = state.range(0);
  const auto src = at::rand({n});
  auto dst = at::zeros({n});  // touched once, so page faults stay out of the timing
  for (auto _ : state) {
    dst.copy_(src);
    benchmark::DoNotOptimize(dst.data_ptr());
  }
  state.counters["GBps"] = benchmark::Counter(2.0 * n * sizeof(float) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Copy)->Arg(int64_t{1} << 26)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
