// SPDX-License-Identifier: BSD-3-Clause
// Benchmark entry point: the thread count is part of every measurement, so it is set explicitly
// (INFOZOO_THREADS, default 1) and reported in the benchmark context.
#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>
#include <torch/version.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const char* env = std::getenv("INFOZOO_THREADS");
  const int threads = env ? std::atoi(env) : 1;
  at::set_num_threads(threads > 0 ? threads : 1);
  benchmark::AddCustomContext("torch_threads", std::to_string(at::get_num_threads()));
  benchmark::AddCustomContext("libtorch", TORCH_VERSION);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
