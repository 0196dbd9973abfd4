// SPDX-License-Identifier: BSD-3-Clause
// The device of the GPU-capable cases (MultiHeadAttention, InfoNCE, the machine's GEMM and copy):
// INFOZOO_BENCH_DEVICE=cuda runs them on the GPU (benchmarks/compare.py --device cuda), anything
// else on the CPU. A GPU call is timed to its end: every step synchronizes, as peer.py does.
#pragma once

#include <benchmark/benchmark.h>
#include <c10/core/Device.h>
#include <torch/cuda.h>

#include <cstdlib>
#include <string>

namespace infozoo::bench {

inline c10::Device bench_device() {
  const char* name = std::getenv("INFOZOO_BENCH_DEVICE");
  return name != nullptr && std::string(name) == "cuda" ? c10::Device(c10::kCUDA)
                                                        : c10::Device(c10::kCPU);
}

// Skips the benchmark (with the reason in its report) when it asks for a GPU that is not there.
inline bool device_unavailable(benchmark::State& state, const c10::Device& device) {
  if (device.is_cuda() && !torch::cuda::is_available()) {
    state.SkipWithError("INFOZOO_BENCH_DEVICE=cuda but LibTorch sees no CUDA device");
    return true;
  }
  return false;
}

inline void synchronize(const c10::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

}  // namespace infozoo::bench
