// SPDX-License-Identifier: BSD-3-Clause
// Issue 14's speed cases: the multivariate KSG estimate (ksg_mutual_info) and the Frenzel-Pompe
// conditional MI (conditional_mutual_info), k = 3, algorithm 1, on the inputs benchmarks/peer.py
// builds for ennemi and NPEET (numpy's RandomState(0), drawn in the same order, so both sides
// estimate from the same float64 values).
#include <ATen/ATen.h>
#include <benchmark/benchmark.h>

#include "infozoo/analysis/ksg.h"
#include "infozoo/datasets/numpy_random.h"
#include "peak_memory.h"

namespace {

using infozoo::analysis::KsgOptions;

// X [n, d] standard normal, Y = 0.8 X + 0.6 E with E [n, d] standard normal: d pairs of
// coordinates correlated at 0.8 (true MI -d/2 log(1 - 0.64) = 0.511 d nats). peer.py: ksg_data.
void BM_KsgMutualInfo(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  infozoo::datasets::NumpyRandomState rs(0);
  const auto X = rs.randn({n, d});
  const auto E = rs.randn({n, d});
  const auto Y = X * 0.8 + E * 0.6;
  const auto options = KsgOptions().k(3);
  double mi = 0;
  auto call = [&] { mi = infozoo::analysis::ksg_mutual_info(X, Y, options); };
  for (auto _ : state) {
    call();
    benchmark::DoNotOptimize(mi);
  }
  state.counters["mi_nats"] = mi;  // the same number as the peers' (checked by hand, not timed)
  infozoo::bench::report_peak_memory(state, call);
}
BENCHMARK(BM_KsgMutualInfo)
    ->Args({10000, 1})
    ->Args({100000, 1})
    ->Args({10000, 2})
    ->Args({100000, 2})
    ->Args({10000, 5})
    ->Args({100000, 5})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Z [n, d] standard normal, X = 0.6 Z + 0.8 E1, Y = 0.5 X + 0.5 Z + 0.7 E2 (E1, E2 [n, d],
// drawn in that order): I(X; Y | Z) > 0. peer.py: cmi_data.
void BM_ConditionalMutualInfo(benchmark::State& state) {
  const int64_t n = state.range(0), d = state.range(1);
  infozoo::datasets::NumpyRandomState rs(0);
  const auto Z = rs.randn({n, d});
  const auto X = Z * 0.6 + rs.randn({n, d}) * 0.8;
  const auto Y = X * 0.5 + Z * 0.5 + rs.randn({n, d}) * 0.7;
  const auto options = KsgOptions().k(3);
  double cmi = 0;
  auto call = [&] { cmi = infozoo::analysis::conditional_mutual_info(X, Y, Z, options); };
  for (auto _ : state) {
    call();
    benchmark::DoNotOptimize(cmi);
  }
  state.counters["cmi_nats"] = cmi;
  infozoo::bench::report_peak_memory(state, call);
}
BENCHMARK(BM_ConditionalMutualInfo)->Args({10000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
