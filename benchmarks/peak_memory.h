// SPDX-License-Identifier: BSD-3-Clause
// Peak memory of one call, measured the same way on the C++ and the Python side (peer.py): fix
// glibc's mmap threshold at 64 KiB (its adaptive threshold would keep freed tensors in the heap,
// hiding them from the resident set) and trim the heap, reset the kernel's resident-set
// high-water mark (/proc/self/clear_refs, "5"), call once, and report VmHWM minus the resident set
// before the call: what the call needed at its worst moment, inputs excluded. On a GPU the same
// quantity comes from the CUDA caching allocator: its peak of allocated bytes during the call minus
// what was allocated before (torch.cuda.max_memory_allocated on the Python side).
#pragma once

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#ifdef INFOZOO_BENCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#endif

#include "bench_device.h"

namespace infozoo::bench {

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"); -1 where unavailable.
inline int64_t proc_status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string key;
  int64_t kib = 0;
  std::string unit;
  while (status >> key) {
    if (key == field + ":") {
      status >> kib >> unit;
      return kib * 1024;
    }
    std::getline(status, unit);
  }
  return -1;
}

// Peak bytes `call` added to the resident set; -1 where the kernel cannot reset the mark.
template <typename Call>
int64_t peak_extra_bytes(Call&& call) {
  mallopt(M_MMAP_THRESHOLD, 64 << 10);
  malloc_trim(0);
  {
    std::ofstream reset("/proc/self/clear_refs");
    reset << "5";
    if (!reset) return -1;
  }
  const int64_t before = proc_status_bytes("VmRSS");
  call();
  const int64_t peak = proc_status_bytes("VmHWM");
  return before < 0 || peak < 0 ? -1 : peak - before;
}

// Peak device bytes `call` allocated beyond what was allocated before it; -1 without CUDA support.
template <typename Call>
int64_t cuda_peak_extra_bytes(Call&& call) {
#ifdef INFOZOO_BENCH_CUDA
  namespace allocator = c10::cuda::CUDACachingAllocator;
  constexpr size_t kAggregate = 0;  // StatType::AGGREGATE: all pools together
  const auto device = c10::cuda::current_device();
  torch::cuda::synchronize();
  allocator::resetPeakStats(device);
  const int64_t before = allocator::getDeviceStats(device).allocated_bytes[kAggregate].current;
  call();
  torch::cuda::synchronize();
  return allocator::getDeviceStats(device).allocated_bytes[kAggregate].peak - before;
#else
  (void)call;
  return -1;
#endif
}

// Adds counter peak_MiB for one more call, only when INFOZOO_MEASURE_PEAK is set: fixing the mmap
// threshold changes how every later allocation of the process is served, so benchmarks/compare.py
// asks for the peak in a run of its own, never in the run it times.
template <typename Call>
void report_peak_memory(benchmark::State& state, Call&& call) {
  if (std::getenv("INFOZOO_MEASURE_PEAK") == nullptr) return;
  const int64_t bytes =
      bench_device().is_cuda() ? cuda_peak_extra_bytes(call) : peak_extra_bytes(call);
  state.counters["peak_MiB"] = static_cast<double>(bytes) / (1 << 20);
}

}  // namespace infozoo::bench
