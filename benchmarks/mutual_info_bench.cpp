// SPDX-License-Identifier: BSD-3-Clause
// Case 1 and 2 of benchmarks/README: scikit-learn's k-NN mutual_info_classif and the seed's
// histogram estimator, on the inputs benchmarks/peer.py builds for the Python side.
#include <ATen/ATen.h>
#include <benchmark/benchmark.h>

#include "infozoo/analysis/histogram_mi.h"
#include "infozoo/analysis/mutual_info.h"
#include "infozoo/datasets/numpy_random.h"

namespace {

using infozoo::analysis::MutualInfoOptions;

// X: n x d standard normal, y = (X0 > 0): a binary target, as the peer builds them.
void BM_MutualInfoClassif(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  infozoo::datasets::NumpyRandomState rs(0);
  const auto X = rs.randn({n, d});
  const auto y = X.select(1, 0).gt(0).to(at::kLong);
  const auto options = MutualInfoOptions().random_state(0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(infozoo::analysis::mutual_info_classif(X, y, options).data_ptr());
  }
}
BENCHMARK(BM_MutualInfoClassif)
    ->Args({1000, 5})
    ->Args({100000, 20})
    ->Args({1000000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// x standard normal, y = 2x + 0.5 noise (the seed's linear case); bytes: both float64 inputs.
void BM_HistogramMI(benchmark::State& state) {
  const int64_t n = state.range(0), bins = state.range(1);
  infozoo::datasets::NumpyRandomState rs(42);
  const auto x = rs.randn({n});
  const auto y = 2 * x + rs.randn({n}) * 0.5;
  for (auto _ : state) {
    benchmark::DoNotOptimize(infozoo::analysis::estimate_mutual_information(x, y, bins));
  }
  state.SetBytesProcessed(state.iterations() * 2 * n * int64_t{sizeof(double)});
}
BENCHMARK(BM_HistogramMI)->Args({1000000, 30})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
